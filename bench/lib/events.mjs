// The events the bench posts: the catalog's samples of every type an MDM can send (the
// dispatcher refuses its own operational types, e.g. `webhook.failing`, from outside), in turn.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const core = require('../../server/dist/core/index.js');

export const TYPES = core.EVENT_TYPE_NAMES.filter((t) => t !== 'webhook.test' && !core.isOperationalEventType(t));
const DATA_JSON = Object.fromEntries(TYPES.map((t) => [t, JSON.stringify(core.sampleEnvelope(t).data)]));

/** Ingest bodies `${tag}-0` … `${tag}-${count - 1}`, `id` first (receivers read the first "id" of what they get). */
export function makeBodies(tag, count) {
  const bodies = new Array(count);
  for (let i = 0; i < count; i++) {
    const type = TYPES[i % TYPES.length];
    bodies[i] = `{"id":"${tag}-${i}","type":"${type}","data":${DATA_JSON[type]}}`;
  }
  return bodies;
}

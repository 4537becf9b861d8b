// Writes a delivery log of `count` finished deliveries straight into the dispatcher's on-disk
// archive (the store's own `Archive.append`: JSON lines in today's day file plus their binary
// index and symbols), for webhooks that already exist in the store's snapshot. Events carry 3 deliveries each
// (one per webhook), spread over the last 12 hours, each with one 200 attempt and the masked
// request as sent, like a real log.
import fs from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const core = require('../../server/dist/core/index.js');
const { Archive } = require('../../server/dist/server/store/lowdb/archive.js');
const { DeliveryIndex, EventIndex, SymbolTable } = require('../../server/dist/server/store/lowdb/logIndex.js');

/**
 * @param {string} dataFile the dispatcher's DISPATCHER_DATA
 * @param {Array<{id: string, url: string, signing: {scheme: string}}>} webhooks
 * @param {number} count deliveries to write
 * @returns {Promise<{bytes: number, events: number, deliveries: number, ms: number}>}
 */
export async function prefillArchive(dataFile, webhooks, count) {
  const t0 = performance.now();
  const dir = `${dataFile}.logs`;
  fs.mkdirSync(dir, { recursive: true });
  const now = Date.now();
  const day = new Date(now).toISOString().slice(0, 10);
  const dayStart = Date.parse(`${day}T00:00:00.000Z`);
  const span = Math.max(1, now - Math.max(dayStart, now - 12 * 3600_000) - 60_000);
  const from = now - 60_000 - span;
  const types = core.EVENT_TYPE_NAMES.filter((t) => t !== 'webhook.test');
  const samples = Object.fromEntries(types.map((t) => [t, core.sampleEnvelope(t)]));
  // The masked headers each webhook's requests carry; the signature is computed once per webhook
  // (the right shape; 100 000 real HMACs would only slow the setup down).
  const shapes = new Map(
    webhooks.map((webhook) => {
      const request = core.buildOutboundRequest({
        url: webhook.url,
        method: 'POST',
        payload: null,
        messageId: 'msg_prefill',
        timestamp: Math.floor(now / 1000),
        signing: { scheme: webhook.signing.scheme, secrets: [core.generateSecretFor(webhook.signing.scheme)] },
        auth: { type: 'none' },
        headers: {},
      });
      return [webhook.id, core.maskHeaders(request.headers)];
    }),
  );
  const symbols = new SymbolTable();
  const archive = new Archive(dir, symbols, false);
  await archive.load(new DeliveryIndex(symbols), new EventIndex());
  const index = new DeliveryIndex(symbols);
  let bytes = 0;
  let written = 0;
  let eventCount = 0;
  try {
    const batchEvents = [];
    const batchDeliveries = [];
    const flush = async () => {
      const lines = await Archive.linesInSlices(batchEvents, batchDeliveries, undefined, 1e9);
      const appended = await archive.append(lines, day, index);
      for (const entry of appended) bytes += entry.length;
      batchEvents.length = 0;
      batchDeliveries.length = 0;
    };
    for (let e = 0; written < count; e++) {
      const type = types[e % types.length];
      const at = new Date(from + Math.floor((e * 3 * span) / count)).toISOString();
      const id = `evt_prefill_${String(e).padStart(7, '0')}`;
      const envelope = { id, type, timestamp: at, data: samples[type].data };
      const body = JSON.stringify(core.renderCustom(envelope));
      const refs = [];
      for (const webhook of webhooks) {
        if (written >= count) break;
        const deliveryId = `msg_prefill_${String(written).padStart(7, '0')}`;
        refs.push({ id: deliveryId, webhookId: webhook.id, profileId: null });
        const headers = { ...shapes.get(webhook.id), 'webhook-id': deliveryId, 'webhook-timestamp': String(Math.floor(Date.parse(at) / 1000)) };
        batchDeliveries.push({
          id: deliveryId,
          eventId: id,
          eventType: type,
          webhookId: webhook.id,
          profileId: null,
          status: 'succeeded',
          responseCode: 200,
          attemptCount: 1,
          createdAt: at,
          lastAttemptAt: at,
          nextAttemptAt: null,
          attempts: [{ at, statusCode: 200, durationMs: 1.4, error: null, response: 'ok' }],
          request: { method: 'POST', url: webhook.url, headers, body },
        });
        written++;
      }
      batchEvents.push({ ...envelope, receivedAt: at, deliveries: refs });
      eventCount++;
      if (batchDeliveries.length >= 3000) await flush();
    }
    await flush();
  } finally {
    await archive.close();
  }
  // On disk before the dispatcher starts, so that its start is not measured against the write-back.
  for (const name of fs.readdirSync(dir)) {
    const fd = fs.openSync(`${dir}/${name}`, 'r');
    fs.fsyncSync(fd);
    fs.closeSync(fd);
  }
  return { bytes, events: eventCount, deliveries: written, ms: performance.now() - t0 };
}

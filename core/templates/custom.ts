/** The `custom` template: the canonical envelope as is. */
import type { EventEnvelope, JsonObject } from '../types';

export function renderCustom(envelope: EventEnvelope): JsonObject {
	return { id: envelope.id, type: envelope.type, timestamp: envelope.timestamp, data: envelope.data };
}

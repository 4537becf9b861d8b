/** The canonical event envelope: ids, construction, samples and its JSON Schema. */
import { randomFillSync } from 'node:crypto';
import type { EventEnvelope, FieldError, JsonObject, JsonSchema } from '../types';
import { EVENT_TYPE_NAMES, getEventType } from './catalog';
import { validateAgainstSchema, validateEventData } from './validate';

/** Crockford base32 (ULID alphabet): URL-safe and sorts in the same order as the values. */
const B32 = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

function encodeTime(ms: number): string {
	let out = '';
	let t = ms;
	for (let i = 0; i < 10; i++) {
		out = B32[t % 32] + out;
		t = Math.floor(t / 32);
	}
	return out;
}

/**
 * Random bytes drawn from a pool refilled 4 KiB at a time: one `randomBytes` call per id was
 * ~2 % of a loaded dispatcher's time (an event and each of its deliveries take an id).
 */
const POOL = Buffer.alloc(4096);
let poolAt = POOL.length;

function randomB32(length: number): string {
	if (poolAt + length > POOL.length) {
		randomFillSync(POOL);
		poolAt = 0;
	}
	let out = '';
	for (let i = 0; i < length; i++) out += B32[POOL[poolAt + i] & 31];
	poolAt += length; // each byte serves one id
	return out;
}

/**
 * A new event id: `evt_` + a 26-character ULID (10 chars of millisecond time, then 80 random
 * bits), so ids sort by creation time and are URL- and header-safe.
 */
export function newEventId(now: number = Date.now()): string {
	return `evt_${encodeTime(now)}${randomB32(16)}`;
}

/** The same id format with another prefix (e.g. `msg_` for delivery/request ids). */
export function newId(prefix: string, now: number = Date.now()): string {
	return `${prefix}_${encodeTime(now)}${randomB32(16)}`;
}

/** Ids accepted from callers (`POST /v1/events` `id`): URL- and header-safe, ≤128 chars. */
export const EVENT_ID_PATTERN = '^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$';

/** JSON Schema of the whole envelope (the type-specific `data` schema is checked separately). */
export const ENVELOPE_SCHEMA: JsonSchema = Object.freeze({
	type: 'object',
	required: ['id', 'type', 'timestamp', 'data'],
	properties: {
		id: { type: 'string', pattern: EVENT_ID_PATTERN },
		type: { type: 'string', enum: [...EVENT_TYPE_NAMES] },
		timestamp: { type: 'string', format: 'date-time' },
		data: {
			type: 'object',
			additionalProperties: true,
			description:
				"Validated against the type's schema: `device` with `device.id` for device events, `webhook` for operational events.",
		},
	},
	additionalProperties: false,
});

/**
 * Validates a whole envelope: its shape (`ENVELOPE_SCHEMA`) and then `data` against the schema of
 * its type. Paths are JSON Pointers from the envelope root.
 */
export function validateEnvelope(envelope: unknown): FieldError[] {
	const errors = validateAgainstSchema(ENVELOPE_SCHEMA, envelope);
	if (errors.length) return errors;
	const { type, data } = envelope as EventEnvelope;
	return validateEventData(type, data);
}

/** Normalises a timestamp to ISO-8601 UTC with milliseconds; throws on an unparseable one. */
export function normalizeTimestamp(timestamp: string): string {
	const ms = Date.parse(timestamp);
	if (Number.isNaN(ms)) throw new TypeError(`invalid timestamp ${JSON.stringify(timestamp)}`);
	return new Date(ms).toISOString();
}

export interface CreateEnvelopeInput {
	type: string;
	data: JsonObject;
	id?: string;
	timestamp?: string;
}

/**
 * Builds an envelope. `id` defaults to `newEventId()`, `timestamp` to now; a given timestamp is
 * normalised to `YYYY-MM-DDTHH:mm:ss.sssZ` (throws a TypeError if it is not a date). Neither the
 * type nor the data is validated here: call `validateEventData` first.
 */
export function createEnvelope(input: CreateEnvelopeInput): EventEnvelope {
	return {
		id: input.id ?? newEventId(),
		type: input.type,
		timestamp: input.timestamp === undefined ? new Date().toISOString() : normalizeTimestamp(input.timestamp),
		data: input.data,
	};
}

/** The catalog sample of `type` in a fresh envelope (new id, now). Throws on an unknown type. */
export function sampleEnvelope(type: string): EventEnvelope {
	const def = getEventType(type);
	if (!def) throw new Error(`unknown event type ${JSON.stringify(type)}`);
	return createEnvelope({ type, data: structuredClone(def.sample) });
}

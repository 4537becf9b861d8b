/**
 * Mender's webhook requests byte for byte, as its server (mendersoftware/iot-manager) makes them,
 * so tests can post what a real Mender sends without a Mender:
 *  - the body is Go's `json.Marshal` of `model.WebhookEvent` {id, type, data, time} with
 *    `data` a `model.DeviceEvent` {id, status?, auth_sets?, created_ts?} and each `model.AuthSet`
 *    {id, device_id, identity_data, pubkey, status, ts?}: struct fields in declaration order,
 *    `omitempty` fields left out when empty, map keys sorted, `<`, `>`, `&`, U+2028 and U+2029
 *    escaped as Go does, times in RFC 3339 with nanoseconds and trailing zeros trimmed;
 *  - the signature is `client.NewSignedRequest`: `X-Men-Signature` = hex HMAC-SHA256 of the body
 *    keyed with the hex-decoded secret, and `X-Men-Algorithm: MEN-HMAC-SHA256-Payload`.
 * Written from iot-manager's Go source with node:crypto only (nothing from `core/`).
 */
import { createHmac, randomUUID } from 'node:crypto';

export interface GoAuthSet {
	id: string;
	device_id: string;
	identity_data: Record<string, string | number | boolean> | null;
	pubkey: string;
	status: string;
	/** RFC 3339 (Go `*time.Time`, omitempty). */
	ts?: string;
}

export interface GoDeviceEvent {
	id: string;
	status?: string;
	auth_sets?: GoAuthSet[];
	created_ts?: string;
}

export interface GoWebhookEvent {
	id: string;
	type: 'device-provisioned' | 'device-decommissioned' | 'device-status-changed' | string;
	data: GoDeviceEvent;
	time: string;
}

/** A Go string literal as `encoding/json` writes it (HTML-safe escaping). */
function goString(value: string): string {
	return JSON.stringify(value)
		.replace(/</g, '\\u003c')
		.replace(/>/g, '\\u003e')
		.replace(/&/g, '\\u0026')
		.replace(/\u2028/g, '\\u2028')
		.replace(/\u2029/g, '\\u2029');
}

function goValue(value: unknown): string {
	if (value === null || value === undefined) return 'null';
	if (typeof value === 'string') return goString(value);
	if (typeof value === 'number') {
		if (!Number.isInteger(value)) throw new Error('floats are not modelled: Go formats them differently');
		return String(value);
	}
	if (typeof value === 'boolean') return String(value);
	if (Array.isArray(value)) return `[${value.map(goValue).join(',')}]`;
	// A Go map[string]interface{}: keys sorted (byte order of their UTF-8).
	const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) =>
		Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8')),
	);
	return `{${entries.map(([k, v]) => `${goString(k)}:${goValue(v)}`).join(',')}}`;
}

/** A struct: fields in declaration order, `omitempty` ones skipped when empty. */
function goStruct(fields: [name: string, value: unknown, omitEmpty: boolean][]): string {
	const parts: string[] = [];
	for (const [name, value, omitEmpty] of fields) {
		const empty = value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0);
		if (omitEmpty && empty) continue;
		parts.push(`${goString(name)}:${goValue(value ?? null)}`);
	}
	return `{${parts.join(',')}}`;
}

function authSetJson(set: GoAuthSet): string {
	return goStruct([
		['id', set.id, false],
		['device_id', set.device_id, false],
		['identity_data', set.identity_data, false],
		['pubkey', set.pubkey, false],
		['status', set.status, false],
		['ts', set.ts, true],
	]);
}

function deviceEventJson(device: GoDeviceEvent): string {
	const parts = [`"id":${goString(device.id)}`];
	if (device.status) parts.push(`"status":${goString(device.status)}`);
	if (device.auth_sets && device.auth_sets.length > 0) parts.push(`"auth_sets":[${device.auth_sets.map(authSetJson).join(',')}]`);
	if (device.created_ts) parts.push(`"created_ts":${goString(device.created_ts)}`);
	return `{${parts.join(',')}}`;
}

/** `json.Marshal(model.WebhookEvent{…})`. */
export function menderWebhookBody(event: GoWebhookEvent): string {
	return `{"id":${goString(event.id)},"type":${goString(event.type)},"data":${deviceEventJson(event.data)},"time":${goString(event.time)}}`;
}

let lastNanos = 0n;
/** Now as Go's `time.Time` marshals: RFC 3339 with up to 9 fraction digits, trailing zeros trimmed. */
export function goTimeNow(): string {
	let nanos = BigInt(Date.now()) * 1_000_000n + (process.hrtime.bigint() % 1_000_000n);
	if (nanos <= lastNanos) nanos = lastNanos + 1n;
	lastNanos = nanos;
	const seconds = new Date(Number(nanos / 1_000_000_000n) * 1000).toISOString().slice(0, 19);
	const fraction = (nanos % 1_000_000_000n).toString().padStart(9, '0').replace(/0+$/, '');
	return `${seconds}${fraction ? `.${fraction}` : ''}Z`;
}

/** A Mender event with a fresh UUID and time. */
export function menderEvent(type: GoWebhookEvent['type'], data: GoDeviceEvent): GoWebhookEvent {
	return { id: randomUUID(), type, data, time: goTimeNow() };
}

/** The headers `client.NewSignedRequest` sets, keyed with the hex-decoded secret. */
export function menderHeaders(body: string, hexSecret: string): Record<string, string> {
	return {
		'content-type': 'application/json',
		'x-men-algorithm': 'MEN-HMAC-SHA256-Payload',
		'x-men-signature': createHmac('sha256', Buffer.from(hexSecret, 'hex')).update(body).digest('hex'),
	};
}

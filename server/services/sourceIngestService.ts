/**
 * `POST /ingest/:sourceId/:token`: a vendor's own webhook in. The URL token authenticates the
 * source; then the vendor's signature or auth is checked on the raw body, the body is mapped to
 * canonical events by the core (`mapVendorBody`), and each event goes through the one event
 * intake (`EventService.ingest`), so it is stored durably, deduplicated, routed and delivered
 * like any other. Every request past the token check is counted on the source.
 */
import { constantTimeEqual, mapVendorBody, verifyHmac, verifySignature } from '../../core';
import type { MappedEvent } from '../../core/vendors/types';
import { InvalidError, InvalidJsonError, NotFoundError, SourceDisabledError, UnauthorizedError } from '../domain/errors';
import { assertJsonShape } from '../domain/jsonShape';
import type { EventOrigin, SourceCount, SourceError, SourceRecord } from '../domain/records';
import { matchesDigest } from '../domain/secretDigest';
import type { JsonataPool } from '../mapping/jsonataPool';
import type { Logger } from '../observability/logger';
import type { ConfigStore } from '../store/ports/configStore';
import type { EventService } from './eventService';

/** How much of the vendor's body is kept with each event. */
export const ORIGIN_BODY_MAX_BYTES = 16 * 1024;

export interface IngestAnswer {
	status: 200 | 202;
	body: { events: { id: string; type: string; duplicate: boolean }[] };
}

type Headers = Record<string, string | string[] | undefined>;

/**
 * The answer a refusal becomes (status, code, message), for the source's `lastError`; null for
 * what is not a refusal (a bug, a store fault). The HTTP layer's mapping (`fromDomain`) is passed
 * in, so that the counted answer is the one the vendor got.
 */
export type DescribeRefusal = (error: unknown) => Omit<SourceError, 'at'> | null;

function live(expiresAt: string | undefined): boolean {
	return expiresAt !== undefined && Date.parse(expiresAt) > Date.now();
}

function header(headers: Headers, name: string): string | undefined {
	const value = headers[name];
	return Array.isArray(value) ? value.join(', ') : value;
}

/** The secrets a signature may be made with: the current one, and the previous one for 24 h after a rotation. */
function activeSecrets(source: SourceRecord): string[] {
	const secrets = [source.secret];
	if (source.previousSecret && live(source.previousSecretExpiresAt)) secrets.push(source.previousSecret);
	return secrets.filter((s) => s !== '');
}

/** The vendor's own proof that the request is theirs: its signature, or the Basic/Bearer auth it sends. */
function checkVendorAuth(source: SourceRecord, headers: Headers, raw: Buffer): void {
	if (source.vendor === 'mender' || source.vendor === 'scalefusion') {
		let message = '';
		for (const secret of activeSecrets(source)) {
			const result = verifySignature(source.vendor, { headers, body: raw, secret });
			if (result.valid) return;
			message ||= result.message;
		}
		throw new UnauthorizedError('invalid_signature', message || 'signature does not verify');
	}
	if (source.hmac) {
		const { header: name, algorithm, encoding, prefix } = source.hmac;
		const signature = header(headers, name.toLowerCase());
		if (!signature) throw new UnauthorizedError('invalid_signature', `missing header ${name}`);
		const ok = activeSecrets(source).some((secret) =>
			verifyHmac({ algorithm, encoding, secret, body: raw, prefix: prefix || undefined, signature }),
		);
		if (!ok) throw new UnauthorizedError('invalid_signature', `${name} does not match the ${algorithm} HMAC of the body`);
	}
	const auth = source.auth;
	if (auth.type === 'none') return;
	const presented = header(headers, 'authorization') ?? '';
	const expected =
		auth.type === 'basic'
			? `Basic ${Buffer.from(`${auth.username}:${auth.password}`, 'utf8').toString('base64')}`
			: `Bearer ${auth.token}`;
	// The scheme name is case-insensitive (RFC 9110); the credentials are compared in constant time.
	const space = presented.indexOf(' ');
	const normalised = space > 0 ? `${presented.slice(0, space).toLowerCase()}${presented.slice(space)}` : presented;
	const wanted = `${auth.type}${expected.slice(expected.indexOf(' '))}`;
	if (!constantTimeEqual(normalised.trim(), wanted)) {
		throw new UnauthorizedError('unauthorized', `missing or wrong ${auth.type === 'basic' ? 'Basic' : 'Bearer'} credentials`);
	}
}

function parseBody(raw: Buffer): unknown {
	let text = raw.toString('utf8');
	if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
	if (text.trim() === '') throw new InvalidJsonError('the request body is empty');
	let body: unknown;
	try {
		body = JSON.parse(text);
	} catch {
		throw new InvalidJsonError('request body is not valid JSON');
	}
	// The same structural limits as every API body (depth, prototype keys), before any mapping.
	assertJsonShape(body);
	return body;
}

function originOf(source: SourceRecord, raw: Buffer): EventOrigin {
	const truncated = raw.length > ORIGIN_BODY_MAX_BYTES;
	// Cut on a character boundary: decoding a cut multi-byte sequence would add U+FFFD.
	const body = truncated ? new TextDecoder().decode(raw.subarray(0, ORIGIN_BODY_MAX_BYTES), { stream: true }) : raw.toString('utf8');
	return { sourceId: source.id, vendor: source.vendor, body, bodyBytes: raw.length, truncated };
}

/** Vendor + device id: the key of a device's last status. */
export function deviceStatusKey(vendor: string, deviceId: string): string {
	return `${vendor}:${deviceId}`;
}

export class SourceIngestService {
	constructor(
		private readonly store: ConfigStore,
		private readonly events: EventService,
		private readonly jsonata: JsonataPool,
		private readonly log: Logger,
		private readonly describeRefusal: DescribeRefusal,
	) {}

	async receive(sourceId: string, token: string, headers: Headers, raw: Buffer): Promise<IngestAnswer> {
		const source = await this.store.getSource(sourceId);
		if (!source) throw new NotFoundError('source', sourceId, 'no such ingest source');
		const tokenOk =
			matchesDigest(token, source.tokenHash) || (live(source.previousTokenExpiresAt) && matchesDigest(token, source.previousTokenHash));
		if (!tokenOk) throw new UnauthorizedError('unauthorized', 'wrong ingest token');

		const receivedAt = new Date().toISOString();
		try {
			if (!source.enabled) throw new SourceDisabledError();
			checkVendorAuth(source, headers, raw);
			const body = parseBody(raw);
			const mapped = await this.map(source, body);
			if (!mapped.ok) throw new InvalidError(mapped.errors);
			const answer = await this.persist(source, raw, mapped.events);
			const fresh = answer.body.events.filter((e) => !e.duplicate).length;
			await this.count(source.id, {
				at: receivedAt,
				accepted: answer.status === 202 ? 1 : 0,
				duplicates: answer.status === 200 ? 1 : 0,
				events: fresh,
			});
			return answer;
		} catch (error) {
			// Every refusal past the token check (this service's, the event intake's: a type's
			// schema, the nesting limit) is the vendor's request refused, and counted.
			const refused = this.describeRefusal(error);
			if (refused && refused.status < 500) {
				await this.count(source.id, {
					at: receivedAt,
					rejected: 1,
					error: { at: receivedAt, status: refused.status, code: refused.code, message: refused.message },
				});
			}
			throw error;
		}
	}

	/**
	 * The core's mapping. Mender's needs each device's last status, which the store answers
	 * asynchronously: a first pass learns which devices the body names, their statuses are read,
	 * and the second pass maps with them (bodies that name no device map once).
	 */
	private async map(source: SourceRecord, body: unknown): ReturnType<typeof mapVendorBody> {
		const asked = new Set<string>();
		// An admin's JSONata on a sender's body: in the pool's threads, under its deadline.
		const evaluate = (mapping: string, input: unknown) => this.jsonata.mapping(mapping, input);
		const first = await mapVendorBody(source.vendor, body, {
			mapping: source.mapping,
			evaluate,
			context: { lastStatus: (deviceId) => void asked.add(deviceId) },
		});
		if (asked.size === 0) return first;
		const known = new Map<string, string>();
		for (const deviceId of asked) {
			const status = (await this.store.getDeviceStatus(deviceStatusKey(source.vendor, deviceId)))?.status;
			if (status !== undefined) known.set(deviceId, status);
		}
		return mapVendorBody(source.vendor, body, { mapping: source.mapping, evaluate, context: { lastStatus: (deviceId) => known.get(deviceId) } });
	}

	/** Each event through the one intake; then the last device statuses (Mender's previous status). */
	private async persist(source: SourceRecord, raw: Buffer, events: MappedEvent[]): Promise<IngestAnswer> {
		const origin = originOf(source, raw);
		const results = await Promise.all(
			events.map((event) =>
				this.events.ingest({ type: event.type, data: event.data, id: event.id, timestamp: event.timestamp }, { origin }),
			),
		);
		const answered = results.map((result, index) => ({ result, event: events[index] }));
		for (const { result, event } of answered) {
			const status = event.type === 'device.decommissioned' ? 'decommissioned' : event.data.status;
			if (result.status !== 202 || typeof status !== 'string') continue;
			if (!['device.status_changed', 'device.provisioned', 'device.decommissioned'].includes(event.type)) continue;
			await this.store
				.putDeviceStatus(deviceStatusKey(source.vendor, event.data.device.id), { status, at: event.timestamp ?? new Date().toISOString() })
				.catch((error: unknown) =>
					this.log.warn(
						{ event: 'source.device_status_not_saved', sourceId: source.id, err: error },
						`source ${source.id}: the device's last status was not saved: ${(error as Error).message}`,
					),
				);
		}
		return {
			status: results.some((r) => r.status === 202) ? 202 : 200,
			body: { events: results.map((r) => ({ id: r.answer.id, type: r.answer.type, duplicate: r.status === 200 })) },
		};
	}

	/**
	 * One request's outcome on the source's counters, before the answer (so that what the API
	 * shows next includes it), as an increment the store applies (concurrent requests all count).
	 * Never rejects (counters are not worth failing a request for).
	 */
	private async count(sourceId: string, count: SourceCount): Promise<void> {
		await this.store
			.countSourceRequest(sourceId, count)
			.catch((error: unknown) =>
				this.log.warn(
					{ event: 'source.counters_not_saved', sourceId, err: error },
					`source ${sourceId}: counters not saved: ${(error as Error).message}`,
				),
			);
	}
}

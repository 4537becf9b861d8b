/**
 * The store serialises each event and each request sent once (server/store/lowdb/jsonText.ts):
 * the journal's lines and the archive's reuse of their texts must give exactly what plain
 * `JSON.stringify` gives.
 */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sampleEnvelope } from '../../core';
import { Archive } from '../../server/store/lowdb/archive';
import { JsonText, stringifyWithLast } from '../../server/store/lowdb/jsonText';
import { LowdbStore } from '../../server/store/lowdb/LowdbStore';
import type { DeliveryRecord, EventRecord, SentRequest } from '../../server/domain/records';
import { tempDataFile } from '../helpers/dispatcher';

const envelope = sampleEnvelope('device.enrolled');
const request: SentRequest = {
	method: 'POST',
	url: 'https://example.com/hook',
	headers: { 'content-type': 'application/json', 'webhook-signature': 'v1,"quoted"\\' },
	body: JSON.stringify(envelope),
};
const event: EventRecord = { ...envelope, receivedAt: envelope.timestamp, deliveries: [{ id: 'msg_a', webhookId: 'wh_1', profileId: null }] };
const delivery: DeliveryRecord = {
	id: 'msg_a',
	eventId: envelope.id,
	eventType: envelope.type,
	webhookId: 'wh_1',
	profileId: null,
	status: 'succeeded',
	responseCode: 200,
	attemptCount: 1,
	createdAt: envelope.timestamp,
	lastAttemptAt: envelope.timestamp,
	nextAttemptAt: null,
	attempts: [{ at: envelope.timestamp, statusCode: 200, durationMs: 1.2, error: null, response: 'ok "fine"' }],
	request,
};

describe('store encoding', () => {
	it('splices a cached member text exactly where JSON.stringify puts it', () => {
		expect(stringifyWithLast({ a: 1, b: 'x' }, 'b', JSON.stringify('x'))).toBe(JSON.stringify({ a: 1, b: 'x' }));
		expect(stringifyWithLast({ b: [1] }, 'b', '[1]')).toBe(JSON.stringify({ b: [1] }));
	});

	it('archives the same text with and without the journal texts, in slices or not', async () => {
		const failed: DeliveryRecord = { ...delivery, id: 'msg_b', status: 'failed', request: null };
		const cached = new JsonText();
		cached.of(event);
		cached.of(request);
		const plain = Archive.serialize([event], [delivery, failed]);
		expect(await Archive.serializeInSlices([event], [delivery, failed], cached, 1)).toBe(plain);
		expect(await Archive.serializeInSlices([event], [delivery, failed])).toBe(plain);
		// Taken texts are forgotten; a second archive serialises afresh and is still the same.
		expect(await Archive.serializeInSlices([event], [delivery, failed], cached)).toBe(plain);
	});

	it('writes journal lines that parse back to the operations', async () => {
		const file = tempDataFile();
		const store = new LowdbStore({ file, sync: false });
		await store.open();
		const pending: DeliveryRecord = { ...delivery, status: 'pending', responseCode: null, attemptCount: 0, lastAttemptAt: null, attempts: [], request: null };
		await store.accept(event, [pending]);
		const update = { deliveryId: 'msg_a', attempt: delivery.attempts[0], status: 'succeeded' as const, nextAttemptAt: null, request };
		await store.record(update);
		const journal = fs.readdirSync(file.replace(/[^/]+$/, '')).find((name) => name.includes('.journal.'));
		const lines = fs.readFileSync(`${file.replace(/[^/]+$/, '')}${journal}`, 'utf8').trim().split('\n').map((line) => JSON.parse(line));
		expect(lines.at(-2)).toEqual({ op: 'event', event, deliveries: [pending] });
		expect(lines.at(-1)).toEqual({ op: 'attempt', update });
		expect(await store.getDelivery('msg_a')).toEqual(delivery);
		await store.close();
		const reopened = new LowdbStore({ file, sync: false });
		await reopened.open();
		expect(await reopened.getDelivery('msg_a')).toEqual(delivery);
		expect(await reopened.getEvent(envelope.id)).toEqual(event);
		await reopened.close();
	});
});

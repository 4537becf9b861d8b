/**
 * Acceptance (issue 8): a barrage of more than 1,000 malformed requests across every endpoint,
 * against a real dispatcher process, gets only 4xx answers: no 5xx, no crash, nothing stored.
 * Then the process stops cleanly and restarts on the same data with the store intact.
 */
import { describe, expect, it } from 'vitest';
import { getEventType } from '../../core';
import { type Json, tempDataFile } from '../helpers/dispatcher';
import { spawnDispatcher } from '../helpers/dispatcherProcess';
import { malformedRequests, sendMalformed } from '../helpers/malformed';
import { startReceiver } from '../helpers/receiver';

describe('malformed-request barrage (real dispatcher process)', () => {
	it('answers every malformed request with a 4xx, stays up, and reopens its store intact', async () => {
		const receiver = await startReceiver();
		const dataFile = tempDataFile();
		let dispatcher = await spawnDispatcher(dataFile);
		const api = dispatcher.api;
		const webhook = await api.post('/v1/webhooks', {
			name: 'barrage target',
			url: receiver.url,
			events: ['device.lost'],
			headers: { 'X-Tenant': 'acme' },
			nonSecretHeaders: ['X-Tenant'],
		});
		expect(webhook.status, webhook.text).toBe(201);
		const profile = await api.post('/v1/profiles', {
			name: 'barrage profile',
			events: ['device.lost'],
			webhookIds: [webhook.body.id],
			condition: 'data.device.platform = "ios"',
		});
		expect(profile.status, profile.text).toBe(201);
		const source = await api.post('/v1/sources', { name: 'barrage source', vendor: 'generic', mapping: '{"type": type, "data": data}' });
		expect(source.status, source.text).toBe(201);
		const token = new URL(source.body.ingestUrl).pathname.split('/').pop() as string;
		const event = await api.post('/v1/events', { type: 'device.lost', data: getEventType('device.lost')?.sample });
		expect(event.status, event.text).toBe(202);
		for (const { id } of event.body.deliveries) await api.waitForDelivery(id);

		// Deliveries created in the same millisecond may list in either order after a reopen.
		const byId = (page: Json) => ({ ...page, data: [...page.data].sort((a: Json, b: Json) => a.id.localeCompare(b.id)) });
		const state = async () => ({
			webhooks: (await api.get('/v1/webhooks')).body,
			profiles: (await api.get('/v1/profiles')).body,
			deliveries: byId((await api.get('/v1/deliveries')).body),
			detail: (await api.get(`/v1/deliveries/${event.body.deliveries[0].id}`)).body,
			summary: (await api.get('/v1/deliveries/summary')).body,
			// A source counts what its URL received, refused requests too: compared apart.
			sources: (await api.get('/v1/sources')).body.data.map(({ stats: _stats, ...rest }: Json) => rest),
		});
		const sourceStats = async () => (await api.get(`/v1/sources/${source.body.id}`)).body.stats;
		const before = await state();
		const receivedBefore = receiver.requests.length;

		const requests = malformedRequests({
			webhookId: webhook.body.id,
			webhookName: 'barrage target',
			profileId: profile.body.id,
			profileName: 'barrage profile',
			deliveryId: event.body.deliveries[0].id,
			receiverUrl: receiver.url,
			sourceId: source.body.id,
			sourceName: 'barrage source',
			sourceToken: token,
		});
		expect(requests.length).toBeGreaterThanOrEqual(1000);
		const started = Date.now();
		const tally = await sendMalformed(dispatcher.api.baseUrl, requests);
		const seconds = ((Date.now() - started) / 1000).toFixed(1);
		const line = (counts: Record<string, number>) =>
			Object.entries(counts)
				.sort(([a], [b]) => a.localeCompare(b))
				.map(([key, count]) => `${key}: ${count}`)
				.join(', ');
		console.log(`barrage: ${tally.total} malformed requests in ${seconds} s\n  by status: ${line(tally.byStatus)}\n  by kind: ${line(tally.byKind)}`);
		expect(tally.unexpected).toEqual([]);
		expect(tally.total).toBe(requests.length);

		// Still up, nothing sent, nothing stored, and nothing unhandled in its log.
		expect((await fetch(`${dispatcher.api.baseUrl}/healthz`)).status).toBe(200);
		expect(receiver.requests).toHaveLength(receivedBefore);
		expect(await state()).toEqual(before);
		const counted = await sourceStats();
		expect(counted).toMatchObject({ accepted: 0, events: 0, duplicates: 0 });
		expect(counted.rejected).toBe(counted.received);
		expect(counted.received).toBeGreaterThan(20);
		expect(dispatcher.output()).not.toMatch(/unhandled error|internal_error|crashed/);

		// A clean stop compacts (deep input never reached the store), and the same data reopens.
		expect(await dispatcher.stop('SIGTERM')).toBe(0);
		dispatcher = await spawnDispatcher(dataFile, { port: dispatcher.port });
		const after = await state();
		expect(after).toEqual(before);
		expect(await sourceStats()).toEqual(counted);
		expect((after.webhooks as Json).data[0].headers).toEqual({ 'X-Tenant': 'acme' });
		// And it still works: a valid event is accepted and delivered.
		const again = await dispatcher.api.post('/v1/events', { type: 'device.lost', data: getEventType('device.lost')?.sample });
		expect(again.status).toBe(202);
		await dispatcher.api.waitForDelivery(again.body.deliveries[0].id);
		expect(await dispatcher.stop('SIGTERM')).toBe(0);
		await receiver.close();
	}, 180_000);
});

/** The delivery log's filters and paging, per-webhook throttling, and the 5-day auto-disable. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getEventType } from '../../core';
import { type TestDispatcher, startTestDispatcher } from '../helpers/dispatcher';
import { type Receiver, startReceiver } from '../helpers/receiver';

let dispatcher: TestDispatcher;
const receivers: Receiver[] = [];

beforeAll(async () => {
	dispatcher = await startTestDispatcher({ retryScheduleSeconds: [0.05] });
});
afterAll(async () => {
	await dispatcher.close();
	await Promise.all(receivers.map((r) => r.close()));
});

async function receiver(...statuses: number[]) {
	const started = await startReceiver(...statuses.map((status) => ({ status })));
	receivers.push(started);
	return started;
}

const sample = (type: string) => getEventType(type)?.sample;

describe('delivery log queries', () => {
	it('filters by webhook, event type, status, response code, request id and time, and pages with a cursor', async () => {
		const api = dispatcher.api;
		const ok = await receiver(200);
		const bad = await receiver(422);
		const okHook = await api.post('/v1/webhooks', { name: 'log-ok', url: ok.url, events: ['device.online', 'device.offline'] });
		const badHook = await api.post('/v1/webhooks', { name: 'log-bad', url: bad.url, events: ['device.online'] });
		const from = new Date().toISOString();
		const ids: string[] = [];
		for (let i = 0; i < 7; i++) {
			const type = i % 2 === 0 ? 'device.online' : 'device.offline';
			const answer = await api.post('/v1/events', { type, data: sample(type) });
			for (const d of answer.body.deliveries) ids.push(d.id);
		}
		await Promise.all(ids.map((id) => api.waitForDelivery(id)));
		const to = new Date().toISOString();

		const byHook = await api.get(`/v1/deliveries?webhookId=${okHook.body.id}`);
		expect(byHook.body.data).toHaveLength(7);
		const byType = await api.get(`/v1/deliveries?webhookId=${okHook.body.id}&eventType=device.offline`);
		expect(byType.body.data).toHaveLength(3);
		expect(byType.body.data.every((d: { eventType: string }) => d.eventType === 'device.offline')).toBe(true);
		const failed = await api.get(`/v1/deliveries?webhookId=${badHook.body.id}&status=failed&responseCode=422`);
		expect(failed.body.data).toHaveLength(4);
		const none = await api.get(`/v1/deliveries?webhookId=${okHook.body.id}&responseCode=500`);
		expect(none.body.data).toEqual([]);
		const one = await api.get(`/v1/deliveries?requestId=${ids[0]}`);
		expect(one.body.data.map((d: { id: string }) => d.id)).toEqual([ids[0]]);
		const inWindow = await api.get(`/v1/deliveries?from=${from}&to=${to}&limit=250`);
		expect(inWindow.body.data.length).toBe(ids.length);
		const future = await api.get(`/v1/deliveries?from=2999-01-01T00:00:00Z`);
		expect(future.status).toBe(200);
		expect(future.body.data).toEqual([]);

		// Newest first, 3 per page, every delivery exactly once.
		const seen: string[] = [];
		let cursor: string | null = null;
		do {
			const page = await api.get(`/v1/deliveries?webhookId=${okHook.body.id}&limit=3${cursor ? `&cursor=${cursor}` : ''}`);
			seen.push(...page.body.data.map((d: { id: string }) => d.id));
			cursor = page.body.nextCursor;
		} while (cursor);
		expect(seen).toHaveLength(7);
		expect(new Set(seen).size).toBe(7);
		const created = byHook.body.data.map((d: { createdAt: string }) => d.createdAt);
		expect([...created].sort().reverse()).toEqual(created);

		const bad400 = await api.get('/v1/deliveries?status=lost');
		expect(bad400.status).toBe(400);
		expect(bad400.body.error.details[0].path).toBe('/status');
		const unknownFilter = await api.get('/v1/deliveries?colour=red');
		expect(unknownFilter.body.error.details[0]).toEqual({ path: '/colour', message: 'unknown field' });
	});
});

describe('throttling', () => {
	it('spaces deliveries to one webhook at its rate limit', async () => {
		const target = await receiver(200);
		await dispatcher.api.post('/v1/webhooks', { name: 'throttled', url: target.url, events: ['device.unplugged'], rateLimitPerSecond: 2 });
		for (let i = 0; i < 4; i++) await dispatcher.api.post('/v1/events', { type: 'device.unplugged', data: sample('device.unplugged') });
		const requests = await target.waitFor(4);
		// Burst of 2, then one every 500 ms: the 4th arrives ≥ ~1 s after the 1st.
		const spread = requests[3].receivedAtMs - requests[0].receivedAtMs;
		expect(spread).toBeGreaterThanOrEqual(900);
		expect(spread).toBeLessThan(3000);
	});

	it('defaults to 1/s for slack and 4/s for teams, none for custom', async () => {
		const target = await receiver(200);
		const slack = await dispatcher.api.post('/v1/webhooks', { name: 'slack-rate', url: target.url, template: 'slack' });
		const teams = await dispatcher.api.post('/v1/webhooks', { name: 'teams-rate', url: target.url, template: 'teams' });
		const custom = await dispatcher.api.post('/v1/webhooks', { name: 'custom-rate', url: target.url });
		expect([slack.body.rateLimitPerSecond, teams.body.rateLimitPerSecond, custom.body.rateLimitPerSecond]).toEqual([1, 4, null]);
	});
});

describe('auto-disable', () => {
	it('disables a webhook whose attempts have all failed for five days', async () => {
		const target = await receiver(503);
		const hook = await dispatcher.api.post('/v1/webhooks', { name: 'failing', url: target.url, events: ['device.activated'] });
		const { config } = dispatcher.context.backend;
		// The webhook has been failing since six days ago (as if the clock had run).
		await config.markFailing(hook.body.id, new Date(Date.now() - 6 * 24 * 3600 * 1000).toISOString());
		const event = await dispatcher.api.post('/v1/events', { type: 'device.activated', data: sample('device.activated') });
		await target.waitFor(1);
		const deadline = Date.now() + 5000;
		let after = await dispatcher.api.get(`/v1/webhooks/${hook.body.id}`);
		while (after.body.enabled && Date.now() < deadline) {
			await new Promise((resolve) => setTimeout(resolve, 25));
			after = await dispatcher.api.get(`/v1/webhooks/${hook.body.id}`);
		}
		expect(after.body).toMatchObject({ enabled: false, disabledReason: 'failing' });
		// Its remaining delivery is paused, not lost.
		const delivery = await dispatcher.api.get(`/v1/deliveries/${event.body.deliveries[0].id}`);
		expect(['pending', 'failed']).toContain(delivery.body.status);
	});

	it('a success clears the failing streak', async () => {
		const target = await receiver(200);
		const hook = await dispatcher.api.post('/v1/webhooks', { name: 'recovering', url: target.url, events: ['device.deleted'] });
		const { config } = dispatcher.context.backend;
		await config.markFailing(hook.body.id, new Date(Date.now() - 3600 * 1000).toISOString());
		const event = await dispatcher.api.post('/v1/events', { type: 'device.deleted', data: sample('device.deleted') });
		await dispatcher.api.waitForDelivery(event.body.deliveries[0].id);
		// The health update follows the attempt's record.
		const deadline = Date.now() + 5000;
		while ((await config.getWebhook(hook.body.id))?.failingSince !== null && Date.now() < deadline) {
			await new Promise((resolve) => setTimeout(resolve, 25));
		}
		expect((await config.getWebhook(hook.body.id))?.failingSince).toBeNull();
	});
});

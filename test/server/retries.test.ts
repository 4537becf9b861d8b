/** Acceptance: retry on 5xx with every attempt logged; 410 disables; other 4xx fail at once. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getEventType } from '../../core';
import { type TestDispatcher, startTestDispatcher } from '../helpers/dispatcher';
import { type Receiver, startReceiver } from '../helpers/receiver';

let dispatcher: TestDispatcher;
const receivers: Receiver[] = [];

beforeAll(async () => {
	dispatcher = await startTestDispatcher({ retryScheduleSeconds: [0.05, 0.1, 0.1] });
});

afterAll(async () => {
	await dispatcher.close();
	await Promise.all(receivers.map((r) => r.close()));
});

async function hookWith(name: string, ...statuses: number[]) {
	const target = await startReceiver(...statuses.map((status) => ({ status, body: `answer ${status}` })));
	receivers.push(target);
	const hook = await dispatcher.api.post('/v1/webhooks', { name, url: target.url, events: ['device.offline'] });
	expect(hook.status, hook.text).toBe(201);
	const event = await dispatcher.api.post('/v1/events', { type: 'device.offline', data: getEventType('device.offline')?.sample });
	const delivery = event.body.deliveries.find((d: { webhookId: string }) => d.webhookId === hook.body.id);
	return { target, hook: hook.body, deliveryId: delivery.id as string };
}

describe('retries', () => {
	it('500, 500, 200: three attempts, each logged with its code and duration', async () => {
		const { target, deliveryId } = await hookWith('flaky', 500, 500, 200);
		const delivery = await dispatcher.api.waitForDelivery(deliveryId);
		expect(delivery.status).toBe('succeeded');
		expect(delivery.attemptCount).toBe(3);
		expect(delivery.attempts.map((a: { statusCode: number }) => a.statusCode)).toEqual([500, 500, 200]);
		for (const attempt of delivery.attempts) {
			expect(attempt.durationMs).toBeGreaterThan(0);
			expect(typeof attempt.at).toBe('string');
		}
		expect(delivery.attempts[0].response).toBe('answer 500');
		const ids = target.requests.map((r) => r.headers['webhook-id']);
		expect(new Set(ids)).toEqual(new Set([deliveryId]));
		const list = await dispatcher.api.get(`/v1/deliveries?requestId=${deliveryId}`);
		expect(list.body.data[0]).toMatchObject({ id: deliveryId, status: 'succeeded', responseCode: 200, attemptCount: 3 });
	});

	it('410 disables the webhook', async () => {
		const { hook, deliveryId } = await hookWith('gone', 410);
		const delivery = await dispatcher.api.waitForDelivery(deliveryId);
		expect(delivery.status).toBe('failed');
		expect(delivery.attemptCount).toBe(1);
		// The attempt is visible as soon as it is applied; disabling the webhook follows its disk write.
		const deadline = Date.now() + 5000;
		let after = await dispatcher.api.get(`/v1/webhooks/${hook.id}`);
		while (after.body.enabled && Date.now() < deadline) {
			await new Promise((resolve) => setTimeout(resolve, 10));
			after = await dispatcher.api.get(`/v1/webhooks/${hook.id}`);
		}
		expect(after.body.enabled).toBe(false);
		expect(after.body.disabledReason).toBe('gone');
		// A webhook disabled by the dispatcher queues nothing new (one an admin paused does).
		const later = await dispatcher.api.post('/v1/events', { type: 'device.offline', data: getEventType('device.offline')?.sample });
		expect(later.body.deliveries.map((d: { webhookId: string }) => d.webhookId)).not.toContain(hook.id);
	});

	it('400 fails at once with one attempt', async () => {
		const { target, deliveryId } = await hookWith('bad-request', 400);
		const delivery = await dispatcher.api.waitForDelivery(deliveryId);
		expect(delivery.status).toBe('failed');
		expect(delivery.attemptCount).toBe(1);
		expect(delivery.responseCode).toBe(400);
		await new Promise((resolve) => setTimeout(resolve, 300));
		expect(target.requests).toHaveLength(1);
	});

	it('a paused webhook keeps its deliveries and sends them once enabled again', async () => {
		const target = await startReceiver();
		receivers.push(target);
		const hook = await dispatcher.api.post('/v1/webhooks', { name: 'paused', url: target.url, events: ['device.reboot'], enabled: false });
		const event = await dispatcher.api.post('/v1/events', { type: 'device.reboot', data: getEventType('device.reboot')?.sample });
		expect(event.body.deliveries).toHaveLength(1);
		await new Promise((resolve) => setTimeout(resolve, 300));
		expect(target.requests).toHaveLength(0);
		const pending = await dispatcher.api.get(`/v1/deliveries?webhookId=${hook.body.id}&status=pending`);
		expect(pending.body.data).toHaveLength(1);
		await dispatcher.api.patch(`/v1/webhooks/${hook.body.id}`, { enabled: true });
		await target.waitFor(1);
		expect((await dispatcher.api.waitForDelivery(event.body.deliveries[0].id)).status).toBe('succeeded');
	});

	it('single and bulk retry re-queue failed deliveries; summary counts them', async () => {
		const { target, hook, deliveryId } = await hookWith('retry-me', 400);
		await dispatcher.api.waitForDelivery(deliveryId);
		target.respondWith({ status: 200 });
		const single = await dispatcher.api.post(`/v1/deliveries/${deliveryId}/retry`);
		expect(single.status, single.text).toBe(202);
		expect((await dispatcher.api.waitForDelivery(deliveryId)).status).toBe('succeeded');

		target.respondWith({ status: 400 });
		const second = await dispatcher.api.post('/v1/events', { type: 'device.offline', data: getEventType('device.offline')?.sample });
		const secondId = second.body.deliveries.find((d: { webhookId: string }) => d.webhookId === hook.id).id;
		await dispatcher.api.waitForDelivery(secondId);
		const summaryBefore = await dispatcher.api.get(`/v1/deliveries/summary?webhookId=${hook.id}`);
		expect(summaryBefore.body).toMatchObject({ total: 2, succeeded: 1, failed: 1, pending: 0, failuresByClass: { http_4xx: 1, http_5xx: 0 } });
		expect(summaryBefore.body.byWebhook).toEqual([expect.objectContaining({ webhookId: hook.id, name: hook.name, total: 2, failed: 1 })]);
		target.respondWith({ status: 204 });
		const bulk = await dispatcher.api.post('/v1/deliveries/retry', { filter: { webhookId: hook.id, status: 'failed' } });
		expect(bulk.status, bulk.text).toBe(202);
		expect(bulk.body.requeued).toBe(1);
		expect((await dispatcher.api.waitForDelivery(secondId)).status).toBe('succeeded');
		const summaryAfter = await dispatcher.api.get(`/v1/deliveries/summary?webhookId=${hook.id}`);
		expect(summaryAfter.body).toMatchObject({ total: 2, succeeded: 2, failed: 0, pending: 0, failuresByClass: { http_4xx: 0 } });
	});
});

/**
 * Acceptance: secrets appear only in the two answers that show them once; destinations that
 * resolve into refused ranges are stopped at connect time (DNS rebinding).
 */
import type { LookupAddress } from 'node:dns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getEventType } from '../../core';
import { type TestDispatcher, startTestDispatcher } from '../helpers/dispatcher';
import { type Receiver, startReceiver } from '../helpers/receiver';

describe('secrets', () => {
	let dispatcher: TestDispatcher;
	let target: Receiver;
	beforeAll(async () => {
		dispatcher = await startTestDispatcher();
		target = await startReceiver();
	});
	afterAll(async () => {
		await dispatcher.close();
		await target.close();
	});

	it('shows the signing secret only at create and rotate, and never a password or token', async () => {
		const api = dispatcher.api;
		const password = 'hunter2-very-secret';
		const token = 'tok_abcdefghijklmnop';
		const created = await api.post('/v1/webhooks', {
			name: 'secretive',
			url: target.url,
			events: ['device.lost'],
			auth: { type: 'basic', username: 'admin', password },
			headers: { 'X-Api-Key': 'custom-header-secret' },
		});
		expect(created.status, created.text).toBe(201);
		const secret: string = created.body.signing.secret;
		expect(created.text).not.toContain(password);
		expect(created.body.auth).toEqual({ type: 'basic', username: 'admin', password: '********' });
		const id = created.body.id;
		const bearer = await api.post('/v1/webhooks', { name: 'bearer', url: target.url, auth: { type: 'bearer', token } });
		expect(bearer.text).not.toContain(token);
		const profile = await api.post('/v1/profiles', { name: 'lost', events: ['device.lost'], webhookIds: [id] });

		const event = await api.post('/v1/events', { type: 'device.lost', data: getEventType('device.lost')?.sample });
		const [arrived] = await target.waitFor(2);
		expect(arrived.headers.authorization).toBe(`Basic ${Buffer.from(`admin:${password}`).toString('base64')}`);
		await api.waitForDelivery(event.body.deliveries[0].id);

		const answers = [
			await api.get('/v1/webhooks'),
			await api.get(`/v1/webhooks/${id}`),
			await api.patch(`/v1/webhooks/${id}`, { description: 'changed' }),
			await api.get(`/v1/profiles/${profile.body.id}/preview?event=device.lost&webhookId=${id}`),
			await api.get('/v1/deliveries'),
			await api.get(`/v1/deliveries/${event.body.deliveries[0].id}`),
			await api.get(`/v1/deliveries/${event.body.deliveries[1].id}`),
			await api.post(`/v1/webhooks/${id}/test`),
			await api.post('/v1/webhooks', { name: 'secretive', url: target.url, auth: { type: 'bearer', token } }),
		];
		for (const answer of answers) {
			expect(answer.status, answer.text).toBeLessThan(500);
			for (const value of [secret, password, token, 'custom-header-secret']) expect(answer.text).not.toContain(value);
		}
		const detail = await api.get(`/v1/deliveries/${event.body.deliveries[0].id}`);
		expect(detail.body.request.headers.authorization).toBe('Basic ********');

		// A PATCH that sends the masked values back keeps the stored credentials.
		await api.patch(`/v1/webhooks/${id}`, { auth: { type: 'basic', username: 'admin', password: '********' } });
		await api.post(`/v1/webhooks/${id}/test`);
		const last = target.requests[target.requests.length - 1];
		expect(last.headers.authorization).toBe(`Basic ${Buffer.from(`admin:${password}`).toString('base64')}`);

		const rotated = await api.post(`/v1/webhooks/${id}/secret/rotate`, {});
		expect(rotated.body.signing.secret).toMatch(/^whsec_/);
		expect(rotated.body.signing.secret).not.toContain('*');
		const after = await api.get(`/v1/webhooks/${id}`);
		expect(after.text).not.toContain(rotated.body.signing.secret);
	});

	it('validate & save: ?test=true refuses to save when the test send fails', async () => {
		const failing = await startReceiver({ status: 503 });
		try {
			const refused = await dispatcher.api.post('/v1/webhooks?test=true', { name: 'validated', url: failing.url });
			expect(refused.status).toBe(422);
			expect(refused.body.error.code).toBe('webhook_test_failed');
			expect(refused.body.error.test).toMatchObject({ ok: false, statusCode: 503 });
			const [testRequest] = await failing.waitFor(1);
			expect(JSON.parse(testRequest.body).type).toBe('webhook.test');
			const list = await dispatcher.api.get('/v1/webhooks');
			expect(list.body.data.map((w: { name: string }) => w.name)).not.toContain('validated');
			failing.respondWith({ status: 200 });
			const saved = await dispatcher.api.post('/v1/webhooks?test=true', { name: 'validated', url: failing.url });
			expect(saved.status, saved.text).toBe(201);
			// Test and mock sends are not logged.
			const mock = await dispatcher.api.post(`/v1/webhooks/${saved.body.id}/mock`, { type: 'compliance.violated' });
			expect(mock.body).toMatchObject({ ok: true, statusCode: 200 });
			expect(JSON.parse(failing.requests[2].body).type).toBe('compliance.violated');
			// An unsaved config (here: an edit of the saved one, same name) is tested, not stored.
			const unsaved = await dispatcher.api.post('/v1/webhooks/test', {
				name: 'validated',
				url: failing.url,
				template: 'slack',
				signing: { scheme: 'mender', secret: 'a1b2c3d4e5f60718' },
			});
			expect(unsaved.status, unsaved.text).toBe(200);
			expect(unsaved.body).toMatchObject({ ok: true, statusCode: 200, error: null });
			expect(unsaved.body.durationMs).toBeGreaterThan(0);
			const unsavedRequest = failing.requests[3];
			expect(typeof JSON.parse(unsavedRequest.body).text).toBe('string');
			expect(unsavedRequest.headers['x-men-signature']).toMatch(/^[0-9a-f]{64}$/);
			expect((await dispatcher.api.get('/v1/webhooks')).body.data.filter((w: { name: string }) => w.name === 'validated')).toHaveLength(1);
			const log = await dispatcher.api.get(`/v1/deliveries?webhookId=${saved.body.id}`);
			expect(log.body.data).toEqual([]);
		} finally {
			await failing.close();
		}
	});
});

describe('DNS rebinding', () => {
	it('refuses at connect time a host that resolved to a public address at save time', async () => {
		const target = await startReceiver();
		let lookups = 0;
		// First answer public (passes the save-time check), then 127.0.0.1: a rebinding attack.
		const resolver = async (hostname: string): Promise<LookupAddress[]> => {
			if (hostname !== 'rebind.example') throw Object.assign(new Error('not found'), { code: 'ENOTFOUND' });
			lookups++;
			return [{ address: lookups === 1 ? '93.184.215.14' : '127.0.0.1', family: 4 }];
		};
		const dispatcher = await startTestDispatcher({ allowedCidrs: [], resolver });
		try {
			const hook = await dispatcher.api.post('/v1/webhooks', {
				name: 'rebinding',
				url: `http://rebind.example:${target.port}/hook`,
				events: ['device.online'],
			});
			expect(hook.status, hook.text).toBe(201);
			const event = await dispatcher.api.post('/v1/events', { type: 'device.online', data: getEventType('device.online')?.sample });
			const delivery = await dispatcher.api.waitForDelivery(event.body.deliveries[0].id);
			expect(delivery.status).toBe('failed');
			expect(delivery.attempts[0].error).toMatch(/127\.0\.0\.1/);
			expect(target.requests).toHaveLength(0);
			const direct = await dispatcher.api.post('/v1/webhooks', { name: 'loop', url: target.url });
			expect(direct.status).toBe(422);
		} finally {
			await dispatcher.close();
			await target.close();
		}
	});
});

/**
 * Issue 8, "also found": what answers and the delivery log show of a webhook's requests. Every
 * custom header value is masked unless listed in `nonSecretHeaders`; a receiver that echoes the
 * request does not put a credential into the stored attempt or a test answer; a stored request
 * body is cut at 64 KiB and says so; a test send is `ok` only for a complete 2xx.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { getEventType } from '../../core';
import { STORED_REQUEST_BODY_BYTES } from '../../server/delivery/redact';
import { type Json, type TestDispatcher, startTestDispatcher } from '../helpers/dispatcher';
import { type Receiver, startReceiver } from '../helpers/receiver';

const sample = getEventType('device.lost')?.sample as Json;

describe('redaction', () => {
	let dispatcher: TestDispatcher;
	let echo: Receiver;
	beforeAll(async () => {
		dispatcher = await startTestDispatcher();
		echo = await startReceiver();
		// Answers with the request's headers, as debugging endpoints do.
		echo.replyWith((request) => ({ status: 200, body: JSON.stringify(request.headers), headers: { 'content-type': 'application/json' } }));
	});
	afterEach(async () => {
		// Each test starts without profiles or webhooks, whatever the previous one left.
		for (const { id } of (await dispatcher.api.get('/v1/profiles')).body.data as Json[]) await dispatcher.api.delete(`/v1/profiles/${id}`);
		for (const { id } of (await dispatcher.api.get('/v1/webhooks')).body.data as Json[]) await dispatcher.api.delete(`/v1/webhooks/${id}`);
	});
	afterAll(async () => {
		await dispatcher.close();
		await echo.close();
	});

	it('masks every custom header value in answers and logs unless the header is listed in nonSecretHeaders', async () => {
		const api = dispatcher.api;
		const created = await api.post('/v1/webhooks', {
			name: 'headers',
			url: echo.url,
			events: ['device.lost'],
			headers: { 'X-Tenant': 'acme-corp', 'X-Custom': 'custom-value-1', 'X-Api-Key': 'key-value-2' },
			nonSecretHeaders: ['x-tenant'],
		});
		expect(created.status, created.text).toBe(201);
		const id = created.body.id;
		const shown = { 'X-Tenant': 'acme-corp', 'X-Custom': '********', 'X-Api-Key': '********' };
		expect(created.body.headers).toEqual(shown);
		expect(created.body.nonSecretHeaders).toEqual(['x-tenant']);
		expect((await api.get(`/v1/webhooks/${id}`)).body.headers).toEqual(shown);
		expect((await api.get('/v1/webhooks')).body.data[0].headers).toEqual(shown);

		const profile = await api.post('/v1/profiles', { name: 'headers', events: ['device.lost'], webhookIds: [id] });
		const preview = await api.get(`/v1/profiles/${profile.body.id}/preview?event=device.lost&webhookId=${id}`);
		expect(preview.body.headers).toMatchObject({ 'x-tenant': 'acme-corp', 'x-custom': '********', 'x-api-key': '********' });

		const event = await api.post('/v1/events', { type: 'device.lost', data: sample });
		const [arrived] = await echo.waitFor(2);
		expect(arrived.headers).toMatchObject({ 'x-tenant': 'acme-corp', 'x-custom': 'custom-value-1', 'x-api-key': 'key-value-2' });
		for (const { id: deliveryId } of event.body.deliveries) {
			const delivery = await api.waitForDelivery(deliveryId);
			expect(delivery.request.headers).toMatchObject({ 'x-tenant': 'acme-corp', 'x-custom': '********', 'x-api-key': '********' });
			expect(JSON.stringify(delivery)).not.toMatch(/custom-value-1|key-value-2/);
		}

		// Sending the masked values back keeps the real ones; dropping a listed header drops it from the list.
		const patched = await api.patch(`/v1/webhooks/${id}`, { headers: { 'X-Custom': '********', 'X-Api-Key': '********' } });
		expect(patched.status, patched.text).toBe(200);
		expect(patched.body.nonSecretHeaders).toEqual([]);
		const test = await api.post(`/v1/webhooks/${id}/test`);
		const last = echo.requests[echo.requests.length - 1];
		expect(last.headers).toMatchObject({ 'x-custom': 'custom-value-1', 'x-api-key': 'key-value-2' });
		expect(test.text).not.toMatch(/custom-value-1|key-value-2/);

		for (const [names, message] of [
			[['X-Missing'], /not one of this webhook's custom headers/],
			[['Authorization'], /always masked/],
		] as const) {
			const refused = await api.patch(`/v1/webhooks/${id}`, { nonSecretHeaders: names });
			expect(refused.status).toBe(422);
			expect(refused.body.error.details).toEqual([{ path: '/nonSecretHeaders/0', message: expect.stringMatching(message) }]);
		}
	});

	it('scrubs every secret the webhook holds from stored attempt responses and test answers', async () => {
		const api = dispatcher.api;
		const password = 'hunter2-very-secret';
		const token = 'tok_header_secret_value';
		const created = await api.post('/v1/webhooks', {
			name: 'echoed',
			url: echo.url,
			events: ['device.lost'],
			auth: { type: 'basic', username: 'admin', password },
			headers: { 'X-Token': token },
			signing: { scheme: 'scalefusion', secret: 'scalefusion-shared-secret' },
		});
		expect(created.status, created.text).toBe(201);
		const credential = Buffer.from(`admin:${password}`).toString('base64');
		const secrets = [password, credential, token, 'scalefusion-shared-secret'];

		const event = await api.post('/v1/events', { type: 'device.lost', data: sample });
		const delivery = await api.waitForDelivery(event.body.deliveries[0].id);
		const received = echo.requests[echo.requests.length - 1];
		expect(received.headers.authorization).toBe(`Basic ${credential}`);
		expect(delivery.status).toBe('succeeded');
		const stored = JSON.parse(delivery.attempts[0].response);
		expect(stored).toMatchObject({ authorization: 'Basic ********', 'x-token': '********' });
		expect(stored['x-sf-signature']).toBe(received.headers['x-sf-signature']);

		const tests = [await api.post(`/v1/webhooks/${created.body.id}/test`), await api.post(`/v1/webhooks/${created.body.id}/mock`, { type: 'device.lost' })];
		for (const answer of [...tests, await api.get(`/v1/deliveries/${delivery.id}`), await api.get(`/v1/webhooks/${created.body.id}`)]) {
			expect(answer.status, answer.text).toBe(200);
			for (const secret of secrets) expect(answer.text).not.toContain(secret);
		}
		expect(tests[0].body.ok).toBe(true);
		expect(JSON.parse(tests[0].body.response).authorization).toBe('Basic ********');
	});

	it('never shows credentials of a URL stored before they were refused, and lets that webhook be edited', async () => {
		const api = dispatcher.api;
		const created = await api.post('/v1/webhooks', { name: 'legacy', url: echo.url, events: ['device.lost'] });
		// As a data file from an older version holds it: written through the store itself.
		const legacyUrl = echo.url.replace('http://', 'http://olduser:oldpass@');
		await dispatcher.context.backend.config.updateWebhook(created.body.id, { url: legacyUrl });

		const shown = await api.get(`/v1/webhooks/${created.body.id}`);
		expect(shown.body.url).toBe(echo.url.replace('http://', 'http://********@'));
		const edited = await api.patch(`/v1/webhooks/${created.body.id}`, { description: 'still editable' });
		expect(edited.status, edited.text).toBe(200);
		const event = await api.post('/v1/events', { type: 'device.lost', data: sample });
		const delivery = await api.waitForDelivery(event.body.deliveries[0].id);
		expect(delivery.request.url).toBe(echo.url.replace('http://', 'http://********@'));
		for (const answer of [shown, edited, await api.get('/v1/webhooks'), await api.get(`/v1/deliveries/${delivery.id}`)]) {
			expect(answer.text).not.toContain('oldpass');
		}
		// Sending the masked URL back is a change of URL: refused, pointing to auth.
		const back = await api.patch(`/v1/webhooks/${created.body.id}`, { url: shown.body.url });
		expect(back.status).toBe(422);
		expect(back.body.error.details[0]).toMatchObject({ path: '/url', message: expect.stringContaining('/auth') });
	});

	it('stores at most 64 KiB of a sent body, flagged, while the receiver gets all of it', async () => {
		const api = dispatcher.api;
		const sink = await startReceiver();
		try {
			const webhook = await api.post('/v1/webhooks', { name: 'big bodies', url: sink.url });
			const profile = await api.post('/v1/profiles', {
				name: 'big',
				events: ['device.lost'],
				webhookIds: [webhook.body.id],
				payload: '{"text": $pad("é", 100000, "y")}',
			});
			expect(profile.status, profile.text).toBe(201);
			const event = await api.post('/v1/events', { type: 'device.lost', data: sample });
			const delivery = await api.waitForDelivery(event.body.deliveries[0].id);
			const [arrived] = await sink.waitFor(1);
			const fullBytes = arrived.raw.length;
			expect(JSON.parse(arrived.body).text).toHaveLength(100000);
			expect(delivery.request.bodyTruncated).toBe(true);
			expect(delivery.request.bodyBytes).toBe(fullBytes);
			expect(Buffer.byteLength(delivery.request.body)).toBeLessThanOrEqual(STORED_REQUEST_BODY_BYTES);
			expect(Buffer.byteLength(delivery.request.body)).toBeGreaterThan(STORED_REQUEST_BODY_BYTES - 4);
			expect(arrived.body.startsWith(delivery.request.body)).toBe(true);

			// A small body is stored whole, without the flag.
			await api.patch(`/v1/profiles/${profile.body.id}`, { payload: '{"text": "small"}' });
			const small = await api.waitForDelivery((await api.post('/v1/events', { type: 'device.lost', data: sample })).body.deliveries[0].id);
			expect(small.request.body).toBe('{"text":"small"}');
			expect(small.request).not.toHaveProperty('bodyTruncated');
		} finally {
			await sink.close();
		}
	});

	it('answers a test send whose body trickles in at 1 byte/s with ok: false and the timeout', async () => {
		const sockets = new Set<import('node:net').Socket>();
		const trickle = http.createServer((_request, response) => {
			response.writeHead(200, { 'content-type': 'text/plain' });
			const timer = setInterval(() => response.write('.'), 1000);
			response.on('close', () => clearInterval(timer));
		});
		trickle.on('connection', (socket) => sockets.add(socket));
		await new Promise<void>((resolve) => trickle.listen(0, '127.0.0.1', resolve));
		try {
			const url = `http://127.0.0.1:${(trickle.address() as AddressInfo).port}/hook`;
			const answer = await dispatcher.api.post('/v1/webhooks/test', { name: 'trickle', url, timeoutSeconds: 2 });
			expect(answer.status, answer.text).toBe(200);
			expect(answer.body).toMatchObject({ ok: false, statusCode: 200, error: 'timeout after 2 s' });
			expect(answer.body.durationMs).toBeGreaterThanOrEqual(2000);
			// Validate & save refuses it too.
			const saved = await dispatcher.api.post('/v1/webhooks?test=true', { name: 'trickle', url, timeoutSeconds: 1 });
			expect(saved.status).toBe(422);
			expect(saved.body.error.code).toBe('webhook_test_failed');
		} finally {
			for (const socket of sockets) socket.destroy();
			await new Promise((resolve) => trickle.close(resolve));
		}
	});
});

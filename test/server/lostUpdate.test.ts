/**
 * The lost update: a PATCH that awaits DNS for its new URL must not overwrite a 410-disable the
 * worker recorded meanwhile. Updates are narrow (only the fields a PATCH names are written), so
 * after both the webhook has the new URL and is still disabled as gone. Runs on both backends.
 */
import type { LookupAddress } from 'node:dns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getEventType } from '../../core';
import { type TestDispatcher, startTestDispatcher } from '../helpers/dispatcher';
import { type Receiver, startReceiver } from '../helpers/receiver';

let dispatcher: TestDispatcher;
let gone: Receiver;
let releaseDns: () => void = () => undefined;
let dnsAsked: () => void = () => undefined;

beforeAll(async () => {
	gone = await startReceiver({ status: 410 });
	// slow.test resolves to loopback, but only when the test lets it.
	const resolver = async (hostname: string): Promise<LookupAddress[]> => {
		if (hostname === 'slow.test') {
			dnsAsked();
			await new Promise<void>((resolve) => (releaseDns = resolve));
		}
		return [{ address: '127.0.0.1', family: 4 }];
	};
	dispatcher = await startTestDispatcher({ resolver });
});

afterAll(async () => {
	await dispatcher.close();
	await gone.close();
});

describe('a PATCH racing a 410-disable', () => {
	it('keeps the disable: the PATCH writes only what it changes', async () => {
		const api = dispatcher.api;
		const hook = await api.post('/v1/webhooks', { name: 'racing', url: gone.url, events: ['device.lost'] });
		expect(hook.status, hook.text).toBe(201);

		// 1. The PATCH reads the webhook (enabled) and waits on DNS for its new URL.
		const asked = new Promise<void>((resolve) => (dnsAsked = resolve));
		const patch = api.patch(`/v1/webhooks/${hook.body.id}`, {
			url: `http://slow.test:${gone.port}/new`,
			description: 'moved',
		});
		await asked;

		// 2. Meanwhile a delivery gets 410 Gone and the worker disables the webhook.
		await api.post('/v1/events', { type: 'device.lost', data: getEventType('device.lost')?.sample });
		await gone.waitFor(1);
		const deadline = Date.now() + 5000;
		let current = await api.get(`/v1/webhooks/${hook.body.id}`);
		while (current.body.enabled && Date.now() < deadline) {
			await new Promise((resolve) => setTimeout(resolve, 20));
			current = await api.get(`/v1/webhooks/${hook.body.id}`);
		}
		expect(current.body).toMatchObject({ enabled: false, disabledReason: 'gone' });

		// 3. The PATCH completes: its fields are applied, the disable stays.
		releaseDns();
		const patched = await patch;
		expect(patched.status, patched.text).toBe(200);
		expect(patched.body).toMatchObject({ url: `http://slow.test:${gone.port}/new`, description: 'moved', enabled: false, disabledReason: 'gone' });
		const after = await api.get(`/v1/webhooks/${hook.body.id}`);
		expect(after.body).toMatchObject({ url: `http://slow.test:${gone.port}/new`, description: 'moved', enabled: false, disabledReason: 'gone' });
	});
});

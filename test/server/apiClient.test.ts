/**
 * A client generated from the OpenAPI document (openapi-typescript types in
 * test/generated/openapi.ts, openapi-fetch) compiles (`npm test` type-checks this file) and works
 * against a real dispatcher: the calls below are typed by the document alone. The type assertions
 * tie the server's own answer types to the document's schemas: if they drift, the typecheck fails.
 */
import createClient from 'openapi-fetch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getEventType } from '../../core';
import type { TestSendResult } from '../../server/delivery/testSender';
import type { WebhookView } from '../../server/services/webhookService';
import type { DeliveryRecord, DeliverySummary, ProfileRecord } from '../../server/store/types';
import type { components, paths } from '../generated/openapi';
import { TEST_API_KEY, type TestDispatcher, startTestDispatcher } from '../helpers/dispatcher';
import { type Receiver, startReceiver } from '../helpers/receiver';

type Schemas = components['schemas'];
/** Compiles only when `Actual` can be used where the document's `Documented` is promised. */
type Assignable<Documented, Actual extends Documented> = Actual;
export type ServerTypesFitTheDocument = [
	Assignable<Schemas['Webhook'], WebhookView>,
	Assignable<Schemas['Profile'], ProfileRecord>,
	Assignable<Schemas['Delivery'], Omit<DeliveryRecord, 'attempts' | 'request'>>,
	Assignable<Schemas['TestResult'], TestSendResult>,
	Assignable<Omit<Schemas['DeliverySummary'], 'byWebhook'>, Omit<DeliverySummary, 'byWebhook'>>,
];

let dispatcher: TestDispatcher;
let receiver: Receiver;
beforeAll(async () => {
	dispatcher = await startTestDispatcher();
	receiver = await startReceiver();
});
afterAll(async () => {
	await receiver.close();
	await dispatcher.close();
});

describe('a client generated from the OpenAPI document', () => {
	it('creates a webhook, sends an event and finds its deliveries, typed end to end', async () => {
		const client = createClient<paths>({ baseUrl: dispatcher.baseUrl, headers: { authorization: `Bearer ${TEST_API_KEY}` } });

		const catalog = await client.GET('/v1/event-types');
		expect(catalog.data?.data.map((entry) => entry.category)).toContain('operational');

		const created = await client.POST('/v1/webhooks', {
			body: { name: 'Typed client', url: receiver.url, events: ['device.enrolled'], signing: { scheme: 'standard-ed25519' } },
		});
		expect(created.response.status).toBe(201);
		const webhook = created.data;
		if (!webhook) throw new Error(JSON.stringify(created.error));
		expect(webhook.signing.publicKey).toMatch(/^whpk_/);

		const sent = await client.POST('/v1/events', {
			body: { type: 'device.enrolled', id: 'evt_typed_client', data: getEventType('device.enrolled')!.sample },
		});
		expect(sent.response.status).toBe(202);
		const deliveryId = sent.data?.deliveries[0]?.id ?? '';
		await dispatcher.api.waitForDelivery(deliveryId);

		const event = await client.GET('/v1/events/{id}', { params: { path: { id: 'evt_typed_client' } } });
		expect(event.data?.deliveries.map((delivery) => [delivery.id, delivery.status])).toEqual([[deliveryId, 'succeeded']]);
		const page = await client.GET('/v1/deliveries', { params: { query: { eventId: 'evt_typed_client', limit: 10 } } });
		expect(page.data?.data.map((delivery) => delivery.webhookId)).toEqual([webhook.id]);
		const summary = await client.GET('/v1/deliveries/summary', { params: { query: { webhookId: webhook.id } } });
		expect(summary.data?.byWebhook[0]).toMatchObject({ webhookId: webhook.id, name: 'Typed client', succeeded: 1 });

		// Errors come typed too.
		const missing = await client.GET('/v1/webhooks/{id}', { params: { path: { id: 'wh_missing' } } });
		expect(missing.response.status).toBe(404);
		expect(missing.error?.error.code).toBe('not_found');
		const unauthorised = await createClient<paths>({ baseUrl: dispatcher.baseUrl }).GET('/v1/webhooks');
		expect(unauthorised.error?.error.code).toBe('unauthorized');
	});
});

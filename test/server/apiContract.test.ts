/**
 * The API answers what its OpenAPI document says: every operation of the document is called on a
 * real dispatcher (loopback receivers behind the webhooks), and every answer, success or error, is
 * validated against the schema the document gives for that operation and status. The document's
 * answer schemas are closed, so a field the code adds or drops fails here.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getEventType } from '../../core';
import { type Json, TEST_API_KEY, type TestDispatcher, startTestDispatcher } from '../helpers/dispatcher';
import { OpenApiContract } from '../helpers/openapiContract';
import { type Receiver, startReceiver } from '../helpers/receiver';
import { KOBITON_SEED_BODY } from '../helpers/vendorBodies';

let dispatcher: TestDispatcher;
let receiver: Receiver;
let failing: Receiver;
let contract: OpenApiContract;
const problems: string[] = [];

beforeAll(async () => {
	dispatcher = await startTestDispatcher();
	receiver = await startReceiver();
	failing = await startReceiver({ status: 503, body: 'down' });
	contract = new OpenApiContract((await (await fetch(`${dispatcher.baseUrl}/openapi.json`)).json()) as Json);
});
afterAll(async () => {
	await receiver?.close();
	await failing?.close();
	await dispatcher?.close();
});

interface CallOptions {
	body?: unknown;
	raw?: string;
	headers?: Record<string, string>;
	/** Default: the API key. */
	auth?: string | null;
}

/** One request, its answer checked against the document. */
async function call(method: string, path: string, options: CallOptions = {}): Promise<{ status: number; body: Json; headers: Headers }> {
	const auth = options.auth === undefined ? `Bearer ${TEST_API_KEY}` : options.auth;
	const response = await fetch(`${dispatcher.baseUrl}${path}`, {
		method,
		headers: {
			...(auth ? { authorization: auth } : {}),
			...(options.body !== undefined || options.raw !== undefined ? { 'content-type': 'application/json' } : {}),
			...options.headers,
		},
		body: options.raw ?? (options.body !== undefined ? JSON.stringify(options.body) : undefined),
	});
	const text = await response.text();
	const type = response.headers.get('content-type');
	const body = text && type?.startsWith('application/json') ? (JSON.parse(text) as Json) : text;
	problems.push(...contract.check(method, path, response.status, response.status === 204 ? null : type, body));
	return { status: response.status, body, headers: response.headers };
}

describe('every operation answers as the OpenAPI document says', () => {
	it('covers the whole API, successes and errors', async () => {
		// Operations, catalog
		expect((await call('GET', '/healthz', { auth: null })).status).toBe(200);
		expect((await call('GET', '/metrics')).status).toBe(200);
		expect((await call('GET', '/metrics', { auth: null })).status).toBe(401);
		expect((await call('GET', '/openapi.json', { auth: null })).status).toBe(200);
		expect((await call('GET', '/docs', { auth: null })).status).toBe(200);
		expect((await call('GET', '/v1/event-types')).status).toBe(200);
		expect((await call('GET', '/v1/event-types', { auth: 'Bearer wrong' })).status).toBe(401);

		// Webhooks
		const created = await call('POST', '/v1/webhooks', {
			body: { name: 'Contract', url: receiver.url, events: ['device.*'], auth: { type: 'bearer', token: 'contract-token-1234' }, headers: { 'x-tenant': 'acme' } },
		});
		expect(created.status).toBe(201);
		const webhookId = created.body.id as string;
		const ed = await call('POST', '/v1/webhooks?test=true', { body: { name: 'Contract ed25519', url: receiver.url, signing: { scheme: 'standard-ed25519' } } });
		expect(ed.status).toBe(201);
		expect((await call('POST', '/v1/webhooks?test=true', { body: { name: 'Refused', url: failing.url } })).status).toBe(422);
		expect((await call('POST', '/v1/webhooks', { body: { name: 'Bad', url: 'ftp://x' } })).status).toBe(422);
		expect((await call('POST', '/v1/webhooks', { raw: '{"name":' })).status).toBe(400);
		expect((await call('GET', '/v1/webhooks')).status).toBe(200);
		expect((await call('GET', `/v1/webhooks/${webhookId}`)).status).toBe(200);
		expect((await call('GET', '/v1/webhooks/wh_missing')).status).toBe(404);
		expect((await call('PATCH', `/v1/webhooks/${webhookId}`, { body: { description: 'checked' } })).status).toBe(200);
		expect((await call('POST', '/v1/webhooks/test', { body: { name: 'Unsaved', url: receiver.url } })).status).toBe(200);
		expect((await call('POST', `/v1/webhooks/${webhookId}/test`)).status).toBe(200);
		expect((await call('POST', `/v1/webhooks/${webhookId}/mock`, { body: { type: 'compliance.violated' } })).status).toBe(200);
		const rotated = await call('POST', `/v1/webhooks/${ed.body.id}/secret/rotate`, { body: {} });
		expect(rotated.status).toBe(200);
		expect(rotated.body.signing.previousPublicKey).toMatch(/^whpk_/);

		// Profiles
		const profile = await call('POST', '/v1/profiles', { body: { name: 'Contract profile', events: ['device.enrolled'], webhookIds: [webhookId], payload: '{"text": type}' } });
		expect(profile.status).toBe(201);
		const profileId = profile.body.id as string;
		expect((await call('POST', '/v1/profiles', { body: { name: 'Broken', events: ['device.enrolled'], webhookIds: [webhookId], condition: '$$$(' } })).status).toBe(422);
		expect((await call('GET', '/v1/profiles')).status).toBe(200);
		expect((await call('GET', `/v1/profiles/${profileId}`)).status).toBe(200);
		expect((await call('PATCH', `/v1/profiles/${profileId}`, { body: { description: 'checked' } })).status).toBe(200);
		expect((await call('GET', `/v1/profiles/${profileId}/preview?event=device.enrolled&webhookId=${webhookId}`)).status).toBe(200);

		// Events and deliveries
		const event = await call('POST', '/v1/events', { body: { type: 'device.enrolled', id: 'evt_contract_1', data: getEventType('device.enrolled')!.sample } });
		expect(event.status).toBe(202);
		expect((await call('POST', '/v1/events', { body: { type: 'device.enrolled', id: 'evt_contract_1', data: getEventType('device.enrolled')!.sample } })).status).toBe(200);
		expect((await call('POST', '/v1/events', { body: { type: 'webhook.failing', data: getEventType('webhook.failing')!.sample } })).status).toBe(422);
		const deliveryId = event.body.deliveries[0].id as string;
		await dispatcher.api.waitForDelivery(deliveryId);
		await dispatcher.api.waitForDelivery(event.body.deliveries[1].id);
		expect((await call('GET', '/v1/events/evt_contract_1')).body.deliveries).toHaveLength(2);
		expect((await call('GET', '/v1/events/evt_missing')).status).toBe(404);
		expect((await call('GET', '/v1/deliveries?eventId=evt_contract_1')).body.data).toHaveLength(2);
		expect((await call('GET', '/v1/deliveries?limit=0')).status).toBe(400);
		expect((await call('GET', `/v1/deliveries/${deliveryId}`)).status).toBe(200);
		const summary = await call('GET', `/v1/deliveries/summary?webhookId=${webhookId}`);
		expect(summary.body).toMatchObject({ total: 2, succeeded: 2, byWebhook: [{ webhookId, name: 'Contract', total: 2 }] });
		expect((await call('POST', `/v1/deliveries/${deliveryId}/retry`)).status).toBe(202);
		expect((await call('POST', `/v1/deliveries/${deliveryId}/retry`)).status).toBe(409);
		await dispatcher.api.waitForDelivery(deliveryId);
		expect((await call('POST', '/v1/deliveries/retry', { body: { filter: { eventId: 'evt_contract_1' } } })).status).toBe(202);

		// Sources and vendor ingest
		const source = await call('POST', '/v1/sources', { body: { name: 'Contract lab', vendor: 'kobiton' } });
		expect(source.status).toBe(201);
		const sourceId = source.body.id as string;
		const ingestPath = new URL(source.body.ingestUrl as string).pathname;
		expect((await call('POST', ingestPath, { raw: KOBITON_SEED_BODY, auth: null })).status).toBe(202);
		expect((await call('POST', ingestPath, { raw: KOBITON_SEED_BODY, auth: null })).status).toBe(200);
		expect((await call('POST', `/ingest/${sourceId}/wrong-token`, { raw: KOBITON_SEED_BODY, auth: null })).status).toBe(401);
		expect((await call('GET', '/v1/sources')).status).toBe(200);
		expect((await call('GET', `/v1/sources/${sourceId}`)).status).toBe(200);
		expect((await call('PATCH', `/v1/sources/${sourceId}`, { body: { description: 'checked' } })).status).toBe(200);
		expect((await call('POST', `/v1/sources/${sourceId}/rotate`, { body: {} })).status).toBe(200);
		expect((await call('DELETE', `/v1/sources/${sourceId}`)).status).toBe(204);

		// Console session
		const signIn = await call('POST', '/v1/session', { body: { apiKey: TEST_API_KEY }, headers: { 'x-mdm-console': '1' }, auth: null });
		expect(signIn.status).toBe(201);
		const cookie = String(signIn.headers.get('set-cookie')).split(';')[0];
		expect((await call('GET', '/v1/session', { headers: { cookie }, auth: null })).status).toBe(200);
		expect((await call('POST', '/v1/session', { body: { apiKey: TEST_API_KEY }, auth: null })).status).toBe(403);
		expect((await call('DELETE', '/v1/session', { headers: { cookie, 'x-mdm-console': '1' }, auth: null })).status).toBe(204);
		expect((await call('GET', '/v1/session', { headers: { cookie }, auth: null })).status).toBe(401);

		// Deletes last
		expect((await call('DELETE', `/v1/webhooks/${webhookId}`)).status).toBe(409);
		expect((await call('DELETE', `/v1/profiles/${profileId}`)).status).toBe(204);
		expect((await call('DELETE', `/v1/webhooks/${webhookId}`)).status).toBe(204);

		expect(problems).toEqual([]);
		// The check has teeth: a field the code would add, or drop, does not fit.
		const json = 'application/json; charset=utf-8';
		expect(contract.check('GET', `/v1/webhooks/${webhookId}`, 200, json, created.body)).toEqual([]);
		expect(contract.check('GET', `/v1/webhooks/${webhookId}`, 200, json, { ...created.body, leaked: 'x' })).toEqual([
			'getWebhook 200: /leaked unknown field',
		]);
		const { failingSince: _dropped, ...withoutField } = created.body;
		expect(contract.check('GET', `/v1/webhooks/${webhookId}`, 200, json, withoutField)).toEqual([
			"getWebhook 200: /failingSince must have required property 'failingSince'",
		]);
		expect(contract.check('GET', `/v1/webhooks/${webhookId}`, 418, json, {})).toEqual(['getWebhook: status 418 is not in the document']);
		const unchecked = contract.operations
			.filter((op) => ![...(contract.checked.get(op.operationId) ?? [])].some((status) => status.startsWith('2')))
			.map((op) => op.operationId);
		expect(unchecked).toEqual([]);
	});
});

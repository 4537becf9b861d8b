/**
 * Send Webhook, run in n8n-core's WorkflowExecute with n8n's real HTTP helper, delivering to
 * loopback receivers that keep the raw bytes. Signatures are checked with the core's schemes (the
 * dispatcher's own code) and independently with the `standardwebhooks` package / node:crypto.
 */
import { createHmac, randomBytes } from 'node:crypto';

import type { ICredentialDataDecryptedObject, IDataObject, INodeExecutionData } from 'n8n-workflow';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { generateEd25519KeyPair, renderTemplate, verifySignature } from '../../core';
import type { EventEnvelope } from '../../core';
import { SendWebhook } from '../../nodes/SendWebhook/SendWebhook.node';
import { startTestDispatcher } from '../helpers/dispatcher';
import { executeNode } from './helpers/n8n';
import { type Receiver, startReceiver } from '../helpers/receiver';

const SECRET = `whsec_${randomBytes(24).toString('base64')}`;
const HMAC_SECRET = 'scalefusion-shared-secret';
const MENDER_SECRET = '5a3c9e0f1b7d2468ace13579bdf02468ace13579bdf02468ace13579bdf02468';

const envelope: EventEnvelope = {
	id: 'evt_send_1',
	type: 'device.enrolled',
	timestamp: '2026-11-22T10:00:00.000Z',
	data: {
		device: { id: 'dev_42', name: 'Galaxy Note 8', platform: 'android' },
		user: { email: 'ana@example.com' },
	},
};

let receiver: Receiver;
beforeAll(async () => {
	receiver = await startReceiver();
});
afterAll(async () => {
	await receiver.close();
});
beforeEach(() => {
	receiver.requests.length = 0;
	receiver.replyWith(() => ({ status: 200, headers: { 'content-type': 'application/json' }, body: '{"ok":true}' }));
});

type Params = IDataObject;

async function send(
	parameters: Params,
	items: INodeExecutionData[] = [{ json: envelope as unknown as IDataObject }],
	credentials: Record<string, ICredentialDataDecryptedObject> = {},
	onError?: 'continueRegularOutput',
) {
	const nodeCredentials: Record<string, { id: string; name: string }> = {};
	if (credentials.webhookSigningSecretApi) nodeCredentials.webhookSigningSecretApi = { id: 'c1', name: 'Signing' };
	if (credentials.destinationAuthApi) nodeCredentials.destinationAuthApi = { id: 'c2', name: 'Auth' };
	return await executeNode(
		{
			type: 'sendWebhook',
			parameters: { url: `${receiver.origin}/hook`, ...parameters } as never,
			credentials: nodeCredentials,
			onError,
		},
		items,
		{ credentials },
	);
}

const headerString = (value: string | string[] | undefined) => (Array.isArray(value) ? value.join(', ') : value ?? '');

describe('Send Webhook: signed delivery', () => {
	it('custom template, Standard Webhooks: the exact bytes, verified by the core and by standardwebhooks', async () => {
		const { outputs, task } = await send(
			{ template: 'custom', payloadSource: 'template', signing: 'webhookSigningSecretApi' },
			undefined,
			{ webhookSigningSecretApi: { scheme: 'standard', secret: SECRET } },
		);
		expect(task.error, task.error?.message).toBeUndefined();
		expect(receiver.requests).toHaveLength(1);
		const [req] = receiver.requests;

		expect(req.method).toBe('POST');
		expect(req.raw.toString('utf8')).toBe(JSON.stringify(renderTemplate('custom', envelope)));
		expect(req.headers['content-type']).toBe('application/json');
		expect(req.headers['webhook-id']).toMatch(/^msg_[A-Za-z0-9_-]{20,}$/);

		const core = verifySignature('standard', { headers: req.headers, body: req.raw, secret: SECRET });
		expect(core).toEqual({ valid: true });
		const independent = new Webhook(SECRET).verify(req.raw.toString('utf8'), {
			'webhook-id': headerString(req.headers['webhook-id']),
			'webhook-timestamp': headerString(req.headers['webhook-timestamp']),
			'webhook-signature': headerString(req.headers['webhook-signature']),
		});
		expect(independent).toEqual(renderTemplate('custom', envelope));

		const [out] = outputs[0];
		expect(out.pairedItem).toEqual({ item: 0 });
		expect(out.json).toMatchObject({ statusCode: 200, body: { ok: true }, messageId: req.headers['webhook-id'] });
		expect(out.json.headers).toMatchObject({ 'content-type': 'application/json' });
		expect(typeof out.json.durationMs).toBe('number');
	});

	it('Scalefusion and Mender signatures are hex HMAC-SHA256 of the bytes received', async () => {
		await send({ payloadSource: 'template', signing: 'webhookSigningSecretApi' }, undefined, {
			webhookSigningSecretApi: { scheme: 'scalefusion', secret: HMAC_SECRET },
		});
		await send({ payloadSource: 'template', signing: 'webhookSigningSecretApi' }, undefined, {
			webhookSigningSecretApi: { scheme: 'mender', secret: MENDER_SECRET },
		});
		const [sf, men] = receiver.requests;
		const expected = (raw: Buffer) => createHmac('sha256', HMAC_SECRET).update(raw).digest('hex');
		expect(sf.headers['x-sf-signature']).toBe(expected(sf.raw));
		// Mender keys with the hex-decoded secret, as its server does.
		expect(men.headers['x-men-signature']).toBe(
			createHmac('sha256', Buffer.from(MENDER_SECRET, 'hex')).update(men.raw).digest('hex'),
		);
		expect(verifySignature('scalefusion', { headers: sf.headers, body: sf.raw, secret: HMAC_SECRET }).valid).toBe(true);
		expect(verifySignature('mender', { headers: men.headers, body: men.raw, secret: MENDER_SECRET }).valid).toBe(true);
		expect(sf.headers['webhook-signature']).toBeUndefined();
	});

	it('Standard Webhooks Ed25519: signed with the whsk_ key, verified with its whpk_ public key; a public key cannot sign', async () => {
		const { secretKey, publicKey } = generateEd25519KeyPair();
		await send({ payloadSource: 'template', signing: 'webhookSigningSecretApi' }, undefined, {
			webhookSigningSecretApi: { scheme: 'standard-ed25519', secret: secretKey },
		});
		const [req] = receiver.requests;
		expect(req.headers['webhook-signature']).toMatch(/^v1a,/);
		expect(verifySignature('standard-ed25519', { headers: req.headers, body: req.raw, secret: publicKey })).toEqual({ valid: true });
		const { task } = await send({ payloadSource: 'template', signing: 'webhookSigningSecretApi' }, undefined, {
			webhookSigningSecretApi: { scheme: 'standard-ed25519', secret: publicKey },
		});
		expect(task.error?.message).toMatch(/cannot sign with "standard-ed25519"/);
		expect(receiver.requests).toHaveLength(1);
	});

	it('a Mender credential whose secret is not hex is a clear node error, nothing sent', async () => {
		const { task } = await send({ payloadSource: 'template', signing: 'webhookSigningSecretApi' }, undefined, {
			webhookSigningSecretApi: { scheme: 'mender', secret: HMAC_SECRET },
		});
		expect(task.error?.message).toMatch(/cannot sign with "mender"/);
		expect(String((task.error as { description?: string } | undefined)?.description)).toMatch(/hex/);
		expect(receiver.requests).toHaveLength(0);
	});

	it('a generic-HMAC credential cannot sign (verification only)', async () => {
		const { task } = await send({ signing: 'webhookSigningSecretApi' }, undefined, {
			webhookSigningSecretApi: { scheme: 'hmac', secret: HMAC_SECRET },
		});
		expect(task.error?.message).toMatch(/cannot sign/);
		expect(receiver.requests).toHaveLength(0);
	});

	it('unsigned by default; a given Message ID becomes webhook-id, otherwise each item gets its own', async () => {
		await send({ messageId: '={{ "msg_" + $json.id }}' });
		expect(receiver.requests[0].headers['webhook-id']).toBe('msg_evt_send_1');
		expect(receiver.requests[0].headers['webhook-signature']).toBeUndefined();

		receiver.requests.length = 0;
		await send({}, [{ json: envelope as unknown as IDataObject }, { json: envelope as unknown as IDataObject }]);
		const ids = receiver.requests.map((r) => r.headers['webhook-id']);
		expect(ids).toHaveLength(2);
		expect(ids[0]).not.toBe(ids[1]);
	});
});

describe('Send Webhook: payloads', () => {
	it('Slack and Teams templates render the core templates', async () => {
		await send({ template: 'slack', payloadSource: 'template' });
		await send({ template: 'teams', payloadSource: 'template' });
		const [slack, teams] = receiver.requests.map((r) => JSON.parse(r.raw.toString('utf8')) as IDataObject);
		expect(slack).toEqual(renderTemplate('slack', envelope));
		expect(typeof slack.text).toBe('string');
		expect(Array.isArray(slack.blocks)).toBe(true);
		expect(teams).toEqual(renderTemplate('teams', envelope));
		expect((teams.attachments as IDataObject[])[0].contentType).toBe('application/vnd.microsoft.card.adaptive');
	});

	it('JSONata maps the item; the template need not apply', async () => {
		const { task } = await send({
			template: 'custom',
			payloadSource: 'jsonata',
			jsonataExpression: '{ "text": "Enrolled: " & data.device.name, "platform": $uppercase(data.device.platform) }',
		});
		expect(task.error).toBeUndefined();
		expect(JSON.parse(receiver.requests[0].raw.toString('utf8'))).toEqual({
			text: 'Enrolled: Galaxy Note 8',
			platform: 'ANDROID',
		});
	});

	it('a JSONata syntax error is a node error naming the position', async () => {
		const { task } = await send({ payloadSource: 'jsonata', jsonataExpression: '{ "a": data.device.name ' });
		expect(task.error?.message).toMatch(/does not compile.*position/);
		expect(receiver.requests).toHaveLength(0);
	});

	it('raw JSON is sent compactly, as given', async () => {
		await send({ payloadSource: 'json', jsonBody: '{\n  "hello": "world",\n  "n": [1, 2]\n}' });
		expect(receiver.requests[0].raw.toString('utf8')).toBe('{"hello":"world","n":[1,2]}');
	});

	it('an item that is not an envelope cannot use the template payload', async () => {
		const { task } = await send({ payloadSource: 'template' }, [{ json: { hello: 'world' } }]);
		expect(task.error?.message).toMatch(/not an event envelope/);
	});
});

describe('Send Webhook: request options', () => {
	it('basic and bearer destination auth, PUT/PATCH, custom headers', async () => {
		await send(
			{
				method: 'PUT',
				authentication: 'destinationAuthApi',
				headers: { values: [{ name: 'X-Tenant', value: 'acme' }] },
			},
			undefined,
			{ destinationAuthApi: { authType: 'basic', username: 'ana', password: 'p@ss:word' } },
		);
		await send({ method: 'PATCH', authentication: 'destinationAuthApi' }, undefined, {
			destinationAuthApi: { authType: 'bearer', token: 'tok_123' },
		});
		const [basic, bearer] = receiver.requests;
		expect(basic.method).toBe('PUT');
		expect(basic.headers.authorization).toBe(`Basic ${Buffer.from('ana:p@ss:word').toString('base64')}`);
		expect(basic.headers['x-tenant']).toBe('acme');
		expect(bearer.method).toBe('PATCH');
		expect(bearer.headers.authorization).toBe('Bearer tok_123');
	});

	it('refuses forbidden custom headers before sending', async () => {
		const { task } = await send({ headers: { values: [{ name: 'Webhook-Signature', value: 'v1,forged' }] } });
		expect(task.error?.message).toMatch(/custom headers/);
		expect(receiver.requests).toHaveLength(0);
	});

	it('takes its URL from an expression per item', async () => {
		const items = [1, 2].map((n) => ({ json: { ...envelope, path: `/tenant-${n}` } as unknown as IDataObject }));
		const { outputs } = await send({ url: `={{ "${receiver.origin}" + $json.path }}` }, items);
		expect(receiver.requests.map((r) => r.url)).toEqual(['/tenant-1', '/tenant-2']);
		expect(outputs[0].map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
	});
});

describe('Send Webhook: failures', () => {
	it('a non-2xx answer is a NodeApiError carrying the status', async () => {
		receiver.replyWith(() => ({ status: 503, body: 'maintenance' }));
		const { task } = await send({});
		expect(task.error?.name).toBe('NodeApiError');
		expect(task.error?.message).toMatch(/HTTP 503/);
		expect((task.error as unknown as { httpCode: string }).httpCode).toBe('503');
	});

	it('continue-on-fail emits the error on the failing item and keeps the others', async () => {
		receiver.replyWith((req) => (req.url === '/bad' ? { status: 500, body: 'boom' } : { status: 204 }));
		const items = ['/ok', '/bad', '/ok'].map((path) => ({ json: { ...envelope, path } as unknown as IDataObject }));
		const { outputs, task } = await send({ url: `={{ "${receiver.origin}" + $json.path }}` }, items, {}, 'continueRegularOutput');
		expect(task.error).toBeUndefined();
		const out = outputs[0];
		expect(out.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(out[0].json).toMatchObject({ statusCode: 204, body: '' });
		expect(out[1].json).toMatchObject({ error: expect.stringMatching(/HTTP 500/), statusCode: 500 });
		expect(out[2].json.statusCode).toBe(204);
	});

	it('a timeout is an error (and an error item with continue-on-fail)', async () => {
		receiver.replyWith(() => ({ status: 200, delayMs: 1500 }));
		const failed = await send({ timeoutSeconds: 1 });
		expect(failed.task.error?.message).toMatch(/within 1 s/);

		const continued = await send({ timeoutSeconds: 1 }, undefined, {}, 'continueRegularOutput');
		expect(continued.outputs[0][0].json.error).toMatch(/within 1 s/);
		expect(continued.outputs[0][0].pairedItem).toEqual({ item: 0 });
	});

	it('does not follow redirects', async () => {
		receiver.replyWith((req) =>
			req.url === '/hook' ? { status: 302, headers: { location: `${receiver.origin}/elsewhere` } } : { status: 200 },
		);
		const { task } = await send({});
		expect(task.error?.message).toMatch(/HTTP 302/);
		expect(receiver.requests.map((r) => r.url)).toEqual(['/hook']);
	});
});

describe('Send Webhook: node contract', () => {
	it('offers the documented parameters', () => {
		const names = new SendWebhook().description.properties.map((p) => p.name);
		for (const name of [
			'template',
			'url',
			'method',
			'payloadSource',
			'jsonataExpression',
			'jsonBody',
			'authentication',
			'signing',
			'timeoutSeconds',
			'headers',
			'messageId',
		]) {
			expect(names).toContain(name);
		}
	});
});

describe('Send Webhook and the dispatcher send the same request', () => {
	it('for the same event, template and secret: same body bytes, same headers, both signatures verify', async () => {
		const dispatcher = await startTestDispatcher();
		const fromDispatcher = await startReceiver();
		try {
			for (const template of ['custom', 'slack', 'teams'] as const) {
				fromDispatcher.requests.length = 0;
				receiver.requests.length = 0;
				const created = await dispatcher.api.post('/v1/webhooks', {
					name: `parity ${template}`,
					template,
					url: `${fromDispatcher.origin}/in`,
					events: ['device.enrolled'],
					signing: { scheme: 'standard', secret: SECRET },
				});
				expect(created.status).toBe(201);
				const event = { ...envelope, id: `evt_parity_${template}` };
				const mock = await dispatcher.api.post('/v1/events', { ...event, type: 'device.enrolled' });
				expect(mock.status).toBe(202);
				await dispatcher.api.waitForDelivery(mock.body.deliveries[0].id);

				await send(
					{ template, payloadSource: 'template', signing: 'webhookSigningSecretApi' },
					[{ json: event as unknown as IDataObject }],
					{ webhookSigningSecretApi: { scheme: 'standard', secret: SECRET } },
				);

				const [theirs] = fromDispatcher.requests;
				const [ours] = receiver.requests;
				expect(ours.raw.equals(theirs.raw), template).toBe(true);
				for (const name of ['content-type', 'user-agent']) expect(ours.headers[name]).toBe(theirs.headers[name]);
				for (const req of [ours, theirs]) {
					expect(verifySignature('standard', { headers: req.headers, body: req.raw, secret: SECRET })).toEqual({
						valid: true,
					});
				}
				await dispatcher.api.delete(`/v1/webhooks/${created.body.id}`);
			}
		} finally {
			await fromDispatcher.close();
			await dispatcher.close();
		}
	});
});

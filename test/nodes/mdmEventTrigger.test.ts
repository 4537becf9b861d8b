/**
 * MDM Event Trigger against a real dispatcher (temp lowdb file, loopback, http allowed for
 * 127.0.0.0/8). The webhook lifecycle runs in n8n-core's HookContext, `webhook()` in n8n-core's
 * WebhookContext behind an express front that hands over the raw body as n8n does, and the
 * event list in n8n-core's LoadOptionsContext; all HTTP to the dispatcher goes through n8n's
 * `httpRequestWithAuthentication` with the credential's generic bearer auth.
 */
import { randomBytes } from 'node:crypto';

import type { ICredentialDataDecryptedObject, IDataObject, INode, INodePropertyOptions } from 'n8n-workflow';
import type { Workflow } from 'n8n-workflow';
import { Webhook } from 'standardwebhooks';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { getEventType, renderTemplate } from '../../core';
import type { EventEnvelope } from '../../core';
import { MdmDispatcherApi } from '../../credentials/MdmDispatcherApi.credentials';
import { MdmEventTrigger } from '../../nodes/MdmEventTrigger/MdmEventTrigger.node';
import { startTestDispatcher, TEST_API_KEY } from '../helpers/dispatcher';
import type { TestDispatcher } from '../helpers/dispatcher';
import { startReceiver } from '../helpers/receiver';
import {
	additionalData,
	executeWorkflow,
	hookContext,
	loadOptionsContext,
	makeNode,
	makeWorkflow,
	PACKAGE,
	TestCredentialsHelper,
	WebhookFront,
} from './helpers/n8n';

const trigger = new MdmEventTrigger();
const lifecycle = trigger.webhookMethods.default;

let dispatcher: TestDispatcher;
let credentials: Record<string, ICredentialDataDecryptedObject>;

beforeAll(async () => {
	dispatcher = await startTestDispatcher();
	credentials = { mdmDispatcherApi: { baseUrl: `${dispatcher.baseUrl}/`, apiKey: TEST_API_KEY } };
});
afterAll(async () => {
	await dispatcher?.close();
});

/** One trigger node in one workflow, with n8n's webhook front listening for it. */
interface Setup {
	node: INode;
	workflow: Workflow;
	staticData: IDataObject;
	front: WebhookFront;
	/** HookContext for the production (`trigger`) or test (`manual`) webhook. */
	hooks(mode?: 'trigger' | 'manual'): ReturnType<typeof hookContext>;
	productionUrl: string;
	testUrl: string;
	stored(): { webhookId?: string; secret?: string; webhookUrl?: string };
}

const setups: Setup[] = [];

async function setup(parameters: IDataObject = {}): Promise<Setup> {
	const node = makeNode({
		type: 'mdmEventTrigger',
		name: 'MDM Event Trigger',
		parameters: { events: ['device.enrolled', 'compliance.*'], condition: '', options: {}, ...parameters } as never,
		credentials: { mdmDispatcherApi: { id: 'cred-1', name: 'Dispatcher' } },
	});
	const staticData: IDataObject = {};
	const workflow = makeWorkflow([node], staticData, `wf_${randomBytes(6).toString('hex')}`);
	const front = await new WebhookFront(workflow, node, credentials).start();
	const s: Setup = {
		node,
		workflow,
		staticData,
		front,
		hooks: (mode = 'trigger') =>
			hookContext(
				workflow,
				node,
				additionalData({
					credentials,
					webhookBaseUrl: front.webhookBaseUrl,
					webhookTestBaseUrl: front.webhookTestBaseUrl,
				}),
				mode,
				mode === 'manual' ? 'manual' : 'activate',
			),
		productionUrl: `${front.webhookBaseUrl}/${node.webhookId}/webhook`,
		testUrl: `${front.webhookTestBaseUrl}/${node.webhookId}/webhook`,
		stored: () => (staticData[`node:${node.name}`] ?? {}) as ReturnType<Setup['stored']>,
	};
	setups.push(s);
	return s;
}

afterEach(async () => {
	for (const s of setups.splice(0)) {
		await lifecycle.delete.call(s.hooks('trigger'));
		await s.front.close();
	}
});

function sampleEvent(type: string, patch: IDataObject = {}) {
	const definition = getEventType(type);
	if (!definition) throw new Error(`no sample for ${type}`);
	return {
		id: `evt_${randomBytes(8).toString('hex')}`,
		type,
		timestamp: new Date().toISOString(),
		data: { ...(definition.sample as IDataObject), ...patch },
	};
}

/** A request signed by hand (standardwebhooks package), as the dispatcher would sign it. */
async function postSigned(
	url: string,
	secret: string,
	body: string,
	opts: { at?: Date; tamper?: (body: string) => string } = {},
) {
	const id = `msg_${randomBytes(8).toString('hex')}`;
	const at = opts.at ?? new Date();
	const signature = new Webhook(secret).sign(id, at, body);
	const response = await fetch(url, {
		method: 'POST',
		headers: {
			'content-type': 'application/json',
			'webhook-id': id,
			'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
			'webhook-signature': signature,
		},
		body: opts.tamper ? opts.tamper(body) : body,
	});
	return { status: response.status, body: (await response.json()) as IDataObject };
}

describe('MDM Event Trigger: event types from the dispatcher catalog', () => {
	it('loadOptions lists the catalog with wildcards first', async () => {
		const s = await setup();
		const context = loadOptionsContext(s.workflow, s.node, additionalData({ credentials }));
		const options = (await trigger.methods.loadOptions.getEventTypes.call(context)) as INodePropertyOptions[];
		const values = options.map((o) => o.value);
		expect(values[0]).toBe('*');
		expect(values).toContain('device.*');
		expect(values).toContain('compliance.*');
		expect(values).toContain('device.enrolled');
		expect(values).toContain('webhook.test');
		const enrolled = options.find((o) => o.value === 'device.enrolled');
		expect(enrolled?.description).toMatch(/enrollment/);
	});

	it('the credential test request succeeds with the key and fails without it', async () => {
		const s = await setup();
		const type = new MdmDispatcherApi();
		const request = async (apiKey: string) => {
			const creds = { ...credentials.mdmDispatcherApi, apiKey };
			const baseURL = String(
				s.workflow.expression.getSimpleParameterValue(
					s.node,
					String(type.test.request.baseURL),
					'internal',
					{ $credentials: creds } as IDataObject,
					undefined,
					'',
				),
			);
			const options = await new TestCredentialsHelper({}).authenticate(
				creds,
				type.name,
				{ url: `${baseURL}${type.test.request.url}`, method: 'GET', headers: {} },
				s.workflow,
				s.node,
			);
			return await fetch(options.url, { headers: options.headers as Record<string, string> });
		};
		expect((await request(TEST_API_KEY)).status).toBe(200);
		expect((await request('wrong-key')).status).toBe(401);
	});
});

describe('MDM Event Trigger: webhook lifecycle at a real dispatcher', () => {
	it('create registers the production URL (custom template, standard signing); checkExists; delete removes it', async () => {
		const s = await setup();
		const hooks = s.hooks('trigger');

		expect(await lifecycle.checkExists.call(hooks)).toBe(false);
		expect(await lifecycle.create.call(hooks)).toBe(true);

		const { webhookId, secret } = s.stored();
		expect(webhookId).toBeTruthy();
		expect(secret).toMatch(/^whsec_/);

		const at = await dispatcher.api.get(`/v1/webhooks/${webhookId}`);
		expect(at.status).toBe(200);
		expect(at.body).toMatchObject({
			id: webhookId,
			url: s.productionUrl,
			method: 'POST',
			template: 'custom',
			events: ['device.enrolled', 'compliance.*'],
			signing: { scheme: 'standard' },
		});
		expect(at.body.name.length).toBeLessThanOrEqual(50);
		expect(at.body.name).toContain(s.workflow.id);

		expect(await lifecycle.checkExists.call(s.hooks('trigger'))).toBe(true);

		expect(await lifecycle.delete.call(s.hooks('trigger'))).toBe(true);
		expect((await dispatcher.api.get(`/v1/webhooks/${webhookId}`)).status).toBe(404);
		expect(s.stored()).toEqual({});
		expect(await lifecycle.checkExists.call(s.hooks('trigger'))).toBe(false);
	});

	it('a webhook already gone at the dispatcher counts as deleted, and checkExists forgets it', async () => {
		const s = await setup();
		await lifecycle.create.call(s.hooks());
		const { webhookId } = s.stored();
		expect((await dispatcher.api.delete(`/v1/webhooks/${webhookId}`)).status).toBe(204);

		expect(await lifecycle.checkExists.call(s.hooks())).toBe(false);
		expect(s.stored().webhookId).toBeUndefined();

		await lifecycle.create.call(s.hooks());
		const again = s.stored().webhookId;
		await dispatcher.api.delete(`/v1/webhooks/${again}`);
		expect(await lifecycle.delete.call(s.hooks())).toBe(true);
		expect(s.stored()).toEqual({});
	});

	it('changed events make the stored webhook stale: checkExists removes it so create registers anew', async () => {
		const s = await setup();
		await lifecycle.create.call(s.hooks());
		const first = s.stored().webhookId;
		s.node.parameters.events = ['device.*'];

		expect(await lifecycle.checkExists.call(s.hooks())).toBe(false);
		expect((await dispatcher.api.get(`/v1/webhooks/${first}`)).status).toBe(404);
		await lifecycle.create.call(s.hooks());
		const second = await dispatcher.api.get(`/v1/webhooks/${s.stored().webhookId}`);
		expect(second.body.events).toEqual(['device.*']);
	});

	it('a leftover webhook with the same name (lost static data) is replaced, not duplicated', async () => {
		const s = await setup();
		await lifecycle.create.call(s.hooks());
		const lost = s.stored().webhookId;
		for (const key of Object.keys(s.stored())) delete (s.stored() as IDataObject)[key];

		expect(await lifecycle.create.call(s.hooks())).toBe(true);
		expect((await dispatcher.api.get(`/v1/webhooks/${lost}`)).status).toBe(404);
		const all = await dispatcher.api.get('/v1/webhooks');
		const mine = all.body.data.filter((w: { url: string }) => w.url === s.productionUrl);
		expect(mine).toHaveLength(1);
	});

	it('a duplicated workflow carries its original\'s static data: its trigger neither adopts nor deletes that webhook', async () => {
		const original = await setup();
		await lifecycle.create.call(original.hooks());
		const theirs = original.stored().webhookId;

		// n8n's duplicate: a new workflow id, new node and webhook ids, the static data copied.
		const copy = await setup();
		const copied = () => JSON.parse(JSON.stringify(original.stored())) as IDataObject;
		copy.staticData[`node:${copy.node.name}`] = copied();
		expect(copy.stored().webhookId).toBe(theirs);

		// Deactivating the copy before it was ever activated removes nothing.
		expect(await lifecycle.delete.call(copy.hooks())).toBe(true);
		expect(copy.stored()).toEqual({});
		expect((await dispatcher.api.get(`/v1/webhooks/${theirs}`)).status).toBe(200);

		// Activating it: not adopted, not deleted, a webhook of its own is registered.
		copy.staticData[`node:${copy.node.name}`] = copied();
		expect(await lifecycle.checkExists.call(copy.hooks())).toBe(false);
		expect(copy.stored()).toEqual({});
		expect(await lifecycle.create.call(copy.hooks())).toBe(true);
		const mine = copy.stored();
		expect(mine.webhookId).not.toBe(theirs);
		expect(mine.webhookUrl).toBe(copy.productionUrl);
		expect((await dispatcher.api.get(`/v1/webhooks/${mine.webhookId}`)).body.url).toBe(copy.productionUrl);

		// Deactivating the copy removes its own webhook only.
		expect(await lifecycle.delete.call(copy.hooks())).toBe(true);
		expect((await dispatcher.api.get(`/v1/webhooks/${mine.webhookId}`)).status).toBe(404);
		expect((await dispatcher.api.get(`/v1/webhooks/${theirs}`)).status).toBe(200);
		expect(await lifecycle.checkExists.call(original.hooks())).toBe(true);
	});

	it('a webhook pointed elsewhere at the dispatcher is no longer this node\'s: forgotten, not deleted', async () => {
		const s = await setup();
		await lifecycle.create.call(s.hooks());
		const { webhookId } = s.stored();
		const moved = await dispatcher.api.patch(`/v1/webhooks/${webhookId}`, { url: 'http://127.0.0.1:9/elsewhere' });
		expect(moved.status).toBe(200);

		expect(await lifecycle.checkExists.call(s.hooks())).toBe(false);
		expect(s.stored()).toEqual({});
		expect((await dispatcher.api.get(`/v1/webhooks/${webhookId}`)).body.url).toBe('http://127.0.0.1:9/elsewhere');
		await dispatcher.api.delete(`/v1/webhooks/${webhookId}`);
	});

	it('static data without the secret: the webhook is re-registered (a new id and secret)', async () => {
		const s = await setup();
		await lifecycle.create.call(s.hooks());
		const { webhookId: first, secret: firstSecret } = s.stored();
		delete (s.stored() as IDataObject).secret;

		expect(await lifecycle.checkExists.call(s.hooks())).toBe(false);
		expect((await dispatcher.api.get(`/v1/webhooks/${first}`)).status).toBe(404);
		expect(s.stored()).toEqual({});
		expect(await lifecycle.create.call(s.hooks())).toBe(true);
		const again = s.stored();
		expect(again.webhookId).not.toBe(first);
		expect(again.secret).toMatch(/^whsec_/);
		expect(again.secret).not.toBe(firstSecret);
		const event = sampleEvent('device.enrolled');
		expect((await postSigned(s.productionUrl, String(again.secret), JSON.stringify(event))).status).toBe(200);
	});

	it('a delete that fails (dispatcher unreachable) returns false and still clears the static data', async () => {
		const doomed = await startTestDispatcher();
		const s = await setup();
		const doomedCredentials = { mdmDispatcherApi: { baseUrl: doomed.baseUrl, apiKey: TEST_API_KEY } };
		const hooks = () =>
			hookContext(
				s.workflow,
				s.node,
				additionalData({ credentials: doomedCredentials, webhookBaseUrl: s.front.webhookBaseUrl }),
				'trigger',
				'activate',
			);
		await lifecycle.create.call(hooks());
		expect(s.stored().webhookId).toBeTruthy();
		await doomed.close();

		expect(await lifecycle.delete.call(hooks())).toBe(false);
		expect(s.stored()).toEqual({});
		// The next activation starts clean: checkExists has nothing to look up.
		expect(await lifecycle.checkExists.call(hooks())).toBe(false);
	});

	it('test mode registers the test URL under its own name and leaves the production webhook alone', async () => {
		const s = await setup();
		await lifecycle.create.call(s.hooks('trigger'));
		const production = s.stored().webhookId;

		// The editor's test run starts from a copy of the active workflow's static data.
		const testWorkflow = makeWorkflow([s.node], JSON.parse(JSON.stringify(s.staticData)) as IDataObject, s.workflow.id);
		const testFront = await new WebhookFront(testWorkflow, s.node, credentials, 'manual').start();
		try {
			const testHooks = () =>
				hookContext(
					testWorkflow,
					s.node,
					additionalData({ credentials, webhookTestBaseUrl: testFront.webhookTestBaseUrl }),
					'manual',
					'manual',
				);
			const testStored = () => testWorkflow.staticData[`node:${s.node.name}`] as IDataObject;

			expect(await lifecycle.checkExists.call(testHooks())).toBe(false);
			expect((await dispatcher.api.get(`/v1/webhooks/${production}`)).status).toBe(200);

			expect(await lifecycle.create.call(testHooks())).toBe(true);
			const testHook = await dispatcher.api.get(`/v1/webhooks/${testStored().webhookId}`);
			expect(testHook.body.url).toBe(`${testFront.webhookTestBaseUrl}/${s.node.webhookId}/webhook`);
			expect(testHook.body.name).toMatch(/^n8n test /);
			expect(testHook.body.id).not.toBe(production);

			const event = sampleEvent('device.enrolled');
			const posted = await postSigned(testHook.body.url, String(testStored().secret), JSON.stringify(event));
			expect(posted.status).toBe(200);
			expect(testFront.executions[0][0][0].json).toEqual(event);

			expect(await lifecycle.delete.call(testHooks())).toBe(true);
			expect((await dispatcher.api.get(`/v1/webhooks/${testHook.body.id}`)).status).toBe(404);
			expect((await dispatcher.api.get(`/v1/webhooks/${production}`)).status).toBe(200);

			// Ending a test run whose static data still names the production webhook removes nothing.
			const copy = makeWorkflow([s.node], JSON.parse(JSON.stringify(s.staticData)) as IDataObject, s.workflow.id);
			const copyHooks = hookContext(copy, s.node, additionalData({ credentials }), 'manual', 'manual');
			expect(await lifecycle.delete.call(copyHooks)).toBe(true);
			expect((await dispatcher.api.get(`/v1/webhooks/${production}`)).status).toBe(200);
			expect(await lifecycle.checkExists.call(s.hooks('trigger'))).toBe(true);
		} finally {
			await testFront.close();
		}
	});

	it('a dispatcher that refuses n8n\'s http URL explains how to allow it', async () => {
		const strict = await startTestDispatcher({ allowHttp: false, allowedCidrs: [] });
		try {
			const s = await setup();
			const strictCredentials = { mdmDispatcherApi: { baseUrl: strict.baseUrl, apiKey: TEST_API_KEY } };
			const hooks = hookContext(
				s.workflow,
				s.node,
				additionalData({ credentials: strictCredentials, webhookBaseUrl: s.front.webhookBaseUrl }),
				'trigger',
				'activate',
			);
			const error = await lifecycle.create.call(hooks).then(
				() => undefined,
				(e: unknown) => e as { message: string; description?: string; httpCode?: string },
			);
			expect(error?.httpCode).toMatch(/^4/);
			expect(error?.description).toMatch(/\/url.*DISPATCHER_ALLOW_HTTP=true/);
			expect(s.stored()).toEqual({});
			expect((await strict.api.get('/v1/webhooks')).body.data).toEqual([]);
		} finally {
			await strict.close();
		}
	});

	it('refuses to activate without events or with a condition that is not JSONata', async () => {
		const none = await setup({ events: [] });
		await expect(lifecycle.create.call(none.hooks())).rejects.toThrow(/at least one event type/);
		const bad = await setup({ condition: 'data.device.platform = ' });
		await expect(lifecycle.create.call(bad.hooks())).rejects.toThrow(/not valid JSONata.*position/);
		expect(bad.stored()).toEqual({});
	});
});

describe('MDM Event Trigger: verified requests', () => {
	it('an event the dispatcher delivers is verified and emitted as the envelope', async () => {
		const s = await setup();
		await lifecycle.create.call(s.hooks());

		const event = sampleEvent('device.enrolled');
		const accepted = await dispatcher.api.post('/v1/events', event);
		expect(accepted.status).toBe(202);
		const [delivery] = accepted.body.deliveries;
		const done = await dispatcher.api.waitForDelivery(delivery.id);
		expect(done.status).toBe('succeeded');

		const [workflowData] = s.front.executions;
		expect(workflowData[0]).toHaveLength(1);
		expect(workflowData[0][0].json).toEqual(event);
		// The trigger answers the delivery itself, in JSON (n8n alone would answer the text
		// "firstEntryJson"), and that is what the dispatcher's log keeps.
		expect(done.attempts.map((a: { statusCode: number; response: string }) => [a.statusCode, JSON.parse(a.response)])).toEqual([
			[200, { received: true, id: event.id }],
		]);

		// A wildcard subscription, and a type the trigger did not subscribe to (never delivered).
		await dispatcher.api.post('/v1/events', sampleEvent('device.locked'));
		const violation = sampleEvent('compliance.violated');
		const second = await dispatcher.api.post('/v1/events', violation);
		await dispatcher.api.waitForDelivery(second.body.deliveries[0].id);
		expect(s.front.executions.map((e) => e[0][0].json.type)).toEqual(['device.enrolled', 'compliance.violated']);
	});

	it('a hand-signed request is accepted; tampered body, wrong secret and stale timestamp get 401 and start nothing', async () => {
		const s = await setup({ options: { includeHeaders: true, toleranceSeconds: 300 } });
		await lifecycle.create.call(s.hooks());
		const secret = String(s.stored().secret);
		const event = sampleEvent('device.enrolled');
		const body = JSON.stringify(event);

		const good = await postSigned(s.productionUrl, secret, body);
		expect(good.status).toBe(200);
		expect(s.front.executions).toHaveLength(1);
		const item = s.front.executions[0][0][0].json;
		expect({ id: item.id, type: item.type, timestamp: item.timestamp, data: item.data }).toEqual(event);
		expect((item.headers as IDataObject)['webhook-id']).toMatch(/^msg_/);

		const tampered = await postSigned(s.productionUrl, secret, body, {
			tamper: (b) => b.replace(event.id, 'evt_forged'),
		});
		const wrongSecret = await postSigned(s.productionUrl, `whsec_${randomBytes(24).toString('base64')}`, body);
		const stale = await postSigned(s.productionUrl, secret, body, { at: new Date(Date.now() - 6 * 60 * 1000) });
		const unsigned = await fetch(s.productionUrl, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body,
		});

		expect([tampered.status, wrongSecret.status, stale.status, unsigned.status]).toEqual([401, 401, 401, 401]);
		expect(tampered.body).toEqual({ error: { code: 'bad_signature', message: expect.any(String) } });
		expect(wrongSecret.body.error).toMatchObject({ code: 'bad_signature' });
		expect(stale.body.error).toMatchObject({ code: 'timestamp_out_of_window' });
		expect(((await unsigned.json()) as IDataObject).error).toMatchObject({ code: 'missing_header' });

		const rejected = s.front.calls.slice(1);
		expect(rejected).toHaveLength(4);
		for (const call of rejected) {
			expect(call.result).toEqual({ noWebhookResponse: true });
			expect(call.result?.workflowData).toBeUndefined();
		}
		expect(s.front.executions).toHaveLength(1);
	});

	it('the JSONata condition decides: false is acknowledged (200, skipped) without an execution', async () => {
		const s = await setup({ condition: 'data.device.platform = "ios" and type = "device.enrolled"' });
		await lifecycle.create.call(s.hooks());
		const secret = String(s.stored().secret);
		const android = sampleEvent('device.enrolled', {
			device: { ...(getEventType('device.enrolled')!.sample.device as IDataObject), platform: 'android' },
		});
		const ios = sampleEvent('device.enrolled', {
			device: { ...(getEventType('device.enrolled')!.sample.device as IDataObject), platform: 'ios' },
		});

		const skipped = await postSigned(s.productionUrl, secret, JSON.stringify(android));
		expect(skipped).toEqual({ status: 200, body: { received: true, skipped: true } });
		expect(s.front.executions).toHaveLength(0);

		const taken = await postSigned(s.productionUrl, secret, JSON.stringify(ios));
		expect(taken.status).toBe(200);
		expect(s.front.executions).toHaveLength(1);
		expect(s.front.executions[0][0][0].json.id).toBe(ios.id);
	});

	it('a condition that fails at run time answers 500 (n8n records the error) and starts nothing', async () => {
		const s = await setup({ condition: '$number(data.device.name) > 1' });
		await lifecycle.create.call(s.hooks());
		const answer = await postSigned(s.productionUrl, String(s.stored().secret), JSON.stringify(sampleEvent('device.enrolled')));
		expect(answer.status).toBe(500);
		expect(s.front.calls[0].error?.message).toMatch(/The condition failed on event evt_/);
		expect(s.front.executions).toHaveLength(0);
	});

	it('a signed event of a type the node does not subscribe to is acknowledged and skipped', async () => {
		const s = await setup({ events: ['device.enrolled'] });
		await lifecycle.create.call(s.hooks());
		const other = await postSigned(s.productionUrl, String(s.stored().secret), JSON.stringify(sampleEvent('device.locked')));
		expect(other).toEqual({ status: 200, body: { received: true, skipped: true } });
		expect(s.front.executions).toHaveLength(0);
	});

	it('webhook.test (the dispatcher\'s "send test") is answered and starts no execution, even for "*"', async () => {
		const s = await setup({ events: ['*'] });
		await lifecycle.create.call(s.hooks());
		const { webhookId, secret } = s.stored();

		const sent = await dispatcher.api.post(`/v1/webhooks/${webhookId}/test`, {});
		expect(sent.body).toMatchObject({ ok: true, statusCode: 200 });
		expect(JSON.parse(sent.body.response)).toEqual({ received: true, test: true });

		const byHand = await postSigned(s.productionUrl, String(secret), JSON.stringify(sampleEvent('webhook.test')));
		expect(byHand).toEqual({ status: 200, body: { received: true, test: true } });
		// Verified first: a forged test event is refused like any other.
		const forged = await postSigned(s.productionUrl, `whsec_${randomBytes(24).toString('base64')}`, JSON.stringify(sampleEvent('webhook.test')));
		expect(forged.status).toBe(401);
		expect(s.front.calls).toHaveLength(3);
		expect(s.front.executions).toHaveLength(0);
	});

	it('a trigger that holds no secret refuses every request with 401', async () => {
		const s = await setup();
		const answer = await postSigned(
			s.productionUrl,
			`whsec_${randomBytes(24).toString('base64')}`,
			JSON.stringify(sampleEvent('device.enrolled')),
		);
		expect(answer.status).toBe(401);
		expect(answer.body.error).toMatchObject({ code: 'not_registered' });
		expect(s.front.executions).toHaveLength(0);
	});
});

describe('MDM Event Trigger -> Send Webhook in one workflow (n8n-core WorkflowExecute)', () => {
	it('an enrollment delivered by the dispatcher is posted to "Slack" with the core template', async () => {
		const s = await setup({ events: ['device.enrolled'] });
		await lifecycle.create.call(s.hooks());
		const slack = await startReceiver();
		try {
			const event = sampleEvent('device.enrolled');
			const accepted = await dispatcher.api.post('/v1/events', event);
			await dispatcher.api.waitForDelivery(accepted.body.deliveries[0].id);
			const [workflowData] = s.front.executions;

			// What n8n does after the webhook: run the workflow from the trigger with its output.
			const send = makeNode({
				type: 'sendWebhook',
				name: 'Slack #provisioning',
				parameters: { template: 'slack', url: `${slack.origin}/services/T000/B000/XXX`, payloadSource: 'template' } as never,
			});
			const run = await executeWorkflow(
				[s.node, send],
				{ [s.node.name]: { main: [[{ node: send.name, type: 'main', index: 0 }]] } },
				s.node,
				workflowData[0],
				{ credentials, mode: 'webhook' },
			);
			expect(run.status).toBe('success');
			expect(s.node.type).toBe(`${PACKAGE}.mdmEventTrigger`);
			expect(slack.requests).toHaveLength(1);
			const body = JSON.parse(slack.requests[0].raw.toString('utf8')) as IDataObject;
			expect(body).toEqual(renderTemplate('slack', event as unknown as EventEnvelope));
			const out = run.data.resultData.runData[send.name][0].data!.main[0]![0];
			expect(out.json.statusCode).toBe(200);
			expect(out.pairedItem).toEqual({ item: 0, input: undefined });
		} finally {
			await slack.close();
		}
	});
});

describe('MDM Event Trigger: Ed25519 signatures (n8n keeps only the public key)', () => {
	it('registers a standard-ed25519 webhook, keeps its whpk_ key, runs on a delivery and refuses a tampered copy', async () => {
		const s = await setup({ events: ['device.enrolled'], signatureScheme: 'standard-ed25519' });
		await lifecycle.create.call(s.hooks());
		const { webhookId, secret } = s.stored();
		expect(secret).toMatch(/^whpk_/);
		expect(JSON.stringify(s.staticData)).not.toMatch(/whsk_|whsec_/);
		const registered = await dispatcher.api.get(`/v1/webhooks/${webhookId}`);
		expect(registered.body.signing).toMatchObject({ scheme: 'standard-ed25519', publicKey: secret });
		expect(await lifecycle.checkExists.call(s.hooks())).toBe(true);

		// A delivery from the dispatcher starts an execution.
		const event = sampleEvent('device.enrolled');
		const accepted = await dispatcher.api.post('/v1/events', event);
		const done = await dispatcher.api.waitForDelivery(accepted.body.deliveries[0].id);
		expect(done.status).toBe('succeeded');
		expect(s.front.executions.map((e) => e[0][0].json)).toEqual([event]);

		// The same signed request with a changed body is refused; so is an HMAC-signed one.
		const sent = (await dispatcher.api.get(`/v1/deliveries/${done.id}`)).body.request;
		const replay = (body: string) =>
			fetch(s.productionUrl, {
				method: 'POST',
				headers: {
					'content-type': 'application/json',
					'webhook-id': sent.headers['webhook-id'],
					'webhook-timestamp': sent.headers['webhook-timestamp'],
					'webhook-signature': sent.headers['webhook-signature'],
				},
				body,
			});
		expect((await replay(sent.body)).status).toBe(200);
		const forged = await replay(sent.body.replace(event.id, 'evt_forged'));
		expect(forged.status).toBe(401);
		expect(((await forged.json()) as IDataObject).error).toMatchObject({ code: 'bad_signature' });
		const hmac = await postSigned(s.productionUrl, `whsec_${randomBytes(24).toString('base64')}`, JSON.stringify(event));
		expect(hmac.status).toBe(401);
		expect(s.front.executions).toHaveLength(2);

		// Switching the node back to HMAC makes the stored webhook stale.
		s.node.parameters.signatureScheme = 'standard';
		expect(await lifecycle.checkExists.call(s.hooks())).toBe(false);
		expect((await dispatcher.api.get(`/v1/webhooks/${webhookId}`)).status).toBe(404);
	});
});

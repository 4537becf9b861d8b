/**
 * Ingest from real MDMs, end to end: a real dispatcher, vendor bodies byte for byte as each vendor
 * sends them (Mender: Go's json.Marshal, signed with the hex-decoded key; Kobiton: its docs'
 * example; Scalefusion: signed as its reference code does), and loopback receivers that check
 * what arrives: the canonical event, signed (verified with the standardwebhooks package).
 */
import { createHmac, randomUUID } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Json, type TestDispatcher, startTestDispatcher } from '../helpers/dispatcher';
import { menderEvent, menderHeaders, menderWebhookBody } from '../helpers/mender';
import { type Receiver, startReceiver } from '../helpers/receiver';
import { KOBITON_SEED_BODY, scalefusionLockedBody, scalefusionSignature } from '../helpers/vendorBodies';

let dispatcher: TestDispatcher;
const receivers: Receiver[] = [];

beforeAll(async () => {
	dispatcher = await startTestDispatcher();
});
afterAll(async () => {
	await Promise.all(receivers.map((r) => r.close()));
	await dispatcher.close();
});

async function receiver(): Promise<Receiver> {
	const r = await startReceiver();
	receivers.push(r);
	return r;
}

/** A custom-template webhook (Standard Webhooks signing) on `events`; its secret to verify with. */
async function customWebhook(name: string, events: string[]): Promise<{ target: Receiver; secret: string; id: string }> {
	const target = await receiver();
	const hook = await dispatcher.api.post('/v1/webhooks', { name, url: target.url, events });
	expect(hook.status, hook.text).toBe(201);
	return { target, secret: hook.body.signing.secret, id: hook.body.id };
}

async function createSource(body: Record<string, unknown>): Promise<Json> {
	const answer = await dispatcher.api.post('/v1/sources', body);
	expect(answer.status, answer.text).toBe(201);
	return answer.body;
}

async function post(url: string, body: string | Buffer, headers: Record<string, string> = {}) {
	const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
	const text = await response.text();
	let json: Json = null;
	try {
		json = JSON.parse(text);
	} catch {
		json = text;
	}
	return { status: response.status, body: json, text };
}

/** The canonical event a receiver got, after checking its Standard Webhooks signature independently. */
function verified(request: Receiver['requests'][number], secret: string): Json {
	const headers = {
		'webhook-id': String(request.headers['webhook-id']),
		'webhook-timestamp': String(request.headers['webhook-timestamp']),
		'webhook-signature': String(request.headers['webhook-signature']),
	};
	return new Webhook(secret).verify(request.body, headers);
}

const eventCount = async () => (await dispatcher.context.backend.log.summarizeDeliveries({})).total;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('Mender', () => {
	it('a Go-marshalled, hex-signed status change reaches a custom receiver as device.status_changed, signed; a repeat is delivered once', async () => {
		const { target, secret, id: hookId } = await customWebhook('mender-custom', ['device.status_changed', 'device.provisioned']);
		const source = await createSource({ name: 'Mender prod', vendor: 'mender' });
		expect(source.secret).toMatch(/^[0-9a-f]{64}$/);
		expect(source.ingestUrl).toMatch(new RegExp(`/ingest/${source.id}/[A-Za-z0-9_-]{43}$`));

		const device = randomUUID();
		const event = menderEvent('device-status-changed', { id: device, status: 'accepted' });
		const body = menderWebhookBody(event);
		expect(body).toBe(`{"id":"${event.id}","type":"device-status-changed","data":{"id":"${device}","status":"accepted"},"time":"${event.time}"}`);
		const first = await post(source.ingestUrl, body, menderHeaders(body, source.secret));
		expect(first.status, first.text).toBe(202);
		expect(first.body).toEqual({ events: [{ id: `mender_${event.id}`, type: 'device.status_changed', duplicate: false }] });

		const [request] = await target.waitFor(1);
		const delivered = verified(request, secret);
		expect(delivered).toMatchObject({
			id: `mender_${event.id}`,
			type: 'device.status_changed',
			timestamp: `${event.time.slice(0, 23)}Z`,
			data: { device: { id: device, platform: 'linux' }, status: 'accepted', source: 'mender' },
		});
		expect(delivered.data.previousStatus).toBeUndefined();

		// Mender retried (or a proxy repeated it): 200, nothing sent again.
		const again = await post(source.ingestUrl, body, menderHeaders(body, source.secret));
		expect(again.status, again.text).toBe(200);
		expect(again.body.events[0].duplicate).toBe(true);

		// The next change of that device carries the status the dispatcher saw last.
		const next = menderWebhookBody(menderEvent('device-status-changed', { id: device, status: 'rejected' }));
		expect((await post(source.ingestUrl, next, menderHeaders(next, source.secret))).status).toBe(202);
		const requests = await target.waitFor(2);
		await sleep(300);
		expect(target.requests).toHaveLength(2);
		expect(verified(requests[1], secret).data).toMatchObject({ status: 'rejected', previousStatus: 'accepted' });

		// The log shows what Mender sent.
		const deliveryId = String(requests[0].headers['webhook-id']);
		const logged = await dispatcher.api.get(`/v1/deliveries/${deliveryId}`);
		expect(logged.body.origin).toEqual({ sourceId: source.id, vendor: 'mender', body, bodyBytes: Buffer.byteLength(body), truncated: false });

		const stats = (await dispatcher.api.get(`/v1/sources/${source.id}`)).body.stats;
		expect(stats).toMatchObject({ received: 3, accepted: 2, duplicates: 1, rejected: 0, events: 2, lastError: null });
		await dispatcher.api.delete(`/v1/webhooks/${hookId}`);
	});

	it('a wrong signature, a wrong token or a text-keyed signature → 401 and nothing stored', async () => {
		const source = await createSource({ name: 'Mender 401', vendor: 'mender' });
		const body = menderWebhookBody(menderEvent('device-decommissioned', { id: randomUUID() }));
		const before = await eventCount();
		const wrongKey = await post(source.ingestUrl, body, menderHeaders(body, 'ab'.repeat(32)));
		expect(wrongKey.status).toBe(401);
		expect(wrongKey.body.error.code).toBe('invalid_signature');
		// The old, wrong keying (the hex text's UTF-8 bytes) does not verify.
		const textKeyed = createHmac('sha256', source.secret).update(body).digest('hex');
		expect((await post(source.ingestUrl, body, { 'x-men-signature': textKeyed, 'x-men-algorithm': 'MEN-HMAC-SHA256-Payload' })).status).toBe(401);
		expect((await post(source.ingestUrl, body)).status).toBe(401);
		const wrongToken = source.ingestUrl.replace(/[^/]+$/, 'A'.repeat(43));
		const answer = await post(wrongToken, body, menderHeaders(body, source.secret));
		expect(answer.status).toBe(401);
		expect(answer.text).not.toContain(source.secret);
		await sleep(50);
		expect(await eventCount()).toBe(before);
		expect([...(await dispatcher.context.backend.config.listSources())].find((s) => s.id === source.id)?.stats).toMatchObject({ received: 3, rejected: 3 });
		// Mender's docs name the header X-Men-Signature-Payload: accepted.
		const docs = menderHeaders(body, source.secret);
		const ok = await post(source.ingestUrl, body, { 'x-men-signature-payload': docs['x-men-signature'] ?? '', 'x-men-algorithm': docs['x-men-algorithm'] ?? '' });
		expect(ok.status, ok.text).toBe(202);
	});

	it('an alert profile on device.status_changed with data.status = "rejected" routes a Mender change to Slack', async () => {
		const slack = await receiver();
		const hook = await dispatcher.api.post('/v1/webhooks', { name: 'slack-security', url: slack.url, template: 'slack', rateLimitPerSecond: 100 });
		expect(hook.status, hook.text).toBe(201);
		const profile = await dispatcher.api.post('/v1/profiles', {
			name: 'Rejected devices',
			events: ['device.status_changed'],
			condition: 'data.status = "rejected"',
			webhookIds: [hook.body.id],
		});
		expect(profile.status, profile.text).toBe(201);
		const source = await createSource({ name: 'Mender alerts', vendor: 'mender' });
		const device = randomUUID();
		for (const status of ['accepted', 'rejected']) {
			const body = menderWebhookBody(menderEvent('device-status-changed', { id: device, status }));
			expect((await post(source.ingestUrl, body, menderHeaders(body, source.secret))).status).toBe(202);
		}
		const [message] = await slack.waitFor(1);
		await sleep(300);
		expect(slack.requests).toHaveLength(1);
		const slackBody = JSON.parse(message.body);
		expect(typeof slackBody.text).toBe('string');
		expect(Array.isArray(slackBody.blocks)).toBe(true);
		expect(message.body).toContain(device);
		expect(message.body).toContain('rejected');
		await dispatcher.api.delete(`/v1/profiles/${profile.body.id}`);
		await dispatcher.api.delete(`/v1/webhooks/${hook.body.id}`);
	});
});

describe('Kobiton, Scalefusion, Hexnode, Nexthink, generic', () => {
	it("Kobiton: the seed's body, token only → device.utilizing at the receiver", async () => {
		const { target, secret, id } = await customWebhook('kobiton-custom', ['device.utilizing']);
		const source = await createSource({ name: 'Kobiton lab', vendor: 'kobiton' });
		expect(source.secret).toBeUndefined();
		const first = await post(source.ingestUrl, KOBITON_SEED_BODY);
		expect(first.status, first.text).toBe(202);
		expect((await post(source.ingestUrl, KOBITON_SEED_BODY)).status).toBe(200);
		const [request] = await target.waitFor(1);
		expect(verified(request, secret)).toMatchObject({
			type: 'device.utilizing',
			timestamp: '2023-01-06T04:52:36.963Z',
			data: { device: { id: 'ce0917198075440c057e', name: 'Galaxy Note 8' }, state: 'utilizing', source: 'kobiton' },
		});
		await sleep(200);
		expect(target.requests).toHaveLength(1);
		await dispatcher.api.delete(`/v1/webhooks/${id}`);
	});

	it('Scalefusion: X-SF-Signature as its reference code computes it; one event per listed device', async () => {
		const { target, secret, id } = await customWebhook('scalefusion-custom', ['device.locked']);
		const source = await createSource({ name: 'Scalefusion', vendor: 'scalefusion', secret: 'my scalefusion secret key' });
		const body = scalefusionLockedBody();
		expect((await post(source.ingestUrl, body, { 'x-sf-signature': scalefusionSignature(body, 'wrong secret') })).status).toBe(401);
		const answer = await post(source.ingestUrl, body, { 'X-SF-Signature': scalefusionSignature(body, 'my scalefusion secret key') });
		expect(answer.status, answer.text).toBe(202);
		expect(answer.body.events).toHaveLength(2);
		const requests = await target.waitFor(2);
		const delivered = requests.map((r) => verified(r, secret)).sort((a, b) => a.data.device.id.localeCompare(b.data.device.id));
		expect(delivered.map((e) => [e.type, e.data.device.id])).toEqual([
			['device.locked', '112233'],
			['device.locked', '112234'],
		]);
		expect(delivered[0].data.vendor).toEqual({ account_id: 40917, device: { battery_level: 81 } });
		await dispatcher.api.delete(`/v1/webhooks/${id}`);
	});

	it('Hexnode: Basic auth; a wrong password → 401 and nothing stored', async () => {
		const { target, secret, id } = await customWebhook('hexnode-custom', ['device.enrolled']);
		const source = await createSource({ name: 'Hexnode', vendor: 'hexnode', auth: { type: 'basic', username: 'hexnode', password: 'correct horse' } });
		const body = JSON.stringify({ alert_name: 'New Device Enrolled', device: { id: 'hx-77', device_name: 'iPad-Reception', platform: 'iPadOS' } });
		const basic = (password: string) => `Basic ${Buffer.from(`hexnode:${password}`).toString('base64')}`;
		const before = await eventCount();
		expect((await post(source.ingestUrl, body, { authorization: basic('wrong') })).status).toBe(401);
		expect((await post(source.ingestUrl, body)).status).toBe(401);
		await sleep(50);
		expect(await eventCount()).toBe(before);
		expect((await post(source.ingestUrl, body, { authorization: basic('correct horse') })).status).toBe(202);
		const [request] = await target.waitFor(1);
		expect(verified(request, secret)).toMatchObject({ type: 'device.enrolled', data: { device: { id: 'hx-77', platform: 'ipados' } } });
		const view = (await dispatcher.api.get(`/v1/sources/${source.id}`)).body;
		expect(view.auth).toEqual({ type: 'basic', username: 'hexnode', password: '********' });
		expect(view.stats.lastError).toMatchObject({ status: 401, code: 'unauthorized' });
		await dispatcher.api.delete(`/v1/webhooks/${id}`);
	});

	it('Nexthink: a generated Bearer token and the template to paste, filled in by Nexthink', async () => {
		const { target, secret, id } = await customWebhook('nexthink-custom', ['compliance.violated']);
		const source = await createSource({ name: 'Nexthink', vendor: 'nexthink' });
		expect(source.auth.type).toBe('bearer');
		const filled = String(source.nexthinkTemplate).replace(/\{\{([^}]+)\}\}/g, (_: string, name: string) =>
			name === 'device.uid' ? 'nx-dev-1' : name === 'alert.trigger_time' ? '2026-11-22T11:02:03Z' : `value of ${name}`,
		);
		expect((await post(source.ingestUrl, filled, { authorization: 'Bearer nope' })).status).toBe(401);
		const answer = await post(source.ingestUrl, filled, { authorization: `Bearer ${source.auth.token}` });
		expect(answer.status, answer.text).toBe(202);
		const [request] = await target.waitFor(1);
		expect(verified(request, secret)).toMatchObject({ type: 'compliance.violated', data: { device: { id: 'nx-dev-1' }, severity: 'high' } });
		expect((await dispatcher.api.get(`/v1/sources/${source.id}`)).body.auth).toEqual({ type: 'bearer', token: '********' });
		await dispatcher.api.delete(`/v1/webhooks/${id}`);
	});

	it('generic: an HMAC header and a JSONata mapping', async () => {
		const { target, secret, id } = await customWebhook('generic-custom', ['device.offline']);
		const source = await createSource({
			name: 'In-house agent',
			vendor: 'generic',
			hmac: { header: 'X-Hub-Signature-256', prefix: 'sha256=' },
			mapping: '{ "type": "device." & state, "id": eventId, "data": { "device": { "id": serial } } }',
		});
		const body = JSON.stringify({ state: 'offline', eventId: 'agent-1', serial: 'SN-9' });
		const signature = `sha256=${createHmac('sha256', source.secret).update(body).digest('hex')}`;
		expect((await post(source.ingestUrl, body, { 'x-hub-signature-256': 'sha256=00' })).status).toBe(401);
		expect((await post(source.ingestUrl, body, { 'x-hub-signature-256': signature })).status).toBe(202);
		const [request] = await target.waitFor(1);
		expect(verified(request, secret)).toMatchObject({ id: 'generic_agent-1', type: 'device.offline', data: { device: { id: 'SN-9' } } });
		await dispatcher.api.delete(`/v1/webhooks/${id}`);
	});
});

describe('bad input', () => {
	it('200 malformed vendor bodies → only 4xx with a reason, counted; the dispatcher keeps serving', async () => {
		const mender = await createSource({ name: 'Mender fuzz', vendor: 'mender' });
		const kobiton = await createSource({ name: 'Kobiton fuzz', vendor: 'kobiton' });
		const scalefusion = await createSource({ name: 'SF fuzz', vendor: 'scalefusion', secret: 'fuzz-secret' });
		const bodies: string[] = [
			'',
			'not json',
			'{"id":',
			'null',
			'[]',
			'42',
			'"text"',
			'{}',
			'{"type":"device-status-changed"}',
			'{"id":"x","type":"device-status-changed","data":{"id":"d"}}',
			'{"id":"x","type":"device-exploded","data":{"id":"d"},"time":"2022-01-01T00:00:00Z"}',
			'{"eventActivity":"device.status.online"}',
			'{"event":"Device Locked","devices":[{}]}',
			JSON.stringify({ id: 'x', type: 'device-provisioned', data: { id: 'd'.repeat(300) } }),
			'\u0000\u0001\u0002',
			'{"deviceUdid":"' + 'u'.repeat(500) + '","eventActivity":"device.status.online"}',
		];
		let seed = 7;
		const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
		while (bodies.length < 200) {
			// No deviceUdid, no string device id: none of these can map.
			const keys = ['id', 'type', 'data', 'time', 'event', 'devices', 'device', 'eventActivity', 'creationTime'];
			const values = [null, 1, -1, 'device-status-changed', 'device.state.unplugged', 'Device Locked', [], [{}], {}, { id: [] }, 'x'.repeat(40), true];
			const object: Record<string, unknown> = {};
			for (let i = 0; i < 1 + Math.floor(random() * 5); i++) object[keys[Math.floor(random() * keys.length)]] = values[Math.floor(random() * values.length)];
			bodies.push(random() < 0.2 ? JSON.stringify(object).slice(0, Math.floor(random() * 30)) : JSON.stringify(object));
		}
		const statuses = new Map<number, number>();
		for (const [index, body] of bodies.entries()) {
			const which = index % 3;
			const answer =
				which === 0
					? await post(mender.ingestUrl, body, menderHeaders(body, mender.secret))
					: which === 1
						? await post(kobiton.ingestUrl, body)
						: await post(scalefusion.ingestUrl, body, { 'x-sf-signature': scalefusionSignature(body, 'fuzz-secret') });
			statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
			expect(answer.status >= 400 && answer.status < 500, `${answer.status} for ${body.slice(0, 80)}: ${answer.text}`).toBe(true);
			expect(answer.body.error.message.length).toBeGreaterThan(0);
		}
		expect([...statuses.keys()].every((status) => status === 400 || status === 422)).toBe(true);
		expect((await fetch(`${dispatcher.baseUrl}/healthz`)).status).toBe(200);
		const stats = (await dispatcher.api.get(`/v1/sources/${kobiton.id}`)).body.stats;
		expect(stats.rejected).toBe(stats.received);
		expect(stats.lastError.status).toBeGreaterThanOrEqual(400);
		const unmappable = await post(kobiton.ingestUrl, '{"eventActivity":"device.status.sleeping","deviceUdid":"u1"}');
		expect(unmappable.status).toBe(422);
		expect(unmappable.body.error.details).toEqual([{ path: '/eventActivity', message: expect.stringMatching(/unknown Kobiton eventActivity/) }]);
	});

	it('a body past the nesting limit → 422 naming the limit, counted as rejected like every other refusal', async () => {
		const source = await createSource({ name: 'Deep Kobiton', vendor: 'kobiton' });
		const deep = `${'{"a":'.repeat(100)}1${'}'.repeat(100)}`;
		const answer = await post(source.ingestUrl, deep);
		expect(answer.status).toBe(422);
		expect(answer.body.error.code).toBe('validation_failed');
		expect(answer.body.error.message).toMatch(/64/);
		const stats = (await dispatcher.api.get(`/v1/sources/${source.id}`)).body.stats;
		expect(stats).toMatchObject({ received: 1, rejected: 1, accepted: 0 });
		expect(stats.lastError).toMatchObject({ status: 422, code: 'validation_failed' });
	});

	it('a disabled source answers 404 source_disabled (counted); an unknown source 404; other methods 404', async () => {
		const source = await createSource({ name: 'Paused Kobiton', vendor: 'kobiton', enabled: false });
		const answer = await post(source.ingestUrl, KOBITON_SEED_BODY);
		expect(answer.status).toBe(404);
		expect(answer.body.error.code).toBe('source_disabled');
		expect((await dispatcher.api.get(`/v1/sources/${source.id}`)).body.stats).toMatchObject({ received: 1, rejected: 1 });
		expect((await post(`${dispatcher.baseUrl}/ingest/src_nope/token`, KOBITON_SEED_BODY)).status).toBe(404);
		expect((await fetch(source.ingestUrl)).status).toBe(404);
		const big = await post(source.ingestUrl, 'x'.repeat(1024 * 1024 + 10));
		expect(big.status).toBe(413);
	});
});

/**
 * Acceptance: events reach real loopback receivers with the right template, signature and
 * profile routing; the preview shows the body that is really sent.
 */
import { createHmac } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getEventType } from '../../core';
import { type TestDispatcher, startTestDispatcher } from '../helpers/dispatcher';
import { type Receiver, startReceiver } from '../helpers/receiver';

let dispatcher: TestDispatcher;
/** A Mender secret as Mender wants it: hex (here 32 bytes). */
const MENDER_SECRET = '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08';

const receivers: Receiver[] = [];

async function receiver(): Promise<Receiver> {
	const started = await startReceiver();
	receivers.push(started);
	return started;
}

beforeAll(async () => {
	dispatcher = await startTestDispatcher();
});

afterAll(async () => {
	await dispatcher.close();
	await Promise.all(receivers.map((r) => r.close()));
});

const enrolledData = () => structuredClone(getEventType('device.enrolled')?.sample) as Record<string, unknown>;

describe('templates and signatures', () => {
	it('delivers one device.enrolled to a custom, a Slack and a Teams receiver', async () => {
		const [custom, slack, teams] = [await receiver(), await receiver(), await receiver()];
		const api = dispatcher.api;
		const created = await Promise.all([
			api.post('/v1/webhooks', { name: 'custom-1', url: custom.url, template: 'custom', events: ['device.enrolled'] }),
			api.post('/v1/webhooks', { name: 'slack-1', url: slack.url, template: 'slack', events: ['device.*'] }),
			api.post('/v1/webhooks', { name: 'teams-1', url: teams.url, template: 'teams', events: ['*'] }),
		]);
		for (const answer of created) expect(answer.status, answer.text).toBe(201);
		const secret: string = created[0].body.signing.secret;
		expect(secret).toMatch(/^whsec_/);

		const posted = await api.post('/v1/events', { type: 'device.enrolled', data: enrolledData(), id: 'evt_routing_1' });
		expect(posted.status, posted.text).toBe(202);
		expect(posted.body.deliveries).toHaveLength(3);

		const [customRequest] = await custom.waitFor(1);
		const envelope = JSON.parse(customRequest.body);
		expect(envelope).toMatchObject({ id: 'evt_routing_1', type: 'device.enrolled', data: enrolledData() });
		// Standard Webhooks: the reference verifier accepts the exact bytes and headers that arrived.
		const headers = {
			'webhook-id': String(customRequest.headers['webhook-id']),
			'webhook-timestamp': String(customRequest.headers['webhook-timestamp']),
			'webhook-signature': String(customRequest.headers['webhook-signature']),
		};
		expect(() => new Webhook(secret).verify(customRequest.body, headers)).not.toThrow();
		expect(() => new Webhook(secret).verify(customRequest.body + ' ', headers)).toThrow();
		const customDelivery = posted.body.deliveries.find((d: { webhookId: string }) => d.webhookId === created[0].body.id);
		expect(headers['webhook-id']).toBe(customDelivery.id);

		const [slackRequest] = await slack.waitFor(1);
		const slackBody = JSON.parse(slackRequest.body);
		expect(typeof slackBody.text).toBe('string');
		expect(slackBody.text.length).toBeGreaterThan(0);
		expect(Array.isArray(slackBody.blocks)).toBe(true);

		const [teamsRequest] = await teams.waitFor(1);
		const teamsBody = JSON.parse(teamsRequest.body);
		expect(teamsBody.type).toBe('message');
		expect(teamsBody.attachments).toHaveLength(1);
		expect(teamsBody.attachments[0].contentType).toBe('application/vnd.microsoft.card.adaptive');
		expect(teamsBody.attachments[0].content.type).toBe('AdaptiveCard');
	});

	it('refuses a mender webhook whose secret is not hex, naming /signing/secret', async () => {
		const answer = await dispatcher.api.post('/v1/webhooks', {
			name: 'men-text-secret',
			url: 'http://127.0.0.1:9/hook',
			signing: { scheme: 'mender', secret: 'mender-secret-1' },
		});
		expect(answer.status, answer.text).toBe(422);
		expect(answer.body.error.details).toEqual([{ path: '/signing/secret', message: expect.stringMatching(/hex/) }]);
		expect(answer.text).not.toContain('mender-secret-1');
		const generated = await dispatcher.api.post('/v1/webhooks', {
			name: 'men-generated',
			url: 'http://127.0.0.1:9/hook',
			signing: { scheme: 'mender' },
		});
		expect(generated.status, generated.text).toBe(201);
		expect(generated.body.signing.secret).toMatch(/^[0-9a-f]{64}$/);
		const rotated = await dispatcher.api.post(`/v1/webhooks/${generated.body.id}/secret/rotate`, {});
		expect(rotated.body.signing.secret).toMatch(/^[0-9a-f]{64}$/);
		const badRotate = await dispatcher.api.post(`/v1/webhooks/${generated.body.id}/secret/rotate`, { secret: 'plain text secret' });
		expect(badRotate.status).toBe(422);
		const toMender = await dispatcher.api.post('/v1/webhooks', { name: 'std-then-men', url: 'http://127.0.0.1:9/hook' });
		const patched = await dispatcher.api.patch(`/v1/webhooks/${toMender.body.id}`, { signing: { scheme: 'mender' } });
		expect(patched.status, patched.text).toBe(422);
		expect(patched.body.error.details[0].path).toBe('/signing/secret');
		for (const id of [generated.body.id, toMender.body.id]) await dispatcher.api.delete(`/v1/webhooks/${id}`);
	});

	it('signs scalefusion and mender deliveries with an HMAC of the exact body', async () => {
		const [sf, men] = [await receiver(), await receiver()];
		const api = dispatcher.api;
		const sfHook = await api.post('/v1/webhooks', {
			name: 'sf-1',
			url: sf.url,
			events: ['device.locked'],
			signing: { scheme: 'scalefusion', secret: 'scalefusion-secret-1' },
		});
		const menHook = await api.post('/v1/webhooks', {
			name: 'men-1',
			url: men.url,
			events: ['device.locked'],
			signing: { scheme: 'mender', secret: MENDER_SECRET },
		});
		expect(sfHook.status, sfHook.text).toBe(201);
		expect(menHook.status, menHook.text).toBe(201);
		await api.post('/v1/events', { type: 'device.locked', data: getEventType('device.locked')?.sample });
		const [sfRequest] = await sf.waitFor(1);
		const [menRequest] = await men.waitFor(1);
		expect(sfRequest.headers['x-sf-signature']).toBe(
			createHmac('sha256', 'scalefusion-secret-1').update(sfRequest.raw).digest('hex'),
		);
		expect(menRequest.headers['x-men-signature']).toBe(
			// An independent HMAC keyed with the hex-decoded secret, as Mender's own server signs.
			createHmac('sha256', Buffer.from(MENDER_SECRET, 'hex')).update(menRequest.raw).digest('hex'),
		);
		expect(menRequest.headers['x-men-algorithm']).toBe('MEN-HMAC-SHA256-Payload');
	});

	it('rotation signs with both secrets for the overlap', async () => {
		const target = await receiver();
		const api = dispatcher.api;
		const hook = await api.post('/v1/webhooks', { name: 'rotating', url: target.url, events: ['device.found'] });
		const oldSecret: string = hook.body.signing.secret;
		const rotated = await api.post(`/v1/webhooks/${hook.body.id}/secret/rotate`, {});
		expect(rotated.status, rotated.text).toBe(200);
		const newSecret: string = rotated.body.signing.secret;
		expect(newSecret).not.toBe(oldSecret);
		await api.post('/v1/events', { type: 'device.found', data: getEventType('device.found')?.sample });
		const [request] = await target.waitFor(1);
		const headers = {
			'webhook-id': String(request.headers['webhook-id']),
			'webhook-timestamp': String(request.headers['webhook-timestamp']),
			'webhook-signature': String(request.headers['webhook-signature']),
		};
		expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
		expect(() => new Webhook(oldSecret).verify(request.body, headers)).not.toThrow();
		expect(() => new Webhook(newSecret).verify(request.body, headers)).not.toThrow();
	});
});

describe('alert profiles', () => {
	it('routes only iOS events, with its JSONata payload, and the preview shows the same body', async () => {
		const target = await receiver();
		const api = dispatcher.api;
		const hook = await api.post('/v1/webhooks', { name: 'ios-only', url: target.url });
		expect(hook.status, hook.text).toBe(201);
		const payload = '{"text": "iOS device " & data.device.name & " enrolled", "platform": data.device.platform}';
		const profile = await api.post('/v1/profiles', {
			name: 'iOS enrollments',
			events: ['device.enrolled'],
			condition: 'data.device.platform = "ios"',
			webhookIds: [hook.body.id],
			payload,
		});
		expect(profile.status, profile.text).toBe(201);

		const android = enrolledData();
		(android.device as Record<string, unknown>).platform = 'android';
		const ios = enrolledData();
		(ios.device as Record<string, unknown>).platform = 'ios';
		(ios.device as Record<string, unknown>).name = 'iPhone 15';
		const androidAnswer = await api.post('/v1/events', { type: 'device.enrolled', data: android });
		// Other tests' webhooks subscribe to `*`: look only at this profile's webhook.
		const toHook = (answer: { body: { deliveries: { webhookId: string }[] } }) =>
			answer.body.deliveries.filter((d) => d.webhookId === hook.body.id);
		expect(toHook(androidAnswer)).toEqual([]);
		const iosAnswer = await api.post('/v1/events', { type: 'device.enrolled', data: ios });
		expect(toHook(iosAnswer)).toEqual([{ id: expect.any(String), webhookId: hook.body.id, profileId: profile.body.id }]);
		const [request] = await target.waitFor(1);
		expect(JSON.parse(request.body)).toEqual({ text: 'iOS device iPhone 15 enrolled', platform: 'ios' });

		const preview = await api.get(`/v1/profiles/${profile.body.id}/preview?event=device.enrolled&webhookId=${hook.body.id}`);
		expect(preview.status, preview.text).toBe(200);
		const sample = getEventType('device.enrolled')?.sample as { device: { name: string; platform: string } };
		expect(preview.body.body).toEqual({ text: `iOS device ${sample.device.name} enrolled`, platform: sample.device.platform });
		expect(preview.body.method).toBe('POST');
		expect(preview.body.url).toBe(target.url);
		expect(preview.body.headers['webhook-signature']).toMatch(/^v1,/);

		// The same sample, sent for real, arrives with exactly the preview's body.
		await api.post('/v1/events', { type: 'device.enrolled', data: { ...sample, device: { ...sample.device, platform: 'ios' } } });
		const requests = await target.waitFor(2);
		expect(JSON.parse(requests[1].body)).toEqual({ ...preview.body.body, platform: 'ios' });
	});

	it('a repeated event id is stored once and not delivered twice', async () => {
		const target = await receiver();
		const api = dispatcher.api;
		await api.post('/v1/webhooks', { name: 'dedupe', url: target.url, events: ['device.shutdown'] });
		const body = { type: 'device.shutdown', id: 'evt_dedupe_1', data: getEventType('device.shutdown')?.sample };
		const first = await api.post('/v1/events', body);
		const second = await api.post('/v1/events', body);
		expect(first.status).toBe(202);
		expect(second.status).toBe(200);
		expect(second.body).toEqual(first.body);
		await target.waitFor(1);
		await new Promise((resolve) => setTimeout(resolve, 300));
		expect(target.requests).toHaveLength(1);
	});
});

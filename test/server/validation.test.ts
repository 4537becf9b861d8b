/**
 * Acceptance: every field rule is refused with a 4xx naming the field, and nothing is written.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getEventType } from '../../core';
import { type TestDispatcher, startTestDispatcher } from '../helpers/dispatcher';
import { type Receiver, startReceiver } from '../helpers/receiver';

let dispatcher: TestDispatcher;
let target: Receiver;

beforeAll(async () => {
	dispatcher = await startTestDispatcher();
	target = await startReceiver();
	const existing = await dispatcher.api.post('/v1/webhooks', { name: 'taken', url: target.url });
	expect(existing.status, existing.text).toBe(201);
});

afterAll(async () => {
	await dispatcher.close();
	await target.close();
});

/** Bytes of every file the store writes (snapshot, journals, archive). */
function storeBytes(): string {
	const dir = dispatcher.dataFile.replace(/[^/]+$/, '');
	return fs
		.readdirSync(dir, { recursive: true })
		.map(String)
		.sort()
		.map((name) => {
			const full = `${dir}${name}`;
			return fs.statSync(full).isFile() ? `${name}:${fs.readFileSync(full, 'utf8')}` : name;
		})
		.join('\n');
}

const valid = () => ({ name: 'new-hook', url: target.url, template: 'custom' });

describe('webhook field rules', () => {
	const cases: [string, Record<string, unknown>, string][] = [
		['empty name', { name: '' }, '/name'],
		['name over 50 characters', { name: 'x'.repeat(51) }, '/name'],
		['name already used (any case)', { name: 'TAKEN' }, '/name'],
		['description over 512', { description: 'd'.repeat(513) }, '/description'],
		['url over 512 characters', { url: `https://example.com/${'a'.repeat(500)}` }, '/url'],
		['url not https', { url: 'ftp://example.com/hook' }, '/url'],
		['url not a URL', { url: 'not a url' }, '/url'],
		['timeout above 60', { timeoutSeconds: 61 }, '/timeoutSeconds'],
		['timeout below 0', { timeoutSeconds: -1 }, '/timeoutSeconds'],
		['timeout not an integer', { timeoutSeconds: 1.5 }, '/timeoutSeconds'],
		['unknown template', { template: 'discord' }, '/template'],
		['unknown method', { method: 'GET' }, '/method'],
		['unknown event type', { events: ['device.exploded'] }, '/events/0'],
		['wildcard matching nothing', { events: ['printer.*'] }, '/events/0'],
		['unknown field', { colour: 'blue' }, '/colour'],
		['basic auth without password', { auth: { type: 'basic', username: 'u' } }, '/auth/password'],
		['unknown auth type', { auth: { type: 'digest' } }, '/auth/type'],
		['signature header as custom header', { headers: { 'webhook-signature': 'x' } }, '/headers/webhook-signature'],
		['hop-by-hop custom header', { headers: { Connection: 'close' } }, '/headers/Connection'],
		['bad standard secret', { signing: { scheme: 'standard', secret: 'not-a-whsec-secret' } }, '/signing/secret'],
		['rate limit zero', { rateLimitPerSecond: 0 }, '/rateLimitPerSecond'],
	];
	for (const [title, change, path] of cases) {
		it(`refuses ${title} at ${path}`, async () => {
			const before = storeBytes();
			const answer = await dispatcher.api.post('/v1/webhooks', { ...valid(), ...change });
			expect(answer.status, answer.text).toBeGreaterThanOrEqual(400);
			expect(answer.status).toBeLessThan(500);
			expect(answer.body.error.code).toBe('validation_failed');
			expect(answer.body.error.details.map((d: { path: string }) => d.path)).toContain(path);
			expect(answer.body.error.message).toContain(path);
			expect(storeBytes()).toBe(before);
		});
	}

	it('refuses private, loopback, link-local, CGNAT and metadata destinations (outside the allow-list)', async () => {
		for (const url of [
			'https://10.0.0.1/hook',
			'https://192.168.1.20/hook',
			'https://169.254.169.254/latest/meta-data',
			'https://100.64.0.1/hook',
			'https://[::1]/hook',
			'https://[::ffff:10.0.0.1]/hook',
			'https://[fe80::1]/hook',
		]) {
			const answer = await dispatcher.api.post('/v1/webhooks', { ...valid(), url });
			expect(answer.status, `${url}: ${answer.text}`).toBe(422);
			expect(answer.body.error.details[0].path).toBe('/url');
		}
	});

	it('answers 400 for malformed JSON, 413 over 1 MiB, 401 without the key', async () => {
		const malformed = await dispatcher.api.request('POST', '/v1/webhooks', undefined, '{"name":');
		expect(malformed.status).toBe(400);
		expect(malformed.body.error.code).toBe('invalid_json');
		const huge = await dispatcher.api.post('/v1/events', { type: 'device.enrolled', data: { pad: 'x'.repeat(1024 * 1024) } });
		expect(huge.status).toBe(413);
		const anonymous = await fetch(`${dispatcher.baseUrl}/v1/webhooks`);
		expect(anonymous.status).toBe(401);
		const wrong = await fetch(`${dispatcher.baseUrl}/v1/webhooks`, { headers: { authorization: 'Bearer nope' } });
		expect(wrong.status).toBe(401);
		expect((await fetch(`${dispatcher.baseUrl}/healthz`)).status).toBe(200);
	});
});

describe('profile and event rules', () => {
	it('refuses JSONata that does not compile, with its position', async () => {
		const before = storeBytes();
		const hooks = await dispatcher.api.get('/v1/webhooks');
		const answer = await dispatcher.api.post('/v1/profiles', {
			name: 'broken',
			events: ['device.*'],
			webhookIds: [hooks.body.data[0].id],
			condition: 'data.device.platform = ',
		});
		expect(answer.status, answer.text).toBe(422);
		expect(answer.body.error.details[0].path).toBe('/condition');
		expect(answer.body.error.details[0].message).toMatch(/position \d+/);
		expect(storeBytes()).toBe(before);
	});

	it('refuses unknown webhook ids and empty event lists', async () => {
		const answer = await dispatcher.api.post('/v1/profiles', { name: 'p', events: [], webhookIds: ['wh_nope'] });
		expect(answer.status).toBe(422);
		const paths = answer.body.error.details.map((d: { path: string }) => d.path);
		expect(paths).toContain('/events');
		const missing = await dispatcher.api.post('/v1/profiles', { name: 'p', events: ['device.*'], webhookIds: ['wh_nope'] });
		expect(missing.body.error.details[0].path).toBe('/webhookIds/0');
	});

	it('refuses events of unknown type or invalid data, storing nothing', async () => {
		const before = storeBytes();
		const unknown = await dispatcher.api.post('/v1/events', { type: 'device.exploded', data: { device: { id: 'd1' } } });
		expect(unknown.status).toBe(422);
		expect(unknown.body.error.details[0].path).toBe('/type');
		const noDevice = await dispatcher.api.post('/v1/events', { type: 'device.enrolled', data: { device: { name: 'x' } } });
		expect(noDevice.status).toBe(422);
		expect(noDevice.body.error.details.map((d: { path: string }) => d.path)).toContain('/data/device/id');
		const extra = await dispatcher.api.post('/v1/events', { type: 'device.enrolled', data: getEventType('device.enrolled')?.sample, colour: 1 });
		expect(extra.body.error.details[0]).toEqual({ path: '/colour', message: 'unknown field' });
		expect(storeBytes()).toBe(before);
	});

	it('refuses to delete a webhook an alert profile links (409 with the profiles)', async () => {
		const hooks = await dispatcher.api.get('/v1/webhooks');
		const webhookId = hooks.body.data[0].id;
		const profile = await dispatcher.api.post('/v1/profiles', { name: 'linker', events: ['device.*'], webhookIds: [webhookId] });
		expect(profile.status, profile.text).toBe(201);
		const refused = await dispatcher.api.delete(`/v1/webhooks/${webhookId}`);
		expect(refused.status).toBe(409);
		expect(refused.body.error.code).toBe('webhook_in_use');
		expect(refused.body.error.profiles).toEqual([{ id: profile.body.id, name: 'linker' }]);
		await dispatcher.api.delete(`/v1/profiles/${profile.body.id}`);
	});
});

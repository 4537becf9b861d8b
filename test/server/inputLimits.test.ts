/**
 * Issue 8: input the API must refuse with a 4xx that names the field, before anything is stored:
 * deep nesting, prototype keys, undecodable paths and bodies, timestamps a date cannot hold,
 * credentials that cannot go into a header or into a URL, a rate limit that stalls, bad cursors.
 */
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getEventType } from '../../core';
import { MAX_JSON_DEPTH } from '../../server/domain/jsonShape';
import { type Json, TEST_API_KEY, type TestDispatcher, startTestDispatcher } from '../helpers/dispatcher';
import { type Receiver, startReceiver } from '../helpers/receiver';

const sample = getEventType('device.lost')?.sample as Json;

/** `{"x": [[[…]]]}` as JSON text: `depth` levels of arrays (built as text: JSON.stringify would overflow). */
function nestedArrays(depth: number): string {
	return `${'['.repeat(depth)}${']'.repeat(depth)}`;
}

async function raw(
	dispatcher: TestDispatcher,
	method: string,
	path: string,
	body: string | Buffer | undefined,
	headers: Record<string, string> = {},
): Promise<{ status: number; body: Json }> {
	const response = await fetch(`${dispatcher.baseUrl}${path}`, {
		method,
		headers: { authorization: `Bearer ${TEST_API_KEY}`, 'content-type': 'application/json', ...headers },
		body,
	});
	const text = await response.text();
	return { status: response.status, body: text ? JSON.parse(text) : null };
}

describe('input limits', () => {
	let dispatcher: TestDispatcher;
	let receiver: Receiver;
	let webhookId: string;
	beforeAll(async () => {
		dispatcher = await startTestDispatcher();
		receiver = await startReceiver();
		const webhook = await dispatcher.api.post('/v1/webhooks', { name: 'all events', url: receiver.url, events: ['*'] });
		webhookId = webhook.body.id;
	});
	afterAll(async () => {
		await dispatcher.close();
		await receiver.close();
	});

	it(`refuses an event nested 5,000 levels deep with a 422 naming the limit (${MAX_JSON_DEPTH}) and the path, stores nothing, and still compacts and reopens`, async () => {
		const body = `{"type":"device.lost","data":{"device":{"id":"deep"},"x":${nestedArrays(5000)}}}`;
		const plain = await raw(dispatcher, 'POST', '/v1/events', body);
		// The same body gzip-compressed takes the general route rather than the ingest fast path.
		const gzipped = await raw(dispatcher, 'POST', '/v1/events', zlib.gzipSync(body), { 'content-encoding': 'gzip' });
		for (const answer of [plain, gzipped]) {
			expect(answer.status).toBe(422);
			const [detail] = answer.body.error.details;
			expect(detail.message).toBe(`nested deeper than the limit of ${MAX_JSON_DEPTH} levels`);
			// body (1) → data (2) → x (3) → x/0 (4) …: level 65, the first refused, is x and 62 more.
			expect(detail.path).toBe(`/data/x${'/0'.repeat(MAX_JSON_DEPTH - 2)}`);
		}
		// Just inside the limit is fine.
		const inside = await raw(dispatcher, 'POST', '/v1/events', `{"type":"device.lost","data":{"device":{"id":"ok"},"x":${nestedArrays(MAX_JSON_DEPTH - 2)}}}`);
		expect(inside.status).toBe(202);

		const log = await dispatcher.api.get('/v1/deliveries');
		expect(log.body.data.map((d: Json) => d.eventId)).toEqual([inside.body.id]);
		const dataFile = dispatcher.dataFile;
		await dispatcher.close();
		dispatcher = await startTestDispatcher({ dataFile });
		expect((await dispatcher.api.get('/v1/deliveries')).body.data.map((d: Json) => d.eventId)).toEqual([inside.body.id]);
	});

	it('refuses deep request bodies on every route, and __proto__ / constructor.prototype keys anywhere', async () => {
		const deepHeaders = `{"name":"deep","url":"${receiver.url}","headers":${'{"a":'.repeat(100)}"v"${'}'.repeat(100)}}`;
		const deep = await raw(dispatcher, 'POST', '/v1/webhooks', deepHeaders);
		expect(deep.status).toBe(422);
		expect(deep.body.error.details[0].path).toBe(`/headers${'/a'.repeat(MAX_JSON_DEPTH - 1)}`);

		const cases: [string, string, string][] = [
			['/v1/events', `{"type":"device.lost","data":{"device":{"id":"p"},"__proto__":{"admin":true}}}`, '/data/__proto__'],
			['/v1/events', `{"type":"device.lost","data":{"device":{"id":"p","constructor":{"prototype":{"x":1}}}}}`, '/data/device/constructor/prototype'],
			['/v1/webhooks', `{"name":"p","url":"${receiver.url}","headers":{"__proto__":"x"}}`, '/headers/__proto__'],
			['/v1/deliveries/retry', `{"filter":{"__proto__":{"status":"failed"}}}`, '/filter/__proto__'],
		];
		for (const [path, body, pointer] of cases) {
			const answer = await raw(dispatcher, 'POST', path, body);
			expect(answer.status, `${path} ${body}`).toBe(422);
			expect(answer.body.error.details[0].path).toBe(pointer);
		}
		expect((await dispatcher.api.get('/v1/webhooks')).body.data.map((w: Json) => w.name)).toEqual(['all events']);
	});

	it('answers 400, not 500, for bad percent-encoding in a path and for bodies that do not decode', async () => {
		for (const path of ['/v1/webhooks/%ff', '/v1/profiles/%E0%A4%A', '/v1/deliveries/%c0%af']) {
			const answer = await raw(dispatcher, 'GET', path, undefined);
			expect(answer.status, path).toBe(400);
			expect(answer.body.error.code).toBe('invalid_path');
		}
		expect((await raw(dispatcher, 'POST', '/v1/deliveries/%ff/retry', '{}')).status).toBe(400);
		const notGzip = await raw(dispatcher, 'POST', '/v1/webhooks', Buffer.from('not gzip'), { 'content-encoding': 'gzip' });
		const notBrotli = await raw(dispatcher, 'POST', '/v1/events', Buffer.from('not brotli'), { 'content-encoding': 'br' });
		const cutGzip = await raw(dispatcher, 'POST', '/v1/events', zlib.gzipSync('{"type":"device.lost"}').subarray(0, 12), {
			'content-encoding': 'gzip',
		});
		for (const answer of [notGzip, notBrotli, cutGzip]) {
			expect(answer.status).toBe(400);
			expect(answer.body.error.code).toBe('invalid_body_encoding');
		}
		// A body that does decode is read as usual.
		const brotli = await raw(
			dispatcher,
			'POST',
			'/v1/events',
			zlib.brotliCompressSync(JSON.stringify({ type: 'device.lost', data: sample })),
			{ 'content-encoding': 'br' },
		);
		expect(brotli.status).toBe(202);
	});

	it('refuses a timestamp JSON Schema admits but a date cannot hold (a leap second) with a 422 on /timestamp', async () => {
		const answer = await dispatcher.api.post('/v1/events', { type: 'device.lost', timestamp: '2026-12-31T23:59:60Z', data: sample });
		expect(answer.status).toBe(422);
		expect(answer.body.error.details).toEqual([{ path: '/timestamp', message: expect.stringContaining('leap seconds') }]);
		const fine = await dispatcher.api.post('/v1/events', { type: 'device.lost', timestamp: '2026-12-31T23:59:59+01:00', data: sample });
		expect(fine.status).toBe(202);
	});

	it('refuses at save credentials a header cannot carry, credentials in the URL, control characters in names, and a rate limit below 0.01/s', async () => {
		const refused: [Json, string, RegExp][] = [
			[{ auth: { type: 'basic', username: 'admin', password: 'pass\r\nX-Injected: 1' } }, '/auth/password', /CR, LF or NUL/],
			[{ auth: { type: 'basic', username: 'adm:in', password: 'secret' } }, '/auth/username', /colon/],
			[{ auth: { type: 'basic', username: 'admin\u0000', password: 'secret' } }, '/auth/username', /NUL/],
			[{ auth: { type: 'bearer', token: 'tok\nen' } }, '/auth/token', /CR, LF or NUL/],
			[{ auth: { type: 'bearer', token: 'tok\u0000en' } }, '/auth/token', /CR, LF or NUL/],
			[{ url: receiver.url.replace('http://', 'http://user:pass@') }, '/url', /credentials.*\/auth/],
			[{ url: receiver.url.replace('http://', 'http://user@') }, '/url', /credentials.*\/auth/],
			[{ url: `${receiver.url}\n` }, '/url', /control characters/],
			[{ name: 'two\r\nlines' }, '/name', /one line of printable text/],
			[{ rateLimitPerSecond: 1e-300 }, '/rateLimitPerSecond', />= 0.01/],
		];
		for (const [fields, path, message] of refused) {
			const answer = await dispatcher.api.post('/v1/webhooks', { name: 'refused', url: receiver.url, ...fields });
			expect(answer.status, JSON.stringify(fields)).toBe(422);
			expect(answer.body.error.details).toContainEqual({ path, message: expect.stringMatching(message) });
			expect(answer.text).not.toContain('pass\r\n');
		}
		const patched = await dispatcher.api.patch(`/v1/webhooks/${webhookId}`, { auth: { type: 'bearer', token: 'a\r\nb' } });
		expect(patched.status).toBe(422);
		const profile = await dispatcher.api.post('/v1/profiles', { name: 'a\u0000b', events: ['device.lost'], webhookIds: [webhookId] });
		expect(profile.status).toBe(422);
		expect(profile.body.error.details[0].path).toBe('/name');

		const slowest = await dispatcher.api.post('/v1/webhooks', { name: 'slowest allowed', url: receiver.url, rateLimitPerSecond: 0.01 });
		expect(slowest.status, slowest.text).toBe(201);
		expect((await dispatcher.api.delete(`/v1/webhooks/${slowest.body.id}`)).status).toBe(204);
		expect((await dispatcher.api.get('/v1/webhooks')).body.data.map((w: Json) => w.name)).toEqual(['all events']);
	});

	it('answers 400 for a cursor that does not point into the log', async () => {
		for (const cursor of ['abc', 'bXNnX25vdF90aGVyZQ', '%00', 'x'.repeat(2000)]) {
			const answer = await dispatcher.api.get(`/v1/deliveries?cursor=${cursor}`);
			expect(answer.status, cursor).toBe(400);
			expect(answer.body.error.details[0].path).toBe('/cursor');
		}
		const page = await dispatcher.api.get('/v1/deliveries?limit=1');
		expect(page.body.nextCursor).toEqual(expect.any(String));
		expect((await dispatcher.api.get(`/v1/deliveries?limit=1&cursor=${page.body.nextCursor}`)).status).toBe(200);
	});
});

/**
 * POST /v1/events has one path (the route in server/api/v1/events.ts). Every case here is sent in
 * the plain form and, where that makes sense, in another encoding (gzip, chunked, a BOM, a
 * charset), and the answers must be the same.
 */
import http from 'node:http';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getEventType } from '../../core';
import { TEST_API_KEY, type TestDispatcher, startTestDispatcher } from '../helpers/dispatcher';

let dispatcher: TestDispatcher;

beforeAll(async () => {
	dispatcher = await startTestDispatcher();
});

afterAll(async () => {
	await dispatcher.close();
});

interface Answer {
	status: number;
	headers: http.IncomingHttpHeaders;
	text: string;
}

/** A raw request, so that headers (chunked bodies, encodings, charsets) are exactly as given. */
function send(path: string, body: Buffer | string, headers: Record<string, string>, chunked = false): Promise<Answer> {
	const url = new URL(path, dispatcher.baseUrl);
	const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
	return new Promise((resolve, reject) => {
		const request = http.request(
			url,
			{
				method: 'POST',
				headers: { ...headers, ...(chunked ? { 'transfer-encoding': 'chunked' } : { 'content-length': String(bytes.length) }) },
			},
			(response) => {
				let text = '';
				response.setEncoding('utf8');
				response.on('data', (chunk) => (text += chunk));
				response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, text }));
			},
		);
		request.on('error', reject);
		if (chunked) {
			for (let at = 0; at < bytes.length; at += 64 * 1024) request.write(bytes.subarray(at, at + 64 * 1024));
			request.end();
		} else request.end(bytes);
	});
}

const auth = { authorization: `Bearer ${TEST_API_KEY}` };
const json = { ...auth, 'content-type': 'application/json' };
const sample = getEventType('device.enrolled')?.sample;

describe('POST /v1/events: the same answers whatever the encoding', () => {
	it('accepts an event (202) and answers a repeated id with the first answer (200)', async () => {
		const body = JSON.stringify({ id: 'evt_fast_1', type: 'device.enrolled', data: sample });
		const first = await send('/v1/events', body, json);
		expect(first.status, first.text).toBe(202);
		expect(first.headers['content-type']).toBe('application/json; charset=utf-8');
		expect(Number(first.headers['content-length'])).toBe(Buffer.byteLength(first.text));
		expect(JSON.parse(first.text)).toMatchObject({ id: 'evt_fast_1', type: 'device.enrolled', deliveries: [] });
		// A gzip body goes through the general chain: same event, so the first answer again.
		const again = await send('/v1/events', zlib.gzipSync(body), { ...json, 'content-encoding': 'gzip' });
		expect(again.status, again.text).toBe(200);
		expect(JSON.parse(again.text)).toEqual(JSON.parse(first.text));
		const direct = await send('/v1/events', body, json);
		expect(direct.status).toBe(200);
		expect(direct.text).toBe(again.text);
	});

	it('accepts a chunked body, a UTF-8 BOM and an explicit utf-8 charset', async () => {
		const chunked = await send('/v1/events', JSON.stringify({ type: 'device.enrolled', data: sample }), json, true);
		expect(chunked.status, chunked.text).toBe(202);
		const bom = await send('/v1/events', `\ufeff${JSON.stringify({ type: 'device.enrolled', data: sample })}`, json);
		expect(bom.status, bom.text).toBe(202);
		const charset = await send('/v1/events', JSON.stringify({ type: 'device.enrolled', data: sample }), {
			...auth,
			'content-type': 'application/json; charset=UTF-8',
		});
		expect(charset.status, charset.text).toBe(202);
	});

	it('gives the same 400 for malformed JSON on both paths', async () => {
		const direct = await send('/v1/events', '{"type":', json);
		const general = await send('/v1/events', zlib.gzipSync('{"type":'), { ...json, 'content-encoding': 'gzip' });
		expect(direct.status).toBe(400);
		expect(direct.text).toBe(general.text);
		expect(JSON.parse(direct.text).error.code).toBe('invalid_json');
	});

	it('gives the same 422 for an invalid event and for an empty body', async () => {
		const body = JSON.stringify({ type: 'device.enrolled', data: { device: { name: 'no id' } } });
		const direct = await send('/v1/events', body, json);
		const general = await send('/v1/events', zlib.gzipSync(body), { ...json, 'content-encoding': 'gzip' });
		expect(direct.status).toBe(422);
		expect(direct.text).toBe(general.text);
		const empty = await send('/v1/events', '', json);
		expect(empty.status).toBe(422);
	});

	it('answers 413 over 1 MiB, declared or chunked, and 401 without the key', async () => {
		const huge = JSON.stringify({ type: 'device.enrolled', data: { device: { id: 'd' }, pad: 'x'.repeat(1024 * 1024) } });
		const declared = await send('/v1/events', huge, json);
		expect(declared.status).toBe(413);
		const chunked = await send('/v1/events', huge, json, true);
		expect(chunked.status).toBe(413);
		expect(chunked.text).toBe(declared.text);
		const anonymous = await send('/v1/events', JSON.stringify({ type: 'device.enrolled', data: sample }), {
			'content-type': 'application/json',
		});
		expect(anonymous.status).toBe(401);
		const wrongKey = await send('/v1/events', JSON.stringify({ type: 'device.enrolled', data: sample }), {
			...json,
			authorization: 'Bearer nope',
		});
		expect(wrongKey.status).toBe(401);
		expect(wrongKey.text).toBe(anonymous.text);
	});

	it('leaves non-UTF-8 charsets to the general chain (415 for an unknown one)', async () => {
		const answer = await send('/v1/events', JSON.stringify({ type: 'device.enrolled', data: sample }), {
			...auth,
			'content-type': 'application/json; charset=latin1',
		});
		expect(answer.status).toBe(415);
	});
});

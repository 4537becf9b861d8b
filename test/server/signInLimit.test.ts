/**
 * Failed console sign-ins are limited per client address: against a real dispatcher, the 11th
 * wrong key within a minute from 127.0.0.1 is answered 429 with Retry-After, and then even the
 * right key is (the key is not checked while limited), while another address (127.0.0.2) signs
 * in. The sliding window, the IPv6 /64 grouping and the bound on tracked addresses are checked
 * on the limiter with a moved clock.
 */
import http from 'node:http';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../server/observability/logger';
import { SIGN_IN_FAILURE_LIMIT, SignInLimiter, clientKey } from '../../server/http/signInLimiter';
import { type Json, TEST_API_KEY, type TestDispatcher, startTestDispatcher } from '../helpers/dispatcher';

let dispatcher: TestDispatcher;
const logLines: Json[] = [];

beforeAll(async () => {
	const destination = new Writable({
		write(chunk: Buffer, _encoding, done) {
			for (const line of chunk.toString('utf8').split('\n')) if (line.startsWith('{')) logLines.push(JSON.parse(line));
			done();
		},
	});
	dispatcher = await startTestDispatcher({ logger: createLogger({ level: 'warn', destination }) });
});
afterAll(async () => {
	await dispatcher.close();
});

interface Answer {
	status: number;
	headers: http.IncomingHttpHeaders;
	body: Json;
}

/** `POST /v1/session` from a chosen local address (the whole of 127.0.0.0/8 is this host's). */
function signIn(apiKey: string, localAddress = '127.0.0.1'): Promise<Answer> {
	const body = JSON.stringify({ apiKey });
	return new Promise((resolve, reject) => {
		const request = http.request(
			{
				host: '127.0.0.1',
				port: dispatcher.port,
				localAddress,
				method: 'POST',
				path: '/v1/session',
				agent: false,
				headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'x-mdm-console': '1' },
			},
			(response) => {
				const chunks: Buffer[] = [];
				response.on('data', (chunk: Buffer) => chunks.push(chunk));
				response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) }));
			},
		);
		request.on('error', reject);
		request.end(body);
	});
}

describe('POST /v1/session: failed sign-ins per client address', () => {
	it('10 wrong keys a minute, then 429 with Retry-After, even for the right key; another address is not affected', async () => {
		for (let i = 0; i < SIGN_IN_FAILURE_LIMIT; i++) {
			const wrong = await signIn(`guess-${i}`);
			expect(wrong.status, `attempt ${i + 1}`).toBe(401);
			expect(wrong.body.error.code).toBe('unauthorized');
		}
		const limited = await signIn('guess-11');
		expect(limited.status).toBe(429);
		expect(limited.body).toEqual({
			error: { code: 'too_many_sign_ins', message: expect.stringMatching(/^too many wrong API keys from this address: try again in \d+ s$/) },
		});
		const retryAfter = Number(limited.headers['retry-after']);
		expect(retryAfter).toBeGreaterThanOrEqual(1);
		expect(retryAfter).toBeLessThanOrEqual(60);
		expect(limited.headers['set-cookie']).toBeUndefined();

		const right = await signIn(TEST_API_KEY);
		expect(right.status).toBe(429);
		expect(right.headers['set-cookie']).toBeUndefined();

		const elsewhere = await signIn(TEST_API_KEY, '127.0.0.2');
		expect(elsewhere.status).toBe(201);
		expect(String(elsewhere.headers['set-cookie'])).toMatch(/^mdm_session=/);

		// The API key itself is not limited: only the console's sign-in is.
		expect((await dispatcher.api.get('/v1/webhooks')).status).toBe(200);

		const warned = logLines.filter((line) => line.event === 'console.sign_in_limited');
		expect(warned).toHaveLength(1);
		expect(warned[0]).toMatchObject({ level: 'warn', client: '127.0.0.1' });
		expect(JSON.stringify(logLines)).not.toContain('guess-');
	});

	it('a successful sign-in clears the failures counted for its address', async () => {
		for (let i = 0; i < SIGN_IN_FAILURE_LIMIT - 1; i++) expect((await signIn('wrong', '127.0.0.3')).status).toBe(401);
		expect((await signIn(TEST_API_KEY, '127.0.0.3')).status).toBe(201);
		for (let i = 0; i < SIGN_IN_FAILURE_LIMIT; i++) expect((await signIn('wrong', '127.0.0.3')).status).toBe(401);
		expect((await signIn('wrong', '127.0.0.3')).status).toBe(429);
	});
});

describe('SignInLimiter', () => {
	it('is a sliding window: one more try each time the oldest failure is a window old', () => {
		let now = 1_000_000;
		const limiter = new SignInLimiter({ limit: 3, windowMs: 60_000, now: () => now });
		expect(limiter.recordFailure('a')).toBe(false);
		now += 10_000;
		expect(limiter.recordFailure('a')).toBe(false);
		now += 10_000;
		expect(limiter.retryAfterMs('a')).toBe(0);
		expect(limiter.recordFailure('a')).toBe(true);
		expect(limiter.retryAfterMs('a')).toBe(40_000); // the first failure leaves the window at +60 s
		expect(limiter.retryAfterMs('b')).toBe(0);
		now += 40_000;
		expect(limiter.retryAfterMs('a')).toBe(0);
		expect(limiter.recordFailure('a')).toBe(true);
		expect(limiter.retryAfterMs('a')).toBe(10_000); // now the second one is the oldest
		now += 60_000;
		expect(limiter.retryAfterMs('a')).toBe(0);
		expect(limiter.size).toBe(0); // nothing left in the window: forgotten
	});

	it('keeps at most maxAddresses, dropping the longest tracked', () => {
		const limiter = new SignInLimiter({ limit: 1, maxAddresses: 2 });
		limiter.recordFailure('a');
		limiter.recordFailure('b');
		limiter.recordFailure('c');
		expect(limiter.size).toBe(2);
		expect(limiter.retryAfterMs('a')).toBe(0);
		expect(limiter.retryAfterMs('b')).toBeGreaterThan(0);
		expect(limiter.retryAfterMs('c')).toBeGreaterThan(0);
	});

	it('counts IPv4 as is, IPv4-mapped IPv6 as its IPv4, IPv6 by its /64', () => {
		expect(clientKey('203.0.113.7')).toBe('203.0.113.7');
		expect(clientKey('::ffff:203.0.113.7')).toBe('203.0.113.7');
		expect(clientKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
		expect(clientKey('2001:db8:1:2:ffff:ffff:ffff:ffff')).toBe('2001:db8:1:2::/64');
		expect(clientKey('2001:db8:1:3::1')).toBe('2001:db8:1:3::/64');
		expect(clientKey(undefined)).toBe('unknown');
	});
});

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LookupAddress } from 'node:dns';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { OutboundRequest } from '../../../core/types';
import { AddressGuard } from '../../../server/delivery/addressGuard';
import { DeliveryHttpClient, parseRetryAfter, truncateUtf8 } from '../../../server/delivery/httpClient';

interface Received {
	method: string;
	url: string;
	headers: http.IncomingHttpHeaders;
	body: Buffer;
}

/** A loopback receiver whose answer each test sets; it records requests and TCP connections. */
class Receiver {
	readonly received: Received[] = [];
	connections = 0;
	handler: (req: http.IncomingMessage, res: http.ServerResponse, body: Buffer) => void = (_req, res) => res.end('ok');
	readonly server = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			const body = Buffer.concat(chunks);
			this.received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
			this.handler(req, res, body);
		});
	});

	constructor() {
		this.server.on('connection', () => this.connections++);
	}

	async start(): Promise<void> {
		await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
	}

	get port(): number {
		return (this.server.address() as AddressInfo).port;
	}

	url(path = '/hook'): string {
		return `http://127.0.0.1:${this.port}${path}`;
	}

	reset(): void {
		this.received.length = 0;
		this.connections = 0;
		this.handler = (_req, res) => res.end('ok');
	}

	async stop(): Promise<void> {
		this.server.closeAllConnections();
		await new Promise<void>((resolve) => this.server.close(() => resolve()));
	}
}

function post(url: string, body = '{"hello":"world"}', headers: Record<string, string> = {}): OutboundRequest {
	return { url, method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body };
}

const loopbackGuard = new AddressGuard({ allowHttp: true, allowedCidrs: ['127.0.0.0/8'] });
const receiver = new Receiver();
let client: DeliveryHttpClient;

beforeAll(async () => {
	await receiver.start();
});
afterAll(async () => {
	await receiver.stop();
});
afterEach(async () => {
	await client?.close();
	receiver.reset();
});

describe('DeliveryHttpClient.send', () => {
	it('sends exactly the body bytes and headers', async () => {
		client = new DeliveryHttpClient({ guard: loopbackGuard });
		const body = '{"text":"Grüße 👋","n":1}\n  ';
		const result = await client.send(
			{
				url: receiver.url('/hook?x=1&y=%20'),
				method: 'PUT',
				headers: {
					'content-type': 'application/json; charset=utf-8',
					'webhook-id': 'msg_123',
					'x-custom': 'a, b',
					authorization: 'Bearer t0k',
				},
				body,
			},
			5,
		);
		expect(result).toMatchObject({ statusCode: 200, error: null, response: 'ok', retryAfterSeconds: null });
		expect(result.durationMs).toBeGreaterThan(0);
		const [got] = receiver.received;
		expect(got?.method).toBe('PUT');
		expect(got?.url).toBe('/hook?x=1&y=%20');
		expect(got?.body.equals(Buffer.from(body, 'utf8'))).toBe(true);
		expect(got?.headers).toMatchObject({
			'content-type': 'application/json; charset=utf-8',
			'webhook-id': 'msg_123',
			'x-custom': 'a, b',
			authorization: 'Bearer t0k',
			'content-length': String(Buffer.byteLength(body)),
			host: `127.0.0.1:${receiver.port}`,
		});
	});

	it('reports a 500, then a 200, with their bodies', async () => {
		client = new DeliveryHttpClient({ guard: loopbackGuard });
		const answers = [500, 200];
		receiver.handler = (_req, res) => {
			res.statusCode = answers.shift() ?? 599;
			res.end(`status ${res.statusCode}`);
		};
		const first = await client.send(post(receiver.url()), 5);
		const second = await client.send(post(receiver.url()), 5);
		expect(first).toMatchObject({ statusCode: 500, error: null, response: 'status 500' });
		expect(second).toMatchObject({ statusCode: 200, error: null, response: 'status 200' });
	});

	it('does not follow redirects', async () => {
		client = new DeliveryHttpClient({ guard: loopbackGuard });
		receiver.handler = (req, res) => {
			if (req.url === '/hook') {
				res.writeHead(302, { location: '/target' }).end();
			} else {
				res.end('target');
			}
		};
		const result = await client.send(post(receiver.url('/hook')), 5);
		expect(result).toMatchObject({ statusCode: 302, error: null, response: '' });
		expect(receiver.received.map((r) => r.url)).toEqual(['/hook']);
	});

	it('times out after the webhook timeout, with no status', async () => {
		client = new DeliveryHttpClient({ guard: loopbackGuard });
		receiver.handler = () => {}; // never answers
		const result = await client.send(post(receiver.url()), 0.3);
		expect(result).toMatchObject({ statusCode: null, error: 'timeout after 0.3 s', response: null });
		expect(result.durationMs).toBeGreaterThanOrEqual(290);
		expect(result.durationMs).toBeLessThan(1500);
	});

	it('times out when the body stalls, keeping the status that arrived', async () => {
		client = new DeliveryHttpClient({ guard: loopbackGuard });
		receiver.handler = (_req, res) => {
			res.writeHead(200, { 'content-type': 'text/plain' });
			res.write('partial');
		};
		const result = await client.send(post(receiver.url()), 0.3);
		expect(result).toMatchObject({ statusCode: 200, error: 'timeout after 0.3 s', response: 'partial' });
	});

	it('truncates the response at 4096 bytes without splitting a character, and reuses the socket', async () => {
		client = new DeliveryHttpClient({ guard: loopbackGuard });
		const big = 'a' + 'é'.repeat(5000); // é is two bytes: byte 4096 is the middle of one
		receiver.handler = (_req, res) => res.end(big);
		const result = await client.send(post(receiver.url()), 5);
		expect(result.statusCode).toBe(200);
		expect(result.response).toBe('a' + 'é'.repeat(2047));
		expect(Buffer.byteLength(result.response ?? '')).toBe(4095);
		receiver.handler = (_req, res) => res.end('small');
		expect((await client.send(post(receiver.url()), 5)).response).toBe('small');
		expect(receiver.connections).toBe(1); // the long body was drained, not abandoned
	});

	it('does not hang on a very large response body', async () => {
		client = new DeliveryHttpClient({ guard: loopbackGuard });
		const chunk = Buffer.alloc(64 * 1024, 'x');
		receiver.handler = (_req, res) => {
			let left = 64; // 4 MiB
			const pump = () => {
				while (left > 0) {
					left--;
					if (!res.write(chunk)) return void res.once('drain', pump);
				}
				res.end();
			};
			res.on('error', () => {});
			pump();
		};
		const result = await client.send(post(receiver.url()), 5);
		expect(result).toMatchObject({ statusCode: 200, error: null });
		expect(result.response).toHaveLength(4096);
	});

	it('parses Retry-After as seconds and as an HTTP-date', async () => {
		client = new DeliveryHttpClient({ guard: loopbackGuard });
		const values = ['120', new Date(Date.now() + 90_000).toUTCString(), 'soon'];
		receiver.handler = (_req, res) => res.writeHead(503, { 'retry-after': values.shift() ?? '' }).end();
		const seconds = await client.send(post(receiver.url()), 5);
		const date = await client.send(post(receiver.url()), 5);
		const invalid = await client.send(post(receiver.url()), 5);
		expect(seconds).toMatchObject({ statusCode: 503, retryAfterSeconds: 120 });
		expect(date.retryAfterSeconds).toBeGreaterThanOrEqual(88);
		expect(date.retryAfterSeconds).toBeLessThanOrEqual(90);
		expect(invalid.retryAfterSeconds).toBeNull();
	});

	it('keeps one socket alive across sequential sends', async () => {
		client = new DeliveryHttpClient({ guard: loopbackGuard });
		for (let i = 0; i < 5; i++) {
			expect((await client.send(post(receiver.url(), `{"i":${i}}`), 5)).statusCode).toBe(200);
		}
		expect(receiver.received).toHaveLength(5);
		expect(receiver.connections).toBe(1);
	});

	it('reports a refused connection', async () => {
		client = new DeliveryHttpClient({ guard: loopbackGuard });
		const closed = new Receiver();
		await closed.start();
		const url = closed.url();
		await closed.stop();
		const result = await client.send(post(url), 5);
		expect(result).toMatchObject({ statusCode: null, error: 'connection refused', response: null });
		expect(result.refused).toBeUndefined();
	});

	it('refuses a literal private address without sending anything', async () => {
		client = new DeliveryHttpClient({ guard: new AddressGuard({ allowHttp: true, allowedCidrs: [] }) });
		const result = await client.send(post(receiver.url()), 5);
		expect(result).toMatchObject({
			statusCode: null,
			error: 'destination refused: is a private address (127.0.0.1)',
			refused: true,
		});
		expect(receiver.connections).toBe(0);
	});

	it('refuses http when the guard no longer allows it', async () => {
		client = new DeliveryHttpClient({ guard: new AddressGuard({ allowHttp: false, allowedCidrs: ['127.0.0.0/8'] }) });
		const result = await client.send(post(receiver.url()), 5);
		expect(result.error).toMatch(/^destination refused: must use https/);
		expect(result.refused).toBe(true);
		expect(receiver.connections).toBe(0);
	});

	it('connects through the guard lookup (a name resolved to an allowed address)', async () => {
		const guard = new AddressGuard({
			allowHttp: true,
			allowedCidrs: ['127.0.0.0/8'],
			resolver: async () => [{ address: '127.0.0.1', family: 4 }],
		});
		client = new DeliveryHttpClient({ guard });
		const result = await client.send(post(`http://receiver.test:${receiver.port}/hook`), 5);
		expect(result).toMatchObject({ statusCode: 200, error: null });
		expect(receiver.received[0]?.headers.host).toBe(`receiver.test:${receiver.port}`);
	});

	it('refuses at connect time a name that rebinds to 127.0.0.1 after passing checkUrl', async () => {
		const answers: LookupAddress[][] = [[{ address: '93.184.216.34', family: 4 }]];
		const guard = new AddressGuard({
			allowHttp: true,
			allowedCidrs: [],
			// First answer (save time) is public; every later one is loopback.
			resolver: async () => answers.shift() ?? [{ address: '127.0.0.1', family: 4 }],
		});
		const url = `http://rebind.test:${receiver.port}/hook`;
		await expect(guard.checkUrl(url)).resolves.toBeUndefined();
		client = new DeliveryHttpClient({ guard });
		const result = await client.send(post(url), 5);
		expect(result).toMatchObject({
			statusCode: null,
			error: 'destination refused: resolves to a private address (127.0.0.1)',
			response: null,
			refused: true,
		});
		expect(receiver.connections).toBe(0);
	});

	it('reports DNS failures at connect time as retryable network errors', async () => {
		const guard = new AddressGuard({
			allowHttp: true,
			allowedCidrs: [],
			resolver: async (hostname) => {
				throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
			},
		});
		client = new DeliveryHttpClient({ guard });
		const result = await client.send(post('http://gone.test/hook'), 5);
		expect(result).toMatchObject({ statusCode: null, error: 'host not found' });
		expect(result.refused).toBeUndefined();
	});

	it('never throws, even for a malformed request URL', async () => {
		client = new DeliveryHttpClient({ guard: loopbackGuard });
		const result = await client.send(post('::not a url::'), 5);
		expect(result).toMatchObject({ statusCode: null, error: 'destination refused: is not a valid URL', refused: true });
	});
});

describe('parseRetryAfter', () => {
	const now = Date.parse('2025-01-01T00:00:00Z');
	it.each([
		['0', 0],
		['120', 120],
		[' 7 ', 7],
		[['30', '60'], 30],
		['Wed, 01 Jan 2025 00:01:30 GMT', 90],
		['Wednesday, 01-Jan-25 00:01:30 GMT', 90], // RFC 850
		['Tue, 31 Dec 2024 23:00:00 GMT', 0], // in the past
	])('%j → %s', (value, seconds) => {
		expect(parseRetryAfter(value, now)).toBe(seconds);
	});

	it.each([undefined, '', '-5', '1.5', '5s', 'soon', 'Wed, 99 Foo 2025'])('%j → null', (value) => {
		expect(parseRetryAfter(value, now)).toBeNull();
	});
});

describe('truncateUtf8', () => {
	it('cuts on character boundaries', () => {
		expect(truncateUtf8(Buffer.from('abc'), 4)).toBe('abc');
		expect(truncateUtf8(Buffer.from('abcde'), 4)).toBe('abcd');
		expect(truncateUtf8(Buffer.from('ab€'), 4)).toBe('ab'); // € is 3 bytes
		expect(truncateUtf8(Buffer.from('a😀b'), 4)).toBe('a'); // 😀 is 4 bytes
		expect(truncateUtf8(Buffer.from('😀b'), 4)).toBe('😀');
	});
});

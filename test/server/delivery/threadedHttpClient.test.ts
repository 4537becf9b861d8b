/**
 * The send threads: the same contract as DeliveryHttpClient, from another thread. A real loopback
 * receiver checks what arrived byte for byte; the address guard runs inside the thread.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ThreadedHttpClient } from '../../../server/delivery/threadedHttpClient';

interface Received {
	method: string;
	url: string;
	headers: http.IncomingHttpHeaders;
	body: Buffer;
}

const received: Received[] = [];
let slowMs = 0;
const server = http.createServer((req, res) => {
	const chunks: Buffer[] = [];
	req.on('data', (chunk: Buffer) => chunks.push(chunk));
	req.on('end', () => {
		received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) });
		const answer = () => {
			if (req.url === '/busy') {
				res.writeHead(503, { 'retry-after': '7' });
				res.end('try later');
			} else res.end(`got ${req.url}`);
		};
		if (slowMs > 0) setTimeout(answer, slowMs);
		else answer();
	});
});
let origin = '';

beforeAll(async () => {
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
	server.closeAllConnections();
	await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('ThreadedHttpClient', () => {
	it('sends each request exactly, over two threads, and answers each with its own result', async () => {
		const client = new ThreadedHttpClient({ allowHttp: true, allowedCidrs: ['127.0.0.0/8'] }, 2);
		await client.start();
		try {
			received.length = 0;
			const body = (i: number) => `{"n":${i},"text":"Grüße 👋"}`;
			const results = await Promise.all(
				Array.from({ length: 40 }, (_, i) =>
					client.send(
						{ url: `${origin}/${i % 5 === 0 ? 'busy' : `hook?i=${i}`}`, method: 'POST', headers: { 'content-type': 'application/json', 'webhook-id': `msg_${i}` }, body: body(i) },
						5,
					),
				),
			);
			results.forEach((result, i) => {
				if (i % 5 === 0) expect(result).toMatchObject({ statusCode: 503, response: 'try later', retryAfterSeconds: 7, error: null });
				else expect(result).toMatchObject({ statusCode: 200, response: `got /hook?i=${i}`, error: null, retryAfterSeconds: null });
			});
			expect(received).toHaveLength(40);
			for (const got of received) {
				const i = Number(String(got.headers['webhook-id']).slice('msg_'.length));
				expect(got.method).toBe('POST');
				expect(got.body.equals(Buffer.from(body(i), 'utf8'))).toBe(true);
				expect(got.headers['content-length']).toBe(String(Buffer.byteLength(body(i))));
			}
		} finally {
			await client.close();
		}
	});

	it('refuses in the thread what the guard refuses, and times out as the main thread would', async () => {
		const client = new ThreadedHttpClient({ allowHttp: false, allowedCidrs: [] }, 1);
		await client.start();
		try {
			const refused = await client.send({ url: `${origin}/hook`, method: 'POST', headers: {}, body: '{}' }, 5);
			expect(refused.refused).toBe(true);
			expect(refused.statusCode).toBeNull();
			expect(refused.error).toMatch(/^destination refused: /);
		} finally {
			await client.close();
		}
		const open = new ThreadedHttpClient({ allowHttp: true, allowedCidrs: ['127.0.0.0/8'] }, 1);
		await open.start();
		slowMs = 2500;
		try {
			const late = await open.send({ url: `${origin}/slow`, method: 'POST', headers: {}, body: '{}' }, 1);
			expect(late).toMatchObject({ statusCode: null, error: 'timeout after 1 s', response: null });
		} finally {
			slowMs = 0;
			await open.close();
		}
	});

	it('lets sends in flight finish on close, and answers later sends as not sent', async () => {
		const client = new ThreadedHttpClient({ allowHttp: true, allowedCidrs: ['127.0.0.0/8'] }, 1);
		await client.start();
		slowMs = 300;
		try {
			const inFlight = client.send({ url: `${origin}/hook?late`, method: 'POST', headers: {}, body: '{}' }, 5);
			await new Promise((resolve) => setTimeout(resolve, 50));
			const closing = client.close();
			const after = await client.send({ url: `${origin}/hook`, method: 'POST', headers: {}, body: '{}' }, 5);
			expect(after).toMatchObject({ statusCode: null, error: 'the dispatcher is stopping' });
			expect(await inFlight).toMatchObject({ statusCode: 200, response: 'got /hook?late' });
			await closing;
		} finally {
			slowMs = 0;
		}
	});
});

/**
 * Failure classes from what the HTTP client really reports: a closed port, a receiver slower than
 * the timeout, a reset connection, 4xx and 5xx answers from a loopback server; and the same class
 * from the stored attempt record as from the live result.
 */
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AddressGuard } from '../../../server/delivery/addressGuard';
import { DeliveryHttpClient } from '../../../server/delivery/httpClient';
import { failureClass } from '../../../server/domain/failureClass';
import { freePort } from '../../helpers/dispatcherProcess';

let server: http.Server;
let resetter: net.Server;
let base = '';
let resetUrl = '';
const client = new DeliveryHttpClient({ guard: new AddressGuard({ allowHttp: true, allowedCidrs: ['127.0.0.0/8'] }) });

beforeAll(async () => {
	server = http.createServer((request, response) => {
		if (request.url === '/slow') {
			setTimeout(() => response.end('late'), 2500).unref();
			return;
		}
		response.writeHead(Number(request.url?.slice(1)) || 200).end();
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	resetter = net.createServer((socket) => socket.on('data', () => socket.resetAndDestroy()));
	await new Promise<void>((resolve) => resetter.listen(0, '127.0.0.1', resolve));
	resetUrl = `http://127.0.0.1:${(resetter.address() as AddressInfo).port}/`;
});
afterAll(async () => {
	await client.close();
	server.closeAllConnections();
	await new Promise((resolve) => server.close(resolve));
	await new Promise((resolve) => resetter.close(resolve));
});

const send = (url: string, timeoutSeconds = 10) =>
	client.send({ url, method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }, timeoutSeconds);

describe('failureClass', () => {
	it('classifies real failures as the client reports them', async () => {
		expect(failureClass(await send(`${base}/200`))).toBeNull();
		expect(failureClass(await send(`${base}/404`))).toBe('http_4xx');
		expect(failureClass(await send(`${base}/410`))).toBe('http_4xx');
		expect(failureClass(await send(`${base}/503`))).toBe('http_5xx');
		expect(failureClass(await send(`${base}/302`))).toBe('other');
		const closed = await send(`http://127.0.0.1:${await freePort()}/`);
		expect(closed.statusCode).toBeNull();
		expect(failureClass(closed)).toBe('connection_refused');
		const slow = await send(`${base}/slow`, 1);
		expect(slow.error).toMatch(/timeout/);
		expect(failureClass(slow)).toBe('timeout');
		expect(failureClass(await send(resetUrl))).toBe('network');
		expect(failureClass(await send('http://[::1]:1/', 1))).toMatch(/^(other|connection_refused|network)$/);
	});

	it('reads the same class from a stored attempt (status and error text only)', () => {
		expect(failureClass({ statusCode: null, error: 'timeout after 30 s' })).toBe('timeout');
		expect(failureClass({ statusCode: null, error: 'connect timeout after 10 s' })).toBe('timeout');
		expect(failureClass({ statusCode: null, error: 'connection refused' })).toBe('connection_refused');
		expect(failureClass({ statusCode: null, error: 'destination refused: 10.0.0.1 is private' })).toBe('other');
		expect(failureClass({ statusCode: null, error: 'payload mapping failed: x' })).toBe('other');
		expect(failureClass({ statusCode: null, error: 'host not found' })).toBe('network');
		expect(failureClass({ statusCode: 200, error: 'the answer body broke off' })).toBe('other');
	});
});

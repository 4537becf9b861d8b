/**
 * How the dispatcher sends: from send threads (the default on more than one core) or from the main
 * thread (`sendThreads: 0`), with the same requests arriving; and a start that cannot listen
 * stops what it started (the threads among it) instead of leaving it running.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getEventType } from '../../core';
import { startTestDispatcher, tempDataFile } from '../helpers/dispatcher';

const arrived: { body: string; headers: http.IncomingHttpHeaders }[] = [];
const receiver = http.createServer((req, res) => {
	let body = '';
	req.setEncoding('utf8');
	req.on('data', (chunk: string) => (body += chunk));
	req.on('end', () => {
		arrived.push({ body, headers: req.headers });
		res.end('ok');
	});
});
let url = '';
beforeAll(async () => {
	await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
	url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
});
afterAll(() => new Promise<void>((resolve) => receiver.close(() => resolve())));

async function until(check: () => boolean, ms = 10_000): Promise<void> {
	const deadline = Date.now() + ms;
	while (!check()) {
		if (Date.now() > deadline) throw new Error('timed out');
		await new Promise((resolve) => setTimeout(resolve, 20));
	}
}

describe('send threads', () => {
	for (const sendThreads of [0, 2]) {
		it(`delivers the same signed request with ${sendThreads} send threads`, async () => {
			const dispatcher = await startTestDispatcher({ sendThreads });
			try {
				const hook = await dispatcher.api.post('/v1/webhooks', { name: 'r', url, template: 'custom', events: ['*'] });
				expect(hook.status, hook.text).toBe(201);
				arrived.length = 0;
				const data = getEventType('device.online')?.sample;
				const ids = Array.from({ length: 6 }, (_, i) => `threads-${sendThreads}-${i}`);
				for (const id of ids) {
					const posted = await dispatcher.api.post('/v1/events', { id, type: 'device.online', data });
					expect(posted.status, posted.text).toBe(202);
				}
				await until(() => arrived.length === ids.length);
				for (const id of ids) {
					const got = arrived.find((a) => JSON.parse(a.body).id === id);
					expect(got?.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
					expect(JSON.parse(got?.body ?? '{}')).toMatchObject({ id, type: 'device.online', data });
				}
				const log = await dispatcher.api.get(`/v1/deliveries?eventId=${ids[0]}`);
				expect(log.body.data[0]).toMatchObject({ status: 'succeeded', responseCode: 200 });
			} finally {
				await dispatcher.close();
			}
		});
	}

	it('a start that cannot listen (port taken) fails and stops what it started; the same data starts again', async () => {
		const taken = http.createServer();
		await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
		const port = (taken.address() as AddressInfo).port;
		const dataFile = tempDataFile();
		try {
			await expect(startTestDispatcher({ dataFile, port, sendThreads: 1 })).rejects.toMatchObject({ code: 'EADDRINUSE' });
		} finally {
			await new Promise<void>((resolve) => taken.close(() => resolve()));
		}
		const again = await startTestDispatcher({ dataFile, sendThreads: 1 });
		try {
			expect((await again.api.get('/healthz')).status).toBe(200);
		} finally {
			await again.close();
		}
	});
});

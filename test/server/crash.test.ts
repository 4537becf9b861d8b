/**
 * Acceptance: a dispatcher killed with SIGKILL while accepting events loses none that got a 202.
 * The dispatcher runs as a real child process (`dist/server/main.js`, built by `npm test`).
 */
import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { getEventType } from '../../core';
import { MAIN, freePort, killAllChildren, spawnDispatcher } from '../helpers/childDispatcher';
import { tempDataFile } from '../helpers/dispatcher';
import { type Receiver, startReceiver } from '../helpers/receiver';

afterAll(killAllChildren);

describe('crash safety', () => {
	it('delivers every 202-accepted event after a SIGKILL mid-ingest and a restart', async () => {
		expect(fs.existsSync(MAIN), 'run `npm run build` first (npm test does)').toBe(true);
		// The receiver fails everything before the crash, so every accepted event is still pending.
		const target: Receiver = await startReceiver({ status: 503 });
		const dataFile = tempDataFile();
		const port = await freePort();
		let child = await spawnDispatcher({ DISPATCHER_DATA: dataFile }, port);
		const api = child.api;
		const hook = await api.post('/v1/webhooks', { name: 'crash-target', url: target.url, events: ['*'] });
		expect(hook.status, hook.text).toBe(201);

		const accepted = new Set<string>();
		let sent = 0;
		let stop = false;
		const data = getEventType('device.enrolled')?.sample;
		const client = async (worker: number) => {
			for (let i = 0; !stop; i++) {
				const id = `evt_crash_${worker}_${i}`;
				sent++;
				try {
					const answer = await api.post('/v1/events', { type: 'device.enrolled', id, data });
					if (answer.status === 202) accepted.add(id);
				} catch {
					return; // the connection died with the process
				}
			}
		};
		const clients = Array.from({ length: 8 }, (_, worker) => client(worker));
		await new Promise((resolve) => setTimeout(resolve, 1200));
		const killed = child.kill();
		stop = true;
		await Promise.all(clients);
		await killed;
		expect(accepted.size).toBeGreaterThan(20);

		target.respondWith({ status: 200 });
		child = await spawnDispatcher({ DISPATCHER_DATA: dataFile }, port);
		const deadline = Date.now() + 30_000;
		const delivered = () => new Set(target.requests.filter((r) => r.headers['webhook-id'] && r.body.startsWith('{')).map((r) => JSON.parse(r.body).id as string));
		while ([...accepted].some((id) => !delivered().has(id)) && Date.now() < deadline) {
			await new Promise((resolve) => setTimeout(resolve, 100));
		}
		const missing = [...accepted].filter((id) => !delivered().has(id));
		console.log(`crash test: ${sent} sent, ${accepted.size} got 202 before SIGKILL, ${missing.length} missing after restart`);
		expect(missing).toEqual([]);
		await child.stop();
		await target.close();
	}, 90_000);
});

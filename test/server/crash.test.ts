/**
 * Acceptance: a dispatcher killed with SIGKILL while accepting events loses none that got a 202.
 * The dispatcher runs as a real child process (`server/dist/server/main.js`, built by `npm test`).
 */
import { describe, expect, it } from 'vitest';
import { getEventType } from '../../core';
import { tempDataFile } from '../helpers/dispatcher';
import { freePort, spawnDispatcher, waitForDeliveries } from '../helpers/dispatcherProcess';
import { type Receiver, startReceiver } from '../helpers/receiver';

describe('crash safety', () => {
	it('delivers every 202-accepted event after a SIGKILL mid-ingest and a restart', async () => {
		// The receiver fails everything before the crash, so every accepted event is still pending.
		const target: Receiver = await startReceiver({ status: 503 });
		const dataFile = tempDataFile();
		const port = await freePort();
		let dispatcher = await spawnDispatcher(dataFile, { port });
		const { api } = dispatcher;
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
		// Mid-ingest: once enough were accepted (the machine may be busy), while clients keep posting.
		const deadline = Date.now() + 10_000;
		while (accepted.size < 100 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
		const killed = dispatcher.stop('SIGKILL');
		stop = true;
		await Promise.all(clients);
		await killed;
		expect(accepted.size).toBeGreaterThan(20);

		target.respondWith({ status: 200 });
		dispatcher = await spawnDispatcher(dataFile, { port });
		const missing = await waitForDeliveries(target, accepted);
		console.log(`crash test: ${sent} sent, ${accepted.size} got 202 before SIGKILL, ${missing.length} missing after restart`);
		expect(missing).toEqual([]);
		expect(await dispatcher.stop('SIGTERM')).toBe(0);
		await target.close();
	}, 90_000);
});

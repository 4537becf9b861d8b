/**
 * Acceptance: a dispatcher killed with SIGKILL while accepting events loses none that got a 202.
 * The dispatcher runs as a real child process (`server/dist/server/main.js`, built by `npm test`).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { getEventType } from '../../core';
import { ApiClient, TEST_API_KEY, tempDataFile } from '../helpers/dispatcher';
import { type Receiver, startReceiver } from '../helpers/receiver';

const MAIN = path.resolve(__dirname, '../../server/dist/server/main.js');
const children: ChildProcess[] = [];

afterAll(() => {
	for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
});

async function freePort(): Promise<number> {
	const server = net.createServer();
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as net.AddressInfo;
	await new Promise((resolve) => server.close(resolve));
	return port;
}

async function spawnDispatcher(dataFile: string, port: number): Promise<ChildProcess> {
	const child = spawn(process.execPath, [MAIN], {
		env: {
			...process.env,
			DISPATCHER_DATA: dataFile,
			DISPATCHER_API_KEY: TEST_API_KEY,
			HOST: '127.0.0.1',
			PORT: String(port),
			DISPATCHER_ALLOW_HTTP: 'true',
			DISPATCHER_ALLOWED_CIDRS: '127.0.0.0/8',
			DISPATCHER_RETRY_SCHEDULE: '0.5,0.5,0.5,0.5,0.5,0.5,0.5,0.5',
		},
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	children.push(child);
	let output = '';
	child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
	child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
	const deadline = Date.now() + 15_000;
	for (;;) {
		try {
			if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) return child;
		} catch {
			// not listening yet
		}
		if (child.exitCode !== null || Date.now() > deadline) throw new Error(`dispatcher did not start: ${output}`);
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
}

describe('crash safety', () => {
	it('delivers every 202-accepted event after a SIGKILL mid-ingest and a restart', async () => {
		expect(fs.existsSync(MAIN), 'run `npm run build` first (npm test does)').toBe(true);
		// The receiver fails everything before the crash, so every accepted event is still pending.
		const target: Receiver = await startReceiver({ status: 503 });
		const dataFile = tempDataFile();
		const port = await freePort();
		let child = await spawnDispatcher(dataFile, port);
		const api = new ApiClient(`http://127.0.0.1:${port}`);
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
		await new Promise((resolve) => setTimeout(resolve, 700));
		const killed = new Promise((resolve) => child.once('exit', resolve));
		child.kill('SIGKILL');
		stop = true;
		await Promise.all(clients);
		await killed;
		expect(accepted.size).toBeGreaterThan(20);

		target.respondWith({ status: 200 });
		child = await spawnDispatcher(dataFile, port);
		const deadline = Date.now() + 30_000;
		const delivered = () => new Set(target.requests.filter((r) => r.headers['webhook-id'] && r.body.startsWith('{')).map((r) => JSON.parse(r.body).id as string));
		while ([...accepted].some((id) => !delivered().has(id)) && Date.now() < deadline) {
			await new Promise((resolve) => setTimeout(resolve, 100));
		}
		const missing = [...accepted].filter((id) => !delivered().has(id));
		console.log(`crash test: ${sent} sent, ${accepted.size} got 202 before SIGKILL, ${missing.length} missing after restart`);
		expect(missing).toEqual([]);
		const exited = new Promise((resolve) => child.once('exit', resolve));
		child.kill('SIGTERM');
		await exited;
		await target.close();
	}, 90_000);
});

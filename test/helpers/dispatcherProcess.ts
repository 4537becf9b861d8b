/**
 * The built dispatcher (`server/dist/server/main.js`, built by `npm test`) as a real child process on a
 * data folder, for tests that kill it (`SIGKILL`), stop it (`SIGTERM`) or expect it to refuse to
 * start; plus what a receiver got, by event id.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll } from 'vitest';
import { ApiClient, TEST_API_KEY } from './dispatcher';
import type { Receiver } from './receiver';

export const MAIN = path.resolve(__dirname, '../../server/dist/server/main.js');

const children: ChildProcess[] = [];
afterAll(() => {
	for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

export async function freePort(): Promise<number> {
	const server = net.createServer();
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as net.AddressInfo;
	await new Promise((resolve) => server.close(resolve));
	return port;
}

export interface DispatcherProcess {
	child: ChildProcess;
	port: number;
	api: ApiClient;
	/** stdout and stderr so far. */
	output(): string;
	/** Resolves with the exit code (null when killed by a signal). */
	exited: Promise<number | null>;
	/** Sends `signal` and waits for the exit. */
	stop(signal: NodeJS.Signals): Promise<number | null>;
}

function launch(dataFile: string, port: number, env: Record<string, string>): DispatcherProcess {
	if (!fs.existsSync(MAIN)) throw new Error('run `npm run build` first (npm test does)');
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
			...env,
		},
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	children.push(child);
	let output = '';
	child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
	child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
	const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
	return {
		child,
		port,
		api: new ApiClient(`http://127.0.0.1:${port}`),
		output: () => output,
		exited,
		async stop(signal) {
			if (child.exitCode === null && child.signalCode === null) child.kill(signal);
			return exited;
		},
	};
}

/**
 * Starts a dispatcher and waits until it answers `/healthz`. A free port probed here can be taken
 * by another process before the dispatcher binds it (tests run in parallel): without a port of
 * the caller's, an `EADDRINUSE` start is tried again on another port.
 */
export async function spawnDispatcher(
	dataFile: string,
	options: { port?: number; env?: Record<string, string> } = {},
): Promise<DispatcherProcess> {
	for (let tries = 1; ; tries++) {
		const running = launch(dataFile, options.port ?? (await freePort()), options.env ?? {});
		const deadline = Date.now() + 15_000;
		for (;;) {
			try {
				if ((await fetch(`http://127.0.0.1:${running.port}/healthz`)).ok) return running;
			} catch {
				// not listening yet
			}
			if (running.child.exitCode !== null || Date.now() > deadline) break;
			await new Promise((resolve) => setTimeout(resolve, 50));
		}
		await running.stop('SIGKILL');
		if (options.port === undefined && tries < 3 && running.output().includes('EADDRINUSE')) continue;
		throw new Error(`dispatcher did not start: ${running.output()}`);
	}
}

/** Starts a dispatcher that should refuse to start; resolves with its exit code and output. */
export async function spawnRefused(
	dataFile: string,
	env: Record<string, string> = {},
): Promise<{ code: number | null; output: string; listened: boolean }> {
	const running = launch(dataFile, await freePort(), env);
	let listened = false;
	const timeout = setTimeout(() => running.child.kill('SIGKILL'), 15_000);
	const poll = setInterval(() => {
		fetch(`http://127.0.0.1:${running.port}/healthz`).then(
			() => (listened = true),
			() => undefined,
		);
	}, 50);
	const code = await running.exited;
	clearTimeout(timeout);
	clearInterval(poll);
	return { code, output: running.output(), listened };
}

/** Ids of the events a receiver got and answered 2xx (custom template bodies are the envelope). */
export function deliveredEventIds(receiver: Receiver): Set<string> {
	const ids = new Set<string>();
	for (const request of receiver.requests) {
		if (request.answeredStatus < 200 || request.answeredStatus > 299) continue;
		if (!request.headers['webhook-id'] || !request.body.startsWith('{')) continue;
		ids.add((JSON.parse(request.body) as { id: string }).id);
	}
	return ids;
}

/** Waits until `receiver` got every event in `ids`; returns the ones still missing at the deadline. */
export async function waitForDeliveries(receiver: Receiver, ids: Iterable<string>, timeoutMs = 30_000): Promise<string[]> {
	const wanted = [...ids];
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const delivered = deliveredEventIds(receiver);
		const missing = wanted.filter((id) => !delivered.has(id));
		if (missing.length === 0 || Date.now() > deadline) return missing;
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
}

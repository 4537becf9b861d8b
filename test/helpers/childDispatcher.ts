/**
 * Dispatchers as real child processes (`dist/server/main.js`, built by `npm test`), for the tests
 * that kill them (crash safety, scale-out). Each gets a free loopback port and the test key.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { ApiClient, TEST_API_KEY } from './dispatcher';

export const MAIN = path.resolve(__dirname, '../../dist/server/main.js');

export interface ChildDispatcher {
	child: ChildProcess;
	port: number;
	api: ApiClient;
	/** Everything it printed so far. */
	output(): string;
	/** SIGKILL, and wait until it is gone. */
	kill(): Promise<void>;
	/** SIGTERM (graceful), and wait. */
	stop(): Promise<void>;
}

const children = new Set<ChildProcess>();

/** Kills every child still running (call from afterAll). */
export function killAllChildren(): void {
	for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
	children.clear();
}

export async function freePort(): Promise<number> {
	const server = net.createServer();
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as net.AddressInfo;
	await new Promise((resolve) => server.close(resolve));
	return port;
}

/** Starts one and waits for `/healthz`; `env` adds to (and overrides) the test settings. */
export async function spawnDispatcher(env: Record<string, string>, port?: number): Promise<ChildDispatcher> {
	const listenPort = port ?? (await freePort());
	const child = spawn(process.execPath, [MAIN], {
		env: {
			...process.env,
			DISPATCHER_API_KEY: TEST_API_KEY,
			HOST: '127.0.0.1',
			PORT: String(listenPort),
			DISPATCHER_ALLOW_HTTP: 'true',
			DISPATCHER_ALLOWED_CIDRS: '127.0.0.0/8',
			DISPATCHER_RETRY_SCHEDULE: '0.5,0.5,0.5,0.5,0.5,0.5,0.5,0.5',
			...env,
		},
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	children.add(child);
	let output = '';
	child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
	child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
	const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
	const deadline = Date.now() + 20_000;
	for (;;) {
		try {
			if ((await fetch(`http://127.0.0.1:${listenPort}/healthz`)).ok) break;
		} catch {
			// not listening yet
		}
		if (child.exitCode !== null || Date.now() > deadline) throw new Error(`dispatcher did not start: ${output}`);
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
	return {
		child,
		port: listenPort,
		api: new ApiClient(`http://127.0.0.1:${listenPort}`),
		output: () => output,
		async kill() {
			child.kill('SIGKILL');
			await exited;
		},
		async stop() {
			child.kill('SIGTERM');
			await exited;
		},
	};
}

/** Runs main.js to its exit (for starts that must fail); returns the code and output. */
export function runToExit(env: Record<string, string>, timeoutMs = 20_000): Promise<{ code: number | null; output: string }> {
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, [MAIN], { env: { ...process.env, HOST: '127.0.0.1', PORT: '0', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
		let output = '';
		child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
		child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
		const timer = setTimeout(() => {
			child.kill('SIGKILL');
			reject(new Error(`still running after ${timeoutMs} ms: ${output}`));
		}, timeoutMs);
		child.once('exit', (code) => {
			clearTimeout(timer);
			resolve({ code, output });
		});
	});
}

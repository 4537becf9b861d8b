/**
 * A real dispatcher as a child process (`dist/server/main.js`, built by `npm test`) on a temp
 * data file: for tests that kill it, restart it on the same data, or measure it from outside.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { ApiClient, TEST_API_KEY } from './dispatcher';

export const MAIN = path.resolve(__dirname, '../../dist/server/main.js');

export interface DispatcherProcess {
	child: ChildProcess;
	port: number;
	baseUrl: string;
	api: ApiClient;
	/** Everything it printed so far (stdout and stderr). */
	output(): string;
	/** Sends `signal` and resolves with the exit code once it has exited. */
	stop(signal?: NodeJS.Signals): Promise<number | null>;
}

const running: ChildProcess[] = [];

/** SIGKILLs every child still running (call from `afterAll`). */
export function killAllDispatcherProcesses(): void {
	for (const child of running) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}

export async function freePort(): Promise<number> {
	const server = net.createServer();
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as net.AddressInfo;
	await new Promise((resolve) => server.close(resolve));
	return port;
}

/** Starts the dispatcher and resolves once `/healthz` answers. */
export async function spawnDispatcher(
	dataFile: string,
	options: { port?: number; env?: Record<string, string> } = {},
): Promise<DispatcherProcess> {
	if (!fs.existsSync(MAIN)) throw new Error('run `npm run build` first (npm test does)');
	const port = options.port ?? (await freePort());
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
			...options.env,
		},
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	running.push(child);
	let output = '';
	child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
	child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
	const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
	const baseUrl = `http://127.0.0.1:${port}`;
	const deadline = Date.now() + 15_000;
	for (;;) {
		try {
			if ((await fetch(`${baseUrl}/healthz`)).ok) break;
		} catch {
			// not listening yet
		}
		if (child.exitCode !== null || Date.now() > deadline) throw new Error(`dispatcher did not start: ${output}`);
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
	return {
		child,
		port,
		baseUrl,
		api: new ApiClient(baseUrl),
		output: () => output,
		stop(signal = 'SIGTERM') {
			if (child.exitCode === null && child.signalCode === null) child.kill(signal);
			return exited;
		},
	};
}

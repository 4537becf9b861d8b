/**
 * A real dispatcher on a temp lowdb file, listening on an ephemeral loopback port, with http and
 * 127.0.0.0/8 allowed (tests' receivers live there) and a fast retry schedule; plus a tiny client.
 * `spawnDispatcher` runs the built one (`dist/server/main.js`) as a child process instead.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { type RunningDispatcher, type StartOptions, startDispatcher } from '../../server';

export const TEST_API_KEY = 'test-admin-key-0123456789';

export interface TestDispatcher extends RunningDispatcher {
	dataFile: string;
	api: ApiClient;
}

export function tempDataFile(): string {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mdm-dispatcher-'));
	return path.join(dir, 'dispatcher.json');
}

export async function startTestDispatcher(options: Partial<StartOptions> = {}): Promise<TestDispatcher> {
	const dataFile = options.dataFile ?? tempDataFile();
	const running = await startDispatcher({
		apiKey: TEST_API_KEY,
		host: '127.0.0.1',
		port: 0,
		allowHttp: true,
		allowedCidrs: ['127.0.0.0/8'],
		retryScheduleSeconds: [0.1, 0.2, 0.3],
		...options,
		dataFile,
	});
	return { ...running, dataFile, api: new ApiClient(running.baseUrl) };
}

/** The built dispatcher (`npm test` and `npm run test:ui` build first). */
export const DISPATCHER_MAIN = path.resolve(__dirname, '../../dist/server/main.js');

export async function freePort(): Promise<number> {
	const server = net.createServer();
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as net.AddressInfo;
	await new Promise((resolve) => server.close(resolve));
	return port;
}

export interface DispatcherProcess {
	child: ChildProcess;
	baseUrl: string;
	/** What it printed so far (stdout and stderr). */
	output(): string;
}

/**
 * `node dist/server/main.js` with settings in its environment (`env` overrides the defaults:
 * the test key, http and 127.0.0.0/8 allowed, retries every 0.5 s); resolves once `/healthz` answers.
 */
export async function spawnDispatcher(dataFile: string, port: number, env: Record<string, string> = {}): Promise<DispatcherProcess> {
	const child = spawn(process.execPath, [DISPATCHER_MAIN], {
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
	let output = '';
	child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
	child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
	const baseUrl = `http://127.0.0.1:${port}`;
	const deadline = Date.now() + 15_000;
	for (;;) {
		try {
			if ((await fetch(`${baseUrl}/healthz`)).ok) return { child, baseUrl, output: () => output };
		} catch {
			// not listening yet
		}
		if (child.exitCode !== null || Date.now() > deadline) {
			child.kill('SIGKILL');
			throw new Error(`dispatcher did not start: ${output}`);
		}
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
}

export interface ApiAnswer<T = unknown> {
	status: number;
	body: T;
	text: string;
}

/** Any JSON answer: tests read fields freely and assert on them. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export class ApiClient {
	constructor(
		readonly baseUrl: string,
		private readonly apiKey: string = TEST_API_KEY,
	) {}

	async request(method: string, pathAndQuery: string, body?: unknown, rawBody?: string): Promise<ApiAnswer<Json>> {
		const response = await fetch(`${this.baseUrl}${pathAndQuery}`, {
			method,
			headers: {
				authorization: `Bearer ${this.apiKey}`,
				...(body !== undefined || rawBody !== undefined ? { 'content-type': 'application/json' } : {}),
			},
			body: rawBody ?? (body !== undefined ? JSON.stringify(body) : undefined),
		});
		const text = await response.text();
		let parsed: unknown = null;
		try {
			parsed = text.length > 0 ? JSON.parse(text) : null;
		} catch {
			parsed = text;
		}
		return { status: response.status, body: parsed, text };
	}

	get(path: string) {
		return this.request('GET', path);
	}
	post(path: string, body?: unknown) {
		return this.request('POST', path, body ?? {});
	}
	patch(path: string, body: unknown) {
		return this.request('PATCH', path, body);
	}
	delete(path: string) {
		return this.request('DELETE', path);
	}

	/** Polls a delivery until it is no longer pending. */
	async waitForDelivery(id: string, timeoutMs = 10_000): Promise<Json> {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const answer = await this.get(`/v1/deliveries/${id}`);
			if (answer.status === 200 && answer.body.status !== 'pending') return answer.body;
			if (Date.now() > deadline) throw new Error(`delivery ${id} still pending: ${answer.text}`);
			await new Promise((resolve) => setTimeout(resolve, 25));
		}
	}
}

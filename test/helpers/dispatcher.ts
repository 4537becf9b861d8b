/**
 * A real dispatcher on a temp lowdb file (or, with TEST_BACKEND=postgres as the `postgres` test
 * project sets it, on a fresh database of the run's PostgreSQL), listening on an ephemeral
 * loopback port, with http and 127.0.0.0/8 allowed (tests' receivers live there) and a fast
 * retry schedule; plus a tiny client.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type RunningDispatcher, type StartOptions, startDispatcher } from '../../server';
import type { LogLevel } from '../../server/observability/logger';
import { createTestDatabase } from './postgres';

export const TEST_API_KEY = 'test-admin-key-0123456789';

export interface TestDispatcher extends RunningDispatcher {
	dataFile: string;
	api: ApiClient;
}

export function tempDataFile(): string {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mdm-dispatcher-'));
	return path.join(dir, 'dispatcher.json');
}

/** The database of a data file: a restart on the same file finds the same data, as with lowdb. */
const databases = new Map<string, string>();
async function databaseFor(dataFile: string): Promise<string> {
	let url = databases.get(dataFile);
	if (!url) databases.set(dataFile, (url = await createTestDatabase()));
	return url;
}

export async function startTestDispatcher(options: Partial<StartOptions> = {}): Promise<TestDispatcher> {
	const dataFile = options.dataFile ?? tempDataFile();
	const databaseUrl =
		options.databaseUrl !== undefined ? options.databaseUrl : process.env.TEST_BACKEND === 'postgres' ? await databaseFor(dataFile) : null;
	const running = await startDispatcher({
		databaseUrl,
		apiKey: TEST_API_KEY,
		host: '127.0.0.1',
		port: 0,
		allowHttp: true,
		allowedCidrs: ['127.0.0.0/8'],
		retryScheduleSeconds: [0.1, 0.2, 0.3],
		// Quiet unless asked: DISPATCHER_LOG_LEVEL=info npx vitest … shows the dispatchers' logs.
		logLevel: (process.env.DISPATCHER_LOG_LEVEL as LogLevel | undefined) ?? 'silent',
		...options,
		dataFile,
	});
	return { ...running, dataFile, api: new ApiClient(running.baseUrl) };
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

/**
 * A real HTTP receiver on 127.0.0.1 that records every request byte for byte and answers with a
 * scripted sequence of statuses (the last one repeats).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
	method: string;
	url: string;
	headers: http.IncomingHttpHeaders;
	/** The raw body bytes as received. */
	raw: Buffer;
	body: string;
	receivedAtMs: number;
}

export interface ScriptedResponse {
	status: number;
	body?: string;
	headers?: Record<string, string>;
	/** Wait this long before answering. */
	delayMs?: number;
}

export interface Receiver {
	url: string;
	port: number;
	requests: ReceivedRequest[];
	/** Resolves once `count` requests have arrived (or rejects after `timeoutMs`). */
	waitFor(count: number, timeoutMs?: number): Promise<ReceivedRequest[]>;
	respondWith(...responses: ScriptedResponse[]): void;
	close(): Promise<void>;
}

export async function startReceiver(...responses: ScriptedResponse[]): Promise<Receiver> {
	let script = responses.length > 0 ? responses : [{ status: 200, body: 'ok' }];
	let served = 0;
	const requests: ReceivedRequest[] = [];
	const waiters: { count: number; resolve: () => void }[] = [];
	const server = http.createServer((request, response) => {
		const chunks: Buffer[] = [];
		request.on('data', (chunk: Buffer) => chunks.push(chunk));
		request.on('end', () => {
			const raw = Buffer.concat(chunks);
			requests.push({
				method: request.method ?? '',
				url: request.url ?? '',
				headers: request.headers,
				raw,
				body: raw.toString('utf8'),
				receivedAtMs: Date.now(),
			});
			const answer = script[Math.min(served, script.length - 1)];
			served++;
			const send = () => {
				response.writeHead(answer.status, { 'content-type': 'text/plain', ...answer.headers });
				response.end(answer.body ?? '');
			};
			if (answer.delayMs) setTimeout(send, answer.delayMs);
			else send();
			for (const waiter of waiters.filter((w) => requests.length >= w.count)) waiter.resolve();
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}/hook`,
		port,
		requests,
		respondWith(...next) {
			script = next;
			served = 0;
		},
		waitFor(count, timeoutMs = 10_000) {
			if (requests.length >= count) return Promise.resolve(requests.slice());
			return new Promise((resolve, reject) => {
				const timer = setTimeout(
					() => reject(new Error(`receiver got ${requests.length} of ${count} requests in ${timeoutMs} ms`)),
					timeoutMs,
				);
				waiters.push({
					count,
					resolve: () => {
						clearTimeout(timer);
						resolve(requests.slice());
					},
				});
			});
		},
		close() {
			server.closeAllConnections();
			return new Promise((resolve) => server.close(() => resolve()));
		},
	};
}

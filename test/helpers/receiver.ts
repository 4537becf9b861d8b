/**
 * A real HTTP receiver on 127.0.0.1 that records every request byte for byte and answers with a
 * scripted sequence of statuses (the last one repeats). `startReceiverWith({tls})` serves HTTPS.
 */
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
	method: string;
	url: string;
	headers: http.IncomingHttpHeaders;
	/** The raw body bytes as received. */
	raw: Buffer;
	body: string;
	receivedAtMs: number;
	/** The status this receiver answered with. */
	answeredStatus: number;
}

export interface ScriptedResponse {
	/** Default 200. */
	status?: number;
	body?: string;
	headers?: Record<string, string>;
	/** Wait this long before answering. */
	delayMs?: number;
}

export interface Receiver {
	/** `origin` + `/hook`. */
	url: string;
	/** `http://127.0.0.1:<port>`, for tests that choose their own paths. */
	origin: string;
	port: number;
	requests: ReceivedRequest[];
	/** Resolves once `count` requests have arrived (or rejects after `timeoutMs`). */
	waitFor(count: number, timeoutMs?: number): Promise<ReceivedRequest[]>;
	respondWith(...responses: ScriptedResponse[]): void;
	/** Answers each request by a function of it instead of a script. */
	replyWith(reply: (request: ReceivedRequest) => ScriptedResponse): void;
	close(): Promise<void>;
}

export interface ReceiverOptions {
	/** Serve HTTPS with this key and certificate (for 127.0.0.1) instead of HTTP. */
	tls?: { key: string | Buffer; cert: string | Buffer };
}

export function startReceiver(...responses: ScriptedResponse[]): Promise<Receiver> {
	return startReceiverWith({}, ...responses);
}

export async function startReceiverWith(options: ReceiverOptions, ...responses: ScriptedResponse[]): Promise<Receiver> {
	let script = responses.length > 0 ? responses : [{ status: 200, body: 'ok' }];
	let served = 0;
	let replyFunction: ((request: ReceivedRequest) => ScriptedResponse) | null = null;
	const requests: ReceivedRequest[] = [];
	const waiters: { count: number; resolve: () => void }[] = [];
	const handle: http.RequestListener = (request, response) => {
		const chunks: Buffer[] = [];
		request.on('data', (chunk: Buffer) => chunks.push(chunk));
		request.on('end', () => {
			const raw = Buffer.concat(chunks);
			const received: ReceivedRequest = {
				method: request.method ?? '',
				url: request.url ?? '',
				headers: request.headers,
				raw,
				body: raw.toString('utf8'),
				receivedAtMs: Date.now(),
				answeredStatus: 0,
			};
			requests.push(received);
			const answer = replyFunction ? replyFunction(received) : script[Math.min(served, script.length - 1)];
			received.answeredStatus = answer.status ?? 200;
			served++;
			const send = () => {
				if (response.destroyed) return;
				response.writeHead(answer.status ?? 200, { 'content-type': 'text/plain', ...answer.headers });
				response.end(answer.body ?? '');
			};
			if (answer.delayMs) setTimeout(send, answer.delayMs);
			else send();
			for (const waiter of waiters.filter((w) => requests.length >= w.count)) waiter.resolve();
		});
	};
	const server = options.tls ? https.createServer(options.tls, handle) : http.createServer(handle);
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	const scheme = options.tls ? 'https' : 'http';
	return {
		url: `${scheme}://127.0.0.1:${port}/hook`,
		origin: `${scheme}://127.0.0.1:${port}`,
		port,
		requests,
		respondWith(...next) {
			script = next;
			served = 0;
			replyFunction = null;
		},
		replyWith(reply) {
			replyFunction = reply;
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

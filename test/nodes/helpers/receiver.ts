/** A loopback HTTP receiver on 127.0.0.1 that keeps every request's exact bytes. */
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
	method: string;
	url: string;
	headers: http.IncomingHttpHeaders;
	/** The body bytes as they arrived. */
	raw: Buffer;
}

export interface Reply {
	status?: number;
	headers?: Record<string, string>;
	body?: string;
	/** Wait this long before answering (for timeouts). */
	delayMs?: number;
}

export class Receiver {
	readonly requests: ReceivedRequest[] = [];
	private server?: http.Server;
	url = '';

	constructor(private reply: (req: ReceivedRequest) => Reply = () => ({ status: 200, body: 'ok' })) {}

	setReply(reply: (req: ReceivedRequest) => Reply): void {
		this.reply = reply;
	}

	async start(): Promise<this> {
		this.server = http.createServer(async (req, res) => {
			const chunks: Buffer[] = [];
			for await (const chunk of req) chunks.push(chunk as Buffer);
			const received: ReceivedRequest = {
				method: req.method ?? '',
				url: req.url ?? '',
				headers: req.headers,
				raw: Buffer.concat(chunks),
			};
			this.requests.push(received);
			const answer = this.reply(received);
			if (answer.delayMs) await new Promise((r) => setTimeout(r, answer.delayMs));
			if (res.destroyed) return;
			res.writeHead(answer.status ?? 200, answer.headers ?? { 'content-type': 'text/plain' });
			res.end(answer.body ?? '');
		});
		this.server.listen(0, '127.0.0.1');
		await once(this.server, 'listening');
		this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
		return this;
	}

	async close(): Promise<void> {
		if (!this.server) return;
		this.server.closeAllConnections();
		await new Promise<void>((resolve) => this.server!.close(() => resolve()));
	}
}

/**
 * Deliveries' HTTP sends in worker threads (`sendThread.ts`), with the same contract as
 * `DeliveryHttpClient.send` (never throws; the same `AttemptResult`). The profile of a loaded
 * dispatcher had the outbound HTTP work (undici, sockets, responses) at a third of its main
 * thread; here that thread only builds and signs each request and records its result.
 * Requests go round-robin over the threads, batched per event-loop turn. A thread that dies
 * (it should not) fails its sends in flight as network errors, which the retry schedule repeats,
 * and is replaced on the next send.
 */
import type { Worker } from 'node:worker_threads';
import type { OutboundRequest } from '../../core/types';
import { spawnThread } from '../threads/spawnThread';
import { type AttemptResult, type HttpSender, unsentResult } from './httpClient';
import type { SendJob, SendThreadMessage, SendThreadReply, SendThreadSettings } from './sendThread';

interface Thread {
	worker: Worker;
	/** Sends handed to this thread and not answered yet. */
	pending: Map<number, (result: AttemptResult) => void>;
	/** Jobs waiting for the end of this event-loop turn. */
	outbox: SendJob[];
	/** Resolves when the thread has loaded and listens. */
	ready: Promise<void>;
	/** Resolves when the thread has closed its connections. */
	closed: Promise<void>;
	markClosed: () => void;
}

export class ThreadedHttpClient implements HttpSender {
	readonly #settings: SendThreadSettings;
	readonly #threads: (Thread | null)[];
	#next = 0;
	#nextId = 1;
	#closing: Promise<void> | undefined;

	constructor(settings: SendThreadSettings, threads: number) {
		this.#settings = { allowHttp: settings.allowHttp, allowedCidrs: [...settings.allowedCidrs] };
		this.#threads = Array.from({ length: Math.max(1, threads) }, () => null);
	}

	send(request: OutboundRequest, timeoutSeconds: number): Promise<AttemptResult> {
		if (this.#closing) return Promise.resolve(unsentResult('the dispatcher is stopping'));
		const slot = this.#next++ % this.#threads.length;
		const thread = this.#threads[slot] ?? this.#start(slot);
		const id = this.#nextId++;
		return new Promise((resolve) => {
			thread.pending.set(id, resolve);
			if (thread.outbox.length === 0) setImmediate(() => this.#flush(thread));
			thread.outbox.push({ id, request, timeoutSeconds });
		});
	}

	/**
	 * Starts every thread and waits until each listens, so that the first deliveries do not wait
	 * for a thread to load (they would leave late and together: a throttled webhook would see
	 * its first tokens' requests arrive at once).
	 */
	async start(): Promise<void> {
		await Promise.all(this.#threads.map((thread, slot) => (thread ?? this.#start(slot)).ready));
	}

	/** Lets sends in flight finish, closes every connection and stops the threads. */
	close(): Promise<void> {
		this.#closing ??= Promise.all(
			this.#threads.map(async (thread) => {
				if (!thread) return;
				this.#flush(thread);
				thread.worker.postMessage({ close: true } satisfies SendThreadMessage);
				await thread.closed;
				await thread.worker.terminate();
			}),
		).then(() => undefined);
		return this.#closing;
	}

	#flush(thread: Thread): void {
		if (thread.outbox.length === 0) return;
		const jobs = thread.outbox;
		thread.outbox = [];
		thread.worker.postMessage({ jobs } satisfies SendThreadMessage);
	}

	#start(slot: number): Thread {
		const worker = spawnThread({ dir: __dirname, name: 'sendThread', data: this.#settings });
		let markClosed = () => {};
		const closed = new Promise<void>((resolve) => (markClosed = resolve));
		let markReady = () => {};
		const ready = new Promise<void>((resolve) => (markReady = resolve));
		const thread: Thread = { worker, pending: new Map(), outbox: [], ready, closed, markClosed };
		worker.on('message', (reply: SendThreadReply) => {
			if ('ready' in reply) markReady();
			else if ('results' in reply) {
				for (const { id, result } of reply.results) {
					const resolve = thread.pending.get(id);
					thread.pending.delete(id);
					resolve?.(result);
				}
			} else if ('closed' in reply) thread.markClosed();
		});
		const lost = (why: string) => {
			if (this.#threads[slot] === thread) this.#threads[slot] = null;
			for (const resolve of thread.pending.values()) resolve(unsentResult(why));
			thread.pending.clear();
			thread.markClosed();
			markReady();
		};
		worker.on('error', (error) => lost(`send thread failed: ${error.message}`));
		worker.on('exit', (code) => lost(`send thread exited (${code})`));
		this.#threads[slot] = thread;
		return thread;
	}
}

/**
 * Every JSONata expression an admin saved (profile conditions and payloads) runs here, in worker
 * threads, never on the thread that answers HTTP. The core's time box checks the clock between
 * evaluation steps and cannot stop one long step (a backtracking regex, `$pad` of 50 million
 * characters); this pool gives each job a hard deadline: a thread still busy at
 * `timeoutMs + GRACE_MS` is terminated (V8 interrupts even a running regex), the job fails with
 * `MDM_TIMEOUT`, and a fresh thread is started for the next job. Mapping results are measured in
 * the thread and refused over `maxOutputBytes` (`MDM_TOO_LARGE`).
 *
 * Memory is bounded by the deadline, not by a heap limit of the thread: V8 aborts the whole
 * process, not just the thread, when a worker's `resourceLimits` heap runs out in the middle of an
 * allocation (measured on Node 24). Within ~1 s an expression allocates at most about 2 GB
 * (`$pad` makes 500 MB strings in 0.3 s), below the default heap limit of a thread (the same as
 * the main thread's), and a terminated thread's heap is freed at once.
 *
 * The deadline counts from when a thread takes the job, not from when it was queued: a job is
 * never failed because others were slow.
 */
import type { Worker } from 'node:worker_threads';
import { DEFAULT_JSONATA_TIMEOUT_MS, JsonataEvaluationError } from '../../core';
import { spawnThread } from '../threads/spawnThread';
import type { JsonataJob, JsonataReply } from './jsonataThread';

export interface JsonataPoolOptions {
	/** Threads (default 2): one stuck job never holds every condition up. */
	size?: number;
	/** Per evaluation (default 1000 ms, the core's time box). */
	timeoutMs?: number;
	/** Largest payload a mapping may produce, in bytes of JSON (default 1 MiB, the API's own body limit). */
	maxOutputBytes?: number;
}

export const MAX_PAYLOAD_BYTES = 1024 * 1024;
/** How long past its time box a job may run before its thread is terminated. */
export const GRACE_MS = 100;

interface Pending {
	job: JsonataJob;
	resolve: (value: boolean | string | null) => void;
	reject: (error: Error) => void;
}

interface Slot {
	worker: Worker | null;
	/** The thread has loaded and said so: jobs (and their deadlines) start only then. */
	ready: boolean;
	running: (Pending & { timer: NodeJS.Timeout }) | null;
}

const THREAD_NAME = 'jsonataThread';

/**
 * A thread on `jsonataThread`, at a lower CPU priority: a job spinning until its deadline must not
 * compete for a core with the thread that answers HTTP.
 */
function startThread(): Worker {
	return spawnThread({ dir: __dirname, name: THREAD_NAME, belowNormalPriority: true });
}

export class JsonataPool {
	readonly timeoutMs: number;
	readonly maxOutputBytes: number;
	private readonly slots: Slot[];
	private readonly queue: Pending[] = [];
	private nextId = 1;
	private closed = false;

	constructor(options: JsonataPoolOptions = {}) {
		this.timeoutMs = options.timeoutMs ?? DEFAULT_JSONATA_TIMEOUT_MS;
		this.maxOutputBytes = options.maxOutputBytes ?? MAX_PAYLOAD_BYTES;
		this.slots = Array.from({ length: Math.max(1, options.size ?? 2) }, () => ({ worker: null, ready: false, running: null }));
	}

	/** Whether a condition holds for `input` (JSONata truthiness). Rejects with a `JsonataEvaluationError`. */
	async condition(source: string, input: unknown): Promise<boolean> {
		return (await this.submit('condition', source, input)) === true;
	}

	/** A mapping's result as plain JSON; undefined when the expression yields nothing. */
	async mapping(source: string, input: unknown): Promise<unknown> {
		const json = await this.submit('mapping', source, input);
		return typeof json === 'string' ? (JSON.parse(json) as unknown) : undefined;
	}

	/** Starts every thread now, so that the first evaluations do not wait for one to load. */
	warm(): void {
		for (const slot of this.slots) if (!slot.worker && !this.closed) this.start(slot);
	}

	/** Terminates the threads; queued and running jobs fail. */
	async close(): Promise<void> {
		this.closed = true;
		const stopped = new Error('JSONata pool closed');
		for (const pending of this.queue.splice(0)) pending.reject(stopped);
		await Promise.all(
			this.slots.map(async (slot) => {
				const { worker, running } = slot;
				slot.worker = null;
				slot.ready = false;
				slot.running = null;
				if (running) {
					clearTimeout(running.timer);
					running.reject(stopped);
				}
				if (worker) await worker.terminate();
			}),
		);
	}

	private submit(kind: JsonataJob['kind'], source: string, input: unknown): Promise<boolean | string | null> {
		if (this.closed) return Promise.reject(new Error('JSONata pool closed'));
		const job: JsonataJob = {
			id: this.nextId++,
			kind,
			source,
			input,
			timeoutMs: this.timeoutMs,
			maxOutputBytes: this.maxOutputBytes,
		};
		return new Promise((resolve, reject) => {
			this.queue.push({ job, resolve, reject });
			this.pump();
		});
	}

	private pump(): void {
		for (const slot of this.slots) {
			if (this.queue.length === 0) return;
			if (slot.running) continue;
			if (!slot.worker) {
				this.start(slot); // pumps again once the thread is ready
				continue;
			}
			if (!slot.ready) continue;
			const pending = this.queue.shift() as Pending;
			const timer = setTimeout(() => this.overrun(slot), this.timeoutMs + GRACE_MS);
			slot.running = { ...pending, timer };
			try {
				slot.worker.postMessage(pending.job);
			} catch (error) {
				// Input that cannot be cloned (never JSON): the job fails, the thread is fine.
				this.finish(slot, new JsonataEvaluationError(`JSONata input cannot be passed on: ${(error as Error).message}`));
			}
		}
	}

	private start(slot: Slot): void {
		const worker = startThread();
		worker.unref();
		slot.worker = worker;
		slot.ready = false;
		worker.on('message', (reply: JsonataReply) => {
			if (slot.worker !== worker) return;
			if ('ready' in reply) {
				slot.ready = true;
				this.pump();
				return;
			}
			if (!slot.running || slot.running.job.id !== reply.id) return;
			this.finish(
				slot,
				reply.ok ? reply.value : new JsonataEvaluationError(reply.message, reply.code ? { code: reply.code } : {}),
			);
		});
		worker.on('error', (error: Error) => {
			if (slot.worker !== worker) return;
			this.replace(slot, new JsonataEvaluationError(`JSONata thread failed: ${error.message}`, { code: 'MDM_THREAD' }));
		});
		worker.on('exit', () => {
			if (slot.worker !== worker) return;
			this.replace(slot, new JsonataEvaluationError('JSONata thread stopped', { code: 'MDM_THREAD' }));
		});
	}

	private overrun(slot: Slot): void {
		this.replace(
			slot,
			new JsonataEvaluationError(`JSONata evaluation timed out after ${this.timeoutMs} ms`, { code: 'MDM_TIMEOUT' }),
		);
	}

	/**
	 * Fails the slot's job and replaces its thread (terminated if still running). A thread that
	 * dies before it is ready takes the first queued job with it and is started again only for the
	 * next job, so a thread that cannot start fails jobs instead of being restarted for ever.
	 */
	private replace(slot: Slot, error: Error): void {
		const { worker, ready } = slot;
		slot.worker = null;
		slot.ready = false;
		if (worker) void worker.terminate();
		if (!ready && !slot.running) this.queue.shift()?.reject(error);
		if (ready && !this.closed) this.start(slot);
		this.finish(slot, error);
	}

	private finish(slot: Slot, outcome: boolean | string | null | Error): void {
		const running = slot.running;
		slot.running = null;
		if (running) {
			clearTimeout(running.timer);
			if (outcome instanceof Error) running.reject(outcome);
			else running.resolve(outcome);
		}
		if (!this.closed) this.pump();
	}
}

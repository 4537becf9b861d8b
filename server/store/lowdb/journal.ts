/**
 * An append-only JSON-lines journal with group commit: every caller of `append` waits for its
 * lines to be written and fdatasync'ed, but all lines that arrive while one write is in flight are
 * written together by the next one. Throughput therefore grows with concurrency instead of paying
 * one disk sync per request.
 *
 * Lines appended as `deferrable` (records whose loss in a crash costs only a repeated delivery,
 * such as attempt results) do not start a write of their own: they go with the next ordinary
 * write, or after `maxDeferMs` at the latest. Their callers still wait until they are on disk.
 * A write + fdatasync costs ~150 us of CPU here, and a delivery records one attempt per webhook,
 * so this keeps the number of syncs near the number of events instead of four times that.
 */
import { promises as fs } from 'node:fs';

interface Waiter {
	resolve: () => void;
	reject: (error: Error) => void;
}

export class Journal {
	private handle: fs.FileHandle | null = null;
	private queued: string[] = [];
	private waiters: Waiter[] = [];
	private writing = false;
	private bytes = 0;
	/** An ordinary (not deferrable) line is queued: write without waiting. */
	private urgent = false;
	private timer: NodeJS.Timeout | null = null;

	constructor(
		readonly path: string,
		private readonly sync: boolean = true,
		private readonly maxDeferMs: number = 10,
	) {}

	/** Reads every complete line written so far; a torn last line (crash mid-write) is ignored. */
	async readAll(): Promise<unknown[]> {
		let text: string;
		try {
			text = await fs.readFile(this.path, 'utf8');
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
			throw error;
		}
		const records: unknown[] = [];
		for (const line of text.split('\n')) {
			if (line.length === 0) continue;
			try {
				records.push(JSON.parse(line));
			} catch {
				// Only the last line can be torn by a crash; it was never acknowledged.
			}
		}
		return records;
	}

	async open(): Promise<void> {
		this.handle = await fs.open(this.path, 'a');
		this.bytes = (await this.handle.stat()).size;
	}

	get size(): number {
		return this.bytes;
	}

	/** Resolves once `records` are on disk. */
	append(records: readonly unknown[]): Promise<void> {
		return this.appendLines(records.map((record) => JSON.stringify(record)));
	}

	/**
	 * Resolves once `lines` (each one record's JSON, without the newline) are on disk. Deferrable
	 * lines wait for the next ordinary write, `maxDeferMs` at most.
	 */
	appendLines(lines: readonly string[], deferrable = false): Promise<void> {
		for (const line of lines) this.queued.push(line + '\n');
		if (!deferrable) this.urgent = true;
		return new Promise<void>((resolve, reject) => {
			this.waiters.push({ resolve, reject });
			this.schedule();
		});
	}

	private schedule(): void {
		if (this.writing || this.queued.length === 0) return;
		if (this.urgent) {
			void this.flushLoop();
		} else if (this.timer === null) {
			this.timer = setTimeout(() => {
				this.timer = null;
				this.urgent = true;
				this.schedule();
			}, this.maxDeferMs);
			this.timer.unref();
		}
	}

	private async flushLoop(): Promise<void> {
		this.writing = true;
		if (this.timer !== null) {
			clearTimeout(this.timer);
			this.timer = null;
		}
		// Lines that arrive during a write go with the next one at once if any of them is urgent.
		while (this.queued.length > 0 && this.urgent) {
			const chunk = this.queued.join('');
			const waiters = this.waiters;
			this.queued = [];
			this.waiters = [];
			this.urgent = false;
			try {
				if (!this.handle) throw new Error('journal is not open');
				await this.handle.write(chunk);
				if (this.sync) await this.handle.datasync();
				this.bytes += Buffer.byteLength(chunk);
				for (const waiter of waiters) waiter.resolve();
			} catch (error) {
				for (const waiter of waiters) waiter.reject(error as Error);
			}
		}
		this.writing = false;
		this.schedule();
	}

	/** Writes everything queued (deferrable lines too) and waits until it is on disk. */
	async drain(): Promise<void> {
		while (this.writing || this.queued.length > 0) {
			if (!this.writing) {
				this.urgent = true;
				this.schedule();
			}
			await new Promise<void>((resolve) => setImmediate(resolve));
		}
	}

	async close(): Promise<void> {
		await this.drain();
		await this.handle?.close();
		this.handle = null;
	}

	/** Closes and deletes the file (its content is in a snapshot now). */
	async remove(): Promise<void> {
		await this.close();
		await fs.rm(this.path, { force: true });
	}
}

/**
 * An append-only JSON-lines journal with group commit: every caller of `append` waits for its
 * lines to be written and fdatasync'ed, but all lines that arrive while one write is in flight are
 * written together by the next one. Throughput therefore grows with concurrency instead of paying
 * one disk sync per request.
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

	constructor(
		readonly path: string,
		private readonly sync: boolean = true,
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

	/** Resolves once `lines` (each one record's JSON, without the newline) are on disk. */
	appendLines(lines: readonly string[]): Promise<void> {
		for (const line of lines) this.queued.push(line + '\n');
		return new Promise<void>((resolve, reject) => {
			this.waiters.push({ resolve, reject });
			if (!this.writing) void this.flushLoop();
		});
	}

	private async flushLoop(): Promise<void> {
		this.writing = true;
		while (this.queued.length > 0) {
			const chunk = this.queued.join('');
			const waiters = this.waiters;
			this.queued = [];
			this.waiters = [];
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
	}

	async drain(): Promise<void> {
		while (this.writing || this.queued.length > 0) {
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

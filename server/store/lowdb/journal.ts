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
 *
 * Faults. A write that fails part-way (a short write on a full disk, `ENOSPC`, `EIO`, a failed
 * fdatasync) rejects every caller of that write with a `StorageError` and cuts the file back to
 * the last complete write, so the file stays a sequence of whole lines and the next write starts
 * on a line of its own. If even that cut fails, the next write retries it first and fails until
 * it succeeds. A crash in the middle of a write leaves a torn last line: `recover` drops it and
 * cuts it off before the journal is appended to again.
 */
import path from 'node:path';
import { StorageError, StoreCorruptError, storageError } from '../errors';
import { type StoreFile, type StoreFiles, cutFile, diskFiles, writeFully } from './files';

interface Waiter {
	resolve: () => void;
	reject: (error: Error) => void;
}

const NEWLINE = 0x0a;

export class Journal {
	private handle: StoreFile | null = null;
	private queued: string[] = [];
	private waiters: Waiter[] = [];
	private writing = false;
	/** Bytes of whole, synced lines: where the file is cut back to after a failed write. */
	private bytes = 0;
	/** A failed write could not be cut back: the file may end in a fragment until it is. */
	private torn = false;
	/** The last write failed (logged once, and once more when writes succeed again). */
	private failing = false;
	/** An ordinary (not deferrable) line is queued: write without waiting. */
	private urgent = false;
	private timer: NodeJS.Timeout | null = null;

	constructor(
		readonly path: string,
		private readonly sync: boolean = true,
		private readonly files: StoreFiles = diskFiles,
		private readonly maxDeferMs: number = 10,
	) {}

	/**
	 * Every record written so far, after cutting off a torn tail: the bytes after the last line
	 * that parses, which a crash in the middle of a write left and no caller was told were
	 * stored. A line that does not parse followed by one that does is not a torn write but a
	 * damaged file: that throws (`StoreCorruptError`) rather than dropping records silently.
	 */
	async recover(): Promise<unknown[]> {
		const bytes = await this.files.read(this.path);
		if (bytes === null) return [];
		const records: unknown[] = [];
		let good = 0;
		let badLine: number | null = null;
		let line = 0;
		for (let start = 0; start < bytes.length; ) {
			const end = bytes.indexOf(NEWLINE, start);
			if (end === -1) break; // a fragment without its newline: torn
			line++;
			let record: unknown;
			let parsed = true;
			try {
				record = JSON.parse(bytes.toString('utf8', start, end));
			} catch {
				parsed = false;
			}
			if (!parsed) {
				badLine ??= line;
			} else if (badLine !== null) {
				throw new StoreCorruptError(
					`journal ${this.path}: line ${badLine} is not valid JSON but later lines are (a damaged file, not a torn write)`,
				);
			} else {
				records.push(record);
				good = end + 1;
			}
			start = end + 1;
		}
		if (good < bytes.length) {
			await cutFile(this.files, this.path, good);
			console.error(
				`journal ${this.path}: cut a torn tail of ${bytes.length - good} bytes (a write interrupted by a crash, never acknowledged)`,
			);
		}
		return records;
	}

	async open(): Promise<void> {
		this.handle = await this.files.open(this.path, 'a');
		this.bytes = await this.handle.size();
		// A new file's name must be on disk too, or a power loss could take the whole file.
		if (this.sync && this.bytes === 0) await this.files.syncDir(path.dirname(this.path));
	}

	get size(): number {
		return this.bytes;
	}

	/**
	 * Resolves once `lines` (each one record's JSON, without the newline) are on disk; rejects with
	 * a `StorageError` when they are not (none of them is then in the file). Deferrable lines wait
	 * for the next ordinary write, `maxDeferMs` at most.
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
			const chunk = Buffer.from(this.queued.join(''));
			const waiters = this.waiters;
			this.queued = [];
			this.waiters = [];
			this.urgent = false;
			try {
				await this.write(chunk);
				if (this.failing) console.error(`journal ${this.path}: writes succeed again`);
				this.failing = false;
				for (const waiter of waiters) waiter.resolve();
			} catch (error) {
				const failure = storageError(`writing journal ${this.path}`, error);
				if (!this.failing) console.error(`${failure.message}; nothing is acknowledged until writes succeed again`);
				this.failing = true;
				for (const waiter of waiters) waiter.reject(failure);
			}
		}
		this.writing = false;
		this.schedule();
	}

	/** All of `chunk` and a sync, or the file back as it was and a throw. */
	private async write(chunk: Buffer): Promise<void> {
		const handle = this.handle;
		if (!handle) throw new StorageError(`journal ${this.path} is not open`, undefined);
		if (this.torn) {
			await handle.truncate(this.bytes);
			this.torn = false;
		}
		try {
			await writeFully(handle, chunk);
			if (this.sync) await handle.datasync();
		} catch (error) {
			try {
				await handle.truncate(this.bytes);
			} catch {
				this.torn = true;
			}
			throw error;
		}
		this.bytes += chunk.length;
	}

	/** Writes everything queued (deferrable lines too) and waits until it is on disk or failed. */
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
		const handle = this.handle;
		this.handle = null;
		await handle?.close();
	}

	/** Closes and deletes the file (its content is in a snapshot now). */
	async remove(): Promise<void> {
		await this.close();
		await this.files.remove(this.path);
	}
}

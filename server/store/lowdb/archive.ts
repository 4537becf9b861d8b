/**
 * The delivery log archive: finished deliveries and their events, appended as JSON lines to one
 * file per day. Appends never rewrite what is there, so their cost does not grow with the log;
 * retention deletes whole day files.
 *
 * An append that fails part-way is cut back off, and a torn last line left by a crash is cut off
 * when the archive is loaded, so the next append never glues onto a fragment. (The records of an
 * append that did not complete are still in the journal, which is kept until a compaction
 * completes.)
 */
import path from 'node:path';
import { storageError } from '../errors';
import type { DeliveryRecord, EventRecord } from '../types';
import { type StoreFiles, cutFile, diskFiles, writeFully } from './files';
import { type JsonText, stringifyAtAnyDepth, stringifyWithLast } from './jsonText';

type ArchiveLine = { k: 'e'; r: EventRecord } | { k: 'd'; r: DeliveryRecord };

const DAY_FILE = /^(\d{4}-\d{2}-\d{2})\.jsonl$/;

export class Archive {
	/** Day files a failed append could not be cut back on, and the length to cut them to first. */
	private readonly torn = new Map<string, number>();

	constructor(
		readonly dir: string,
		private readonly sync: boolean = true,
		private readonly files: StoreFiles = diskFiles,
	) {}

	/** Serialises now (records keep changing in memory), so the caller can write later. */
	static serialize(events: EventRecord[], deliveries: DeliveryRecord[]): string {
		const lines: string[] = [];
		for (const r of events) lines.push(JSON.stringify({ k: 'e', r } satisfies ArchiveLine));
		for (const r of deliveries) lines.push(JSON.stringify({ k: 'd', r } satisfies ArchiveLine));
		return lines.length > 0 ? lines.join('\n') + '\n' : '';
	}

	/**
	 * The same records as `serialize`, produced a slice of records at a time with a turn of the
	 * event loop in between, so that a large compaction does not hold up requests. The records
	 * must not change meanwhile (the store replaces records rather than changing them). Texts the
	 * journal already produced (`cached`) are reused rather than serialised again.
	 */
	static async serializeInSlices(
		events: EventRecord[],
		deliveries: DeliveryRecord[],
		cached?: JsonText,
		slice = 256,
	): Promise<string> {
		const parts: string[] = [];
		const lines: string[] = [];
		let done = 0;
		const flush = async () => {
			parts.push(lines.join('\n') + '\n');
			lines.length = 0;
			await new Promise<void>((resolve) => setImmediate(resolve));
		};
		for (const r of events) {
			lines.push(cached ? `{"k":"e","r":${cached.take(r)}}` : stringifyAtAnyDepth({ k: 'e', r } satisfies ArchiveLine));
			if (++done % slice === 0) await flush();
		}
		for (const r of deliveries) {
			lines.push(
				cached && r.request !== null
					? `{"k":"d","r":${stringifyWithLast(r as unknown as Record<string, unknown>, 'request', cached.take(r.request))}}`
					: stringifyAtAnyDepth({ k: 'd', r } satisfies ArchiveLine),
			);
			if (++done % slice === 0) await flush();
		}
		if (lines.length > 0) parts.push(lines.join('\n') + '\n');
		return parts.join('');
	}

	/** Appends whole lines, or nothing: a failed append is cut back off (`StorageError`). */
	async append(serialized: string, day: string): Promise<void> {
		if (serialized.length === 0) return;
		const name = path.join(this.dir, `${day}.jsonl`);
		try {
			await this.files.mkdir(this.dir);
			const file = await this.files.open(name, 'a');
			try {
				const cutTo = this.torn.get(name);
				if (cutTo !== undefined) {
					await file.truncate(cutTo);
					this.torn.delete(name);
				}
				const before = await file.size();
				try {
					await writeFully(file, Buffer.from(serialized));
					if (this.sync) await file.datasync();
					if (this.sync && before === 0) await this.files.syncDir(this.dir); // a new day file
				} catch (error) {
					// If the cut fails too, the next append cuts first (and load() does at start).
					await file.truncate(before).catch(() => this.torn.set(name, before));
					throw error;
				}
			} finally {
				await file.close();
			}
		} catch (error) {
			throw storageError(`appending to archive ${name}`, error);
		}
	}

	/**
	 * Every record still archived, oldest file first; a later line for the same id wins. A torn
	 * last line is cut off; a line that cannot be read elsewhere is skipped with a warning (the
	 * archive holds only finished deliveries: history, never what is still to be sent).
	 */
	async load(): Promise<{ events: EventRecord[]; deliveries: DeliveryRecord[] }> {
		const events: EventRecord[] = [];
		const deliveries: DeliveryRecord[] = [];
		for (const day of await this.days()) {
			const name = path.join(this.dir, `${day}.jsonl`);
			const bytes = await this.files.read(name);
			if (bytes === null) continue;
			const end = bytes.lastIndexOf(0x0a) + 1;
			if (end < bytes.length) await cutFile(this.files, name, end);
			const lines = bytes.toString('utf8', 0, end).split('\n');
			for (let index = 0; index < lines.length; index++) {
				const line = lines[index];
				if (line.length === 0) continue;
				let parsed: ArchiveLine;
				try {
					parsed = JSON.parse(line) as ArchiveLine;
				} catch {
					console.error(`archive ${name}: line ${index + 1} is not valid JSON; skipped`);
					continue;
				}
				if (parsed.k === 'e') events.push(parsed.r);
				else deliveries.push(parsed.r);
			}
		}
		return { events, deliveries };
	}

	/** Whether any day file exists. */
	async isEmpty(): Promise<boolean> {
		return (await this.days()).length === 0;
	}

	/** Deletes day files strictly older than `day` (YYYY-MM-DD). */
	async pruneBefore(day: string): Promise<void> {
		for (const fileDay of await this.days()) {
			if (fileDay < day) await this.files.remove(path.join(this.dir, `${fileDay}.jsonl`));
		}
	}

	private async days(): Promise<string[]> {
		const names = await this.files.list(this.dir);
		return names
			.map((name) => DAY_FILE.exec(name)?.[1])
			.filter((day): day is string => day !== undefined)
			.sort();
	}
}

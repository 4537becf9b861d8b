/**
 * The delivery log archive: finished deliveries and their events, appended as JSON lines to one
 * file per day. Appends never rewrite what is there, so their cost does not grow with the log;
 * retention deletes whole day files.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { DeliveryRecord, EventRecord } from '../types';
import { type JsonText, stringifyWithLast } from './jsonText';

type ArchiveLine = { k: 'e'; r: EventRecord } | { k: 'd'; r: DeliveryRecord };

const DAY_FILE = /^(\d{4}-\d{2}-\d{2})\.jsonl$/;

export class Archive {
	constructor(
		readonly dir: string,
		private readonly sync: boolean = true,
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
			lines.push(cached ? `{"k":"e","r":${cached.take(r)}}` : JSON.stringify({ k: 'e', r } satisfies ArchiveLine));
			if (++done % slice === 0) await flush();
		}
		for (const r of deliveries) {
			lines.push(
				cached && r.request !== null
					? `{"k":"d","r":${stringifyWithLast(r as unknown as Record<string, unknown>, 'request', cached.take(r.request))}}`
					: JSON.stringify({ k: 'd', r } satisfies ArchiveLine),
			);
			if (++done % slice === 0) await flush();
		}
		if (lines.length > 0) parts.push(lines.join('\n') + '\n');
		return parts.join('');
	}

	async append(serialized: string, day: string): Promise<void> {
		if (serialized.length === 0) return;
		await fs.mkdir(this.dir, { recursive: true });
		const handle = await fs.open(path.join(this.dir, `${day}.jsonl`), 'a');
		try {
			await handle.write(serialized);
			if (this.sync) await handle.datasync();
		} finally {
			await handle.close();
		}
	}

	/** Every record still archived, oldest file first; a later line for the same id wins. */
	async load(): Promise<{ events: EventRecord[]; deliveries: DeliveryRecord[] }> {
		const events: EventRecord[] = [];
		const deliveries: DeliveryRecord[] = [];
		for (const day of await this.days()) {
			const text = await fs.readFile(path.join(this.dir, `${day}.jsonl`), 'utf8');
			for (const line of text.split('\n')) {
				if (line.length === 0) continue;
				let parsed: ArchiveLine;
				try {
					parsed = JSON.parse(line) as ArchiveLine;
				} catch {
					continue; // a torn line from a crash mid-append; its records are still in the journal
				}
				if (parsed.k === 'e') events.push(parsed.r);
				else deliveries.push(parsed.r);
			}
		}
		return { events, deliveries };
	}

	/** Deletes day files strictly older than `day` (YYYY-MM-DD). */
	async pruneBefore(day: string): Promise<void> {
		for (const fileDay of await this.days()) {
			if (fileDay < day) await fs.rm(path.join(this.dir, `${fileDay}.jsonl`), { force: true });
		}
	}

	private async days(): Promise<string[]> {
		let names: string[];
		try {
			names = await fs.readdir(this.dir);
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
			throw error;
		}
		return names
			.map((name) => DAY_FILE.exec(name)?.[1])
			.filter((day): day is string => day !== undefined)
			.sort();
	}
}

/**
 * The delivery log archive on disk: finished deliveries and their events, appended as JSON lines
 * to one file per day (`<day>.jsonl`), and beside each a binary index (`<day>.idx`, 40 bytes a
 * line: kind, status, response code, id hash, symbols, time, offset, length) from which the
 * in-memory LogIndex is rebuilt at start without parsing the JSON. Symbols (webhook ids, profile
 * ids, event types) are in `symbols.jsonl`. Appends never rewrite what is there, so their cost
 * does not grow with the log; retention deletes whole day files.
 *
 * Index records are little-endian (read back through typed views: x64 and arm64 are LE).
 *
 * Crash safety: the JSON lines are written and synced first, then the symbols, then the index
 * records. An index shorter than its day file (a crash between the two) is completed from the
 * JSON lines at the next start; a torn JSON line at the end is cut off at load, and an append
 * that fails part-way is cut back off (`StorageError`), so the next one never glues onto a
 * fragment. The records of an append that did not complete are still in the journal, which is
 * kept until a compaction completes. Writes go through the file layer (`files.ts`), whose faults
 * the tests inject; reads of single records use positioned reads of their own.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { DeliveryRecord, EventRecord } from '../../domain/records';
import { storageError } from '../errors';
import { type StoreFiles, cutFile, diskFiles, writeFully } from './files';
import { type JsonText, stringifyAtAnyDepth, stringifyWithLast } from './jsonText';
import { type DeliveryIndex, type EventIndex, STATUS_CODES, type SymbolTable, idHash } from './logIndex';

export type ArchiveLine = { k: 'e'; r: EventRecord } | { k: 'd'; r: DeliveryRecord };

const DAY_FILE = /^(\d{4}-\d{2}-\d{2})\.jsonl$/;
const RECORD_BYTES = 40;
const KIND_EVENT = 1;
const KIND_DELIVERY = 2;

/** Lines encoded, written and synced at a time by an append (~250 KiB of a bench run's records). */
const APPEND_SLICE_LINES = 128;

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Where an appended record now is. */
export interface Appended {
	kind: 'e' | 'd';
	record: EventRecord | DeliveryRecord;
	file: number;
	offset: number;
	length: number;
}

export class Archive {
	/** Day of each file number (null once deleted). */
	private readonly days: (string | null)[] = [];
	private readonly handles = new Map<number, fs.FileHandle>();
	/** Files a failed append could not be cut back on, and the length to cut them to first. */
	private readonly torn = new Map<string, number>();

	constructor(
		readonly dir: string,
		private readonly symbols: SymbolTable,
		private readonly sync: boolean = true,
		private readonly files: StoreFiles = diskFiles,
	) {}

	/** Serialises now (records keep changing in memory), one line per record. */
	static serialize(events: EventRecord[], deliveries: DeliveryRecord[]): string {
		const lines: string[] = [];
		for (const r of events) lines.push(stringifyAtAnyDepth({ k: 'e', r } satisfies ArchiveLine));
		for (const r of deliveries) lines.push(stringifyAtAnyDepth({ k: 'd', r } satisfies ArchiveLine));
		return lines.length > 0 ? lines.join('\n') + '\n' : '';
	}

	/**
	 * The lines of `serialize`, produced a slice of records at a time with a turn of the event loop
	 * in between, so that a large compaction does not hold up requests. Texts the journal already
	 * produced (`cached`) are reused rather than serialised again.
	 */
	static async serializeInSlices(
		events: EventRecord[],
		deliveries: DeliveryRecord[],
		cached?: JsonText,
		slice = 64,
	): Promise<string> {
		return (await Archive.linesInSlices(events, deliveries, cached, slice)).map((l) => l.text + '\n').join('');
	}

	static async linesInSlices(
		events: EventRecord[],
		deliveries: DeliveryRecord[],
		cached?: JsonText,
		slice = 64,
	): Promise<{ kind: 'e' | 'd'; record: EventRecord | DeliveryRecord; text: string }[]> {
		const lines: { kind: 'e' | 'd'; record: EventRecord | DeliveryRecord; text: string }[] = [];
		let done = 0;
		for (const r of events) {
			lines.push({ kind: 'e', record: r, text: cached ? `{"k":"e","r":${cached.take(r)}}` : stringifyAtAnyDepth({ k: 'e', r }) });
			if (++done % slice === 0) await nextTurn();
		}
		for (const r of deliveries) {
			const text =
				cached && r.request !== null
					? `{"k":"d","r":${stringifyWithLast(r as unknown as Record<string, unknown>, 'request', cached.take(r.request))}}`
					: stringifyAtAnyDepth({ k: 'd', r });
			lines.push({ kind: 'd', record: r, text });
			if (++done % slice === 0) await nextTurn();
		}
		return lines;
	}

	/**
	 * Appends lines to `day`'s file and its index; returns where each record is. Whole lines or
	 * nothing: a failed append is cut back off and throws `StorageError`.
	 */
	async append(
		lines: { kind: 'e' | 'd'; record: EventRecord | DeliveryRecord; text: string }[],
		day: string,
		deliveries: DeliveryIndex,
	): Promise<Appended[]> {
		if (lines.length === 0) return [];
		const file = this.fileNumber(day);
		const appended: Appended[] = [];
		await this.appendWhole(path.join(this.dir, `${day}.jsonl`), async function* (start) {
			let offset = start;
			for (let from = 0; from < lines.length; from += APPEND_SLICE_LINES) {
				const texts: string[] = [];
				for (const line of lines.slice(from, from + APPEND_SLICE_LINES)) {
					const text = line.text + '\n';
					const length = Buffer.byteLength(text);
					appended.push({ kind: line.kind, record: line.record, file, offset, length });
					offset += length;
					texts.push(text);
				}
				yield Buffer.from(texts.join(''));
			}
		});
		const index = Buffer.alloc(appended.length * RECORD_BYTES);
		for (let i = 0; i < appended.length; i++) {
			encodeIndexRecord(index, i * RECORD_BYTES, appended[i] as Appended, deliveries);
			if ((i + 1) % APPEND_SLICE_LINES === 0) await nextTurn();
		}
		await this.persistSymbols();
		// An index append that fails is completed from the JSON lines at the next start.
		await this.appendWhole(path.join(this.dir, `${day}.idx`), () => [index]);
		return appended;
	}

	/**
	 * Appends the chunks `bytes(offset)` makes (offset: the file's size before) whole, or cuts the
	 * file back. Each chunk is written and synced before the next is made, with a turn of the event
	 * loop between: one compaction's megabytes neither hold up requests while they are encoded nor
	 * queue on the disk in one flush ahead of the journal's syncs of accepted events.
	 */
	private async appendWhole(name: string, bytes: (offset: number) => Iterable<Buffer> | AsyncIterable<Buffer>): Promise<void> {
		try {
			await this.files.mkdir(this.dir);
			const handle = await this.files.open(name, 'a');
			try {
				const cutTo = this.torn.get(name);
				if (cutTo !== undefined) {
					await handle.truncate(cutTo);
					this.torn.delete(name);
				}
				const before = await handle.size();
				try {
					let first = true;
					for await (const chunk of bytes(before)) {
						if (!first) await nextTurn();
						first = false;
						await writeFully(handle, chunk);
						if (this.sync) await handle.datasync();
					}
					if (this.sync && before === 0) await this.files.syncDir(this.dir); // a new file
				} catch (error) {
					// If the cut fails too, the next append cuts first (and load() does at start).
					await handle.truncate(before).catch(() => this.torn.set(name, before));
					throw error;
				}
			} finally {
				await handle.close();
			}
		} catch (error) {
			throw storageError(`appending to archive ${name}`, error);
		}
	}

	/** Reads every day's index into `deliveries` and `events`, oldest file first. */
	async load(deliveries: DeliveryIndex, events: EventIndex): Promise<void> {
		await this.loadSymbols();
		const loaded: { file: number; index: Buffer }[] = [];
		for (const day of await this.listDays()) {
			const file = this.fileNumber(day);
			const jsonPath = path.join(this.dir, `${day}.jsonl`);
			const idxPath = path.join(this.dir, `${day}.idx`);
			let index = await readOrEmpty(idxPath);
			let size = (await fs.stat(jsonPath)).size;
			size = await this.cutTornTail(jsonPath, size);
			// The longest prefix of whole index records that point inside the day file (appends
			// are in order: when the last one does, all do).
			const whole = Math.floor(index.length / RECORD_BYTES);
			const endOf = (record: number) =>
				index.readUInt32LE(record * RECORD_BYTES + 32) + index.readUInt32LE(record * RECORD_BYTES + 36);
			let records = 0;
			let covered = 0;
			if (whole > 0 && endOf(whole - 1) <= size) {
				records = whole;
				covered = endOf(whole - 1);
			} else {
				for (; records < whole && endOf(records) <= size; records++) covered = endOf(records);
			}
			if (covered < size || records * RECORD_BYTES !== index.length) {
				const tail = await this.indexTail(jsonPath, covered, size, file, deliveries);
				index = Buffer.concat([index.subarray(0, records * RECORD_BYTES), tail]);
				await this.persistSymbols();
				await this.rewrite(idxPath, index);
			}
			loaded.push({ file, index });
		}
		// Room for every record first: no growing and rehashing a million slots step by step.
		let eventCount = 0;
		let total = 0;
		for (const { index } of loaded) {
			for (let at = 0; at < index.length; at += RECORD_BYTES) if (index[at] === KIND_EVENT) eventCount++;
			total += index.length / RECORD_BYTES;
		}
		deliveries.reserve(total - eventCount);
		events.reserve(eventCount);
		for (const { file, index } of loaded) decodeIndex(index, file, deliveries, events);
	}

	/** Cuts a torn last line (a crash mid-append) off a day file; returns the size after. */
	private async cutTornTail(jsonPath: string, size: number): Promise<number> {
		if (size === 0) return 0;
		const handle = await fs.open(jsonPath, 'r');
		let end = size;
		try {
			// Back from the end to the last newline, a block at a time.
			const block = Buffer.alloc(Math.min(size, 64 * 1024));
			while (end > 0) {
				const from = Math.max(0, end - block.length);
				const { bytesRead } = await handle.read(block, 0, end - from, from);
				const at = block.subarray(0, bytesRead).lastIndexOf(0x0a);
				if (at >= 0) {
					end = from + at + 1;
					break;
				}
				end = from;
			}
		} finally {
			await handle.close();
		}
		if (end < size) await cutFile(this.files, jsonPath, end);
		return end;
	}

	/** Whether any day file exists. */
	async isEmpty(): Promise<boolean> {
		return (await this.listDays()).length === 0;
	}

	/** The record at a location (as given by the index). */
	async read(file: number, offset: number, length: number): Promise<ArchiveLine> {
		let handle = this.handles.get(file);
		if (!handle) {
			const day = this.days[file];
			if (!day) throw new Error(`archive file ${file} is gone`);
			handle = await fs.open(path.join(this.dir, `${day}.jsonl`), 'r');
			this.handles.set(file, handle);
		}
		const buffer = Buffer.alloc(length);
		await handle.read(buffer, 0, length, offset);
		return JSON.parse(buffer.toString('utf8')) as ArchiveLine;
	}

	/** Deletes day files strictly older than `day` (YYYY-MM-DD). */
	async pruneBefore(day: string): Promise<void> {
		for (let file = 0; file < this.days.length; file++) {
			const fileDay = this.days[file];
			if (fileDay === null || fileDay >= day) continue;
			await this.handles.get(file)?.close();
			this.handles.delete(file);
			await this.files.remove(path.join(this.dir, `${fileDay}.jsonl`));
			await this.files.remove(path.join(this.dir, `${fileDay}.idx`));
			this.days[file] = null;
		}
	}

	async close(): Promise<void> {
		for (const handle of this.handles.values()) await handle.close().catch(() => undefined);
		this.handles.clear();
	}

	/** Replaces a file whole: temp file, sync, rename. */
	private async rewrite(name: string, bytes: Buffer): Promise<void> {
		const temp = `${name}.tmp`;
		const handle = await this.files.open(temp, 'w');
		try {
			await writeFully(handle, bytes);
			if (this.sync) await handle.datasync();
		} finally {
			await handle.close();
		}
		await this.files.rename(temp, name);
	}

	private fileNumber(day: string): number {
		const known = this.days.indexOf(day);
		if (known >= 0) return known;
		this.days.push(day);
		return this.days.length - 1;
	}

	/** Index records for the lines of a day file from `from` to `to` (bytes). */
	private async indexTail(jsonPath: string, from: number, to: number, file: number, deliveries: DeliveryIndex): Promise<Buffer> {
		if (to <= from) return Buffer.alloc(0);
		const handle = await fs.open(jsonPath, 'r');
		const bytes = Buffer.alloc(to - from);
		try {
			await handle.read(bytes, 0, bytes.length, from);
		} finally {
			await handle.close();
		}
		const records: Buffer[] = [];
		let start = 0;
		while (start < bytes.length) {
			const end = bytes.indexOf(0x0a, start);
			if (end < 0) break; // a torn last line: never acknowledged as archived
			try {
				const line = JSON.parse(bytes.toString('utf8', start, end)) as ArchiveLine;
				const record = Buffer.alloc(RECORD_BYTES);
				encodeIndexRecord(record, 0, { kind: line.k, record: line.r, file, offset: from + start, length: end + 1 - start }, deliveries);
				records.push(record);
			} catch {
				// a damaged line is skipped
			}
			start = end + 1;
		}
		return Buffer.concat(records);
	}

	private async listDays(): Promise<string[]> {
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

	private async loadSymbols(): Promise<void> {
		const text = (await readOrEmpty(path.join(this.dir, 'symbols.jsonl'))).toString('utf8');
		for (const line of text.split('\n')) {
			if (line.length === 0) continue;
			try {
				const { n, s } = JSON.parse(line) as { n: number; s: string };
				this.symbols.define(n, s);
			} catch {
				// a torn last line: that symbol is written again with the index that needs it
			}
		}
	}

	/** Appends the symbols interned since the last call (before any index record uses them). */
	private async persistSymbols(): Promise<void> {
		const from = this.symbols.persisted;
		const to = this.symbols.count;
		if (to <= from) return;
		const lines: string[] = [];
		for (let n = from; n < to; n++) lines.push(JSON.stringify({ n, s: this.symbols.name(n) }));
		await this.appendWhole(path.join(this.dir, 'symbols.jsonl'), () => [Buffer.from(lines.join('\n') + '\n')]);
		this.symbols.persisted = to;
	}
}

function encodeIndexRecord(buffer: Buffer, at: number, entry: Appended, deliveries: DeliveryIndex): void {
	const [hi, lo] = idHash(entry.record.id);
	buffer.writeUInt32LE(hi, at + 4);
	buffer.writeUInt32LE(lo, at + 8);
	buffer.writeUInt32LE(entry.offset, at + 32);
	buffer.writeUInt32LE(entry.length, at + 36);
	if (entry.kind === 'e') {
		const event = entry.record as EventRecord;
		buffer.writeUInt8(KIND_EVENT, at);
		buffer.writeDoubleLE(Date.parse(event.receivedAt), at + 24);
		return;
	}
	const delivery = entry.record as DeliveryRecord;
	const c = deliveries.columnsOf(delivery);
	buffer.writeUInt8(KIND_DELIVERY, at);
	// The status (0-2) in the low bits, the last attempt's failure class (0-6) in the high ones.
	buffer.writeUInt8(c.status | (c.failure << 4), at + 1);
	buffer.writeUInt16LE(c.code, at + 2);
	buffer.writeUInt32LE(c.webhook, at + 12);
	buffer.writeUInt32LE(c.profile, at + 16);
	buffer.writeUInt32LE(c.eventType, at + 20);
	buffer.writeDoubleLE(Date.parse(delivery.createdAt), at + 24);
}

/** Every record of a day's index into the in-memory indexes (typed views: no per-field calls). */
function decodeIndex(index: Buffer, file: number, deliveries: DeliveryIndex, events: EventIndex): void {
	if (index.length === 0) return;
	// Views need aligned memory; a pooled Buffer may not start on an 8-byte boundary.
	const bytes = index.byteOffset % 8 === 0 ? index : Buffer.from(index);
	const u8 = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
	const u16 = new Uint16Array(bytes.buffer, bytes.byteOffset, bytes.length >> 1);
	const u32 = new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.length >> 2);
	const f64 = new Float64Array(bytes.buffer, bytes.byteOffset, bytes.length >> 3);
	const columns = { webhook: 0, profile: 0, eventType: 0, status: 0, code: 0, failure: 0 };
	const location = { file, offset: 0, length: 0 };
	for (let i = 0, n = bytes.length / RECORD_BYTES; i < n; i++) {
		const w = i * 10; // 32-bit words per record
		location.offset = u32[w + 8];
		location.length = u32[w + 9];
		if (u8[i * RECORD_BYTES] === KIND_EVENT) {
			events.addArchived(u32[w + 1], u32[w + 2], f64[i * 5 + 3], location);
			continue;
		}
		const status = u8[i * RECORD_BYTES + 1] & 0x0f;
		columns.status = status <= STATUS_CODES.failed ? status : STATUS_CODES.failed;
		columns.failure = u8[i * RECORD_BYTES + 1] >> 4;
		columns.code = u16[i * 20 + 1];
		columns.webhook = u32[w + 3];
		columns.profile = u32[w + 4];
		columns.eventType = u32[w + 5];
		deliveries.addArchivedDelivery(u32[w + 1], u32[w + 2], f64[i * 5 + 3], location, columns);
	}
}

async function readOrEmpty(file: string): Promise<Buffer> {
	try {
		return await fs.readFile(file);
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') return Buffer.alloc(0);
		throw error;
	}
}

/**
 * The compact in-memory index of the lowdb delivery log. A delivery costs ~50 bytes here (typed
 * columns: id hash, creation time, webhook / profile / event type as interned symbols, status,
 * response code, and where its record is), not the ~4 KB of a record object: the records
 * themselves stay in the archive files on disk and are read back for the page being answered.
 * Only "hot" records (pending, or finished since the last compaction) are objects in memory.
 *
 * Slots are kept in creation order (sorted once at load, appended after), so a newest-first page
 * is a backward scan of the filter columns from the cursor's slot.
 */
import { FAILURE_CLASSES } from '../../../core';
import { type SummaryGroup, lastFailure, summarizeGroups } from '../../domain/deliverySummary';
import type { DeliveryFilter, DeliveryRecord, DeliveryStatus, DeliverySummary, EventRecord } from '../../domain/records';

/** A delivery's last failure class as a number: 0 none, else 1 + its index in FAILURE_CLASSES. */
export function failureCode(delivery: Pick<DeliveryRecord, 'status' | 'attempts'>): number {
	const failure = lastFailure(delivery);
	return failure === null ? 0 : FAILURE_CLASSES.indexOf(failure) + 1;
}

/** `file` of a slot whose record is an object in memory, not in an archive file. */
export const HOT = 0xffff;

export const STATUS_CODES: Record<DeliveryStatus, number> = { pending: 0, succeeded: 1, failed: 2 };
export const STATUS_NAMES: DeliveryStatus[] = ['pending', 'succeeded', 'failed'];

/** Two independent 32-bit FNV-style hashes: a 64-bit identity for ids (collisions are checked on read). */
export function idHash(id: string): [number, number] {
	let h1 = 0x811c9dc5;
	let h2 = 0x5bd1e995;
	for (let i = 0; i < id.length; i++) {
		const c = id.charCodeAt(i);
		h1 = Math.imul(h1 ^ c, 16777619);
		h2 = Math.imul(h2 ^ c, 0x5bd1e995);
		h2 ^= h2 >>> 15;
	}
	return [fmix(h1), fmix(h2)];
}

/** MurmurHash3's finaliser: every input bit reaches every output bit (the table uses the low ones). */
function fmix(h: number): number {
	h ^= h >>> 16;
	h = Math.imul(h, 0x85ebca6b);
	h ^= h >>> 13;
	h = Math.imul(h, 0xc2b2ae35);
	h ^= h >>> 16;
	return h >>> 0;
}

/** Strings that repeat across the log (webhook ids, profile ids, event types) as small numbers; 0 is null. */
export class SymbolTable {
	private readonly names: string[] = [''];
	private readonly numbers = new Map<string, number>();
	/** Symbols below this number are in the symbols file. */
	persisted = 1;

	intern(name: string | null): number {
		if (name === null) return 0;
		let n = this.numbers.get(name);
		if (n === undefined) {
			n = this.names.length;
			this.names.push(name);
			this.numbers.set(name, n);
		}
		return n;
	}

	/** The number of a known name, or -1 (nothing can match it). */
	lookup(name: string): number {
		return this.numbers.get(name) ?? -1;
	}

	/** Restores a symbol read from the symbols file. */
	define(n: number, name: string): void {
		while (this.names.length < n) this.names.push('');
		this.names[n] = name;
		this.numbers.set(name, n);
		this.persisted = Math.max(this.persisted, n + 1);
	}

	get count(): number {
		return this.names.length;
	}

	name(n: number): string {
		return this.names[n];
	}
}

interface Location {
	file: number;
	offset: number;
	length: number;
}

/**
 * Slots of records addressed by id: hash, time, location, and the hot objects. Deliveries add
 * their filter columns (DeliveryIndex); events use this as it is.
 */
export class RecordIndex<T extends { id: string }> {
	protected capacity = 1024;
	size = 0;
	protected hi = new Uint32Array(this.capacity);
	protected lo = new Uint32Array(this.capacity);
	protected timeMs = new Float64Array(this.capacity);
	protected file = new Uint16Array(this.capacity);
	protected offset = new Uint32Array(this.capacity);
	protected length = new Uint32Array(this.capacity);
	/** Open addressing: slot + 1 per bucket, 0 empty. */
	private table = new Int32Array(2048);
	private readonly hot = new Map<number, T>();

	get hotCount(): number {
		return this.hot.size;
	}

	find(id: string): number {
		const [hi, lo] = idHash(id);
		return this.findHash(hi, lo);
	}

	findHash(hi: number, lo: number): number {
		const mask = this.table.length - 1;
		for (let b = lo & mask; ; b = (b + 1) & mask) {
			const entry = this.table[b];
			if (entry === 0) return -1;
			const slot = entry - 1;
			if (this.lo[slot] === lo && this.hi[slot] === hi) return slot;
		}
	}

	hotRecord(slot: number): T | undefined {
		return this.hot.get(slot);
	}

	location(slot: number): Location | null {
		if (this.file[slot] === HOT) return null;
		return { file: this.file[slot], offset: this.offset[slot], length: this.length[slot] };
	}

	time(slot: number): number {
		return this.timeMs[slot];
	}

	/** Every hot record (in no particular order). */
	hotRecords(): IterableIterator<T> {
		return this.hot.values();
	}

	/** Makes room for `count` slots at once (before loading a known number of records). */
	reserve(count: number): void {
		if (count <= this.capacity) return;
		while (this.capacity < count) this.capacity *= 2;
		const capacity = this.capacity;
		this.permuteColumns(<A extends Uint32Array | Uint16Array | Uint8Array | Float64Array>(column: A): A => {
			const next = new (column.constructor as new (length: number) => A)(capacity);
			next.set(column.subarray(0, this.size) as never);
			return next;
		});
		let tableSize = this.table.length;
		while (tableSize < count * 2) tableSize *= 2;
		if (tableSize !== this.table.length) this.rehash(tableSize);
	}

	/** Adds a slot (the id must not be indexed yet). */
	protected insert(hi: number, lo: number, timeMs: number): number {
		if (this.size === this.capacity) this.grow();
		const slot = this.size++;
		this.hi[slot] = hi;
		this.lo[slot] = lo;
		this.timeMs[slot] = timeMs;
		if (this.size * 2 > this.table.length) this.rehash(this.table.length * 2);
		else this.place(slot);
		return slot;
	}

	/** The slot of `hash`, added (with `timeMs`) when unknown. */
	protected slotFor(hi: number, lo: number, timeMs: number): number {
		const slot = this.findHash(hi, lo);
		return slot >= 0 ? slot : this.insert(hi, lo, timeMs);
	}

	/** The record is an object in memory now (an archived copy, if any, stays where it is). */
	setHot(record: T, timeMs: number): number {
		const [hi, lo] = idHash(record.id);
		let slot = this.findHash(hi, lo);
		if (slot < 0) {
			slot = this.insert(hi, lo, timeMs);
			this.file[slot] = HOT;
		}
		this.hot.set(slot, record);
		return slot;
	}

	/** Forgets the object of an archived record (its archived copy is current). */
	dropHot(slot: number): void {
		if (this.file[slot] !== HOT) this.hot.delete(slot);
	}

	/** The record of `slot` is now at `location` in an archive file. */
	setArchived(slot: number, location: Location): void {
		this.hot.delete(slot);
		this.file[slot] = location.file;
		this.offset[slot] = location.offset;
		this.length[slot] = location.length;
	}

	/** An archived record read from an index file (a later one for the same id replaces it). */
	addArchived(hi: number, lo: number, timeMs: number, location: Location): number {
		const slot = this.slotFor(hi, lo, timeMs);
		this.file[slot] = location.file;
		this.offset[slot] = location.offset;
		this.length[slot] = location.length;
		return slot;
	}

	/** Keeps the slots for which `keep` holds, in order; returns how many were dropped. */
	retain(keep: (slot: number) => boolean): number {
		// Usually nothing is dropped (retention runs hourly): find the first slot that goes before
		// building anything.
		let first = 0;
		while (first < this.size && keep(first)) first++;
		if (first === this.size) return 0;
		const order = new Uint32Array(this.size);
		let kept = 0;
		for (let slot = 0; slot < first; slot++) order[kept++] = slot;
		for (let slot = first + 1; slot < this.size; slot++) if (keep(slot)) order[kept++] = slot;
		const dropped = this.size - kept;
		this.permute(order.subarray(0, kept));
		return dropped;
	}

	/** Orders the slots by time (stable), once after loading. */
	sortByTime(): void {
		let sorted = true;
		for (let slot = 1; slot < this.size && sorted; slot++) if (this.timeMs[slot] < this.timeMs[slot - 1]) sorted = false;
		if (sorted) return;
		this.permute(argsortTimes(this.timeMs.subarray(0, this.size)));
	}

	/** Rebuilds every column so that new slot i is old slot `order[i]`. */
	protected permute(order: Uint32Array): void {
		const n = order.length;
		const pick = <A extends Uint32Array | Uint16Array | Uint8Array | Float64Array>(column: A): A => {
			const next = new (column.constructor as new (length: number) => A)(Math.max(1024, n));
			for (let i = 0; i < n; i++) next[i] = column[order[i]];
			return next;
		};
		this.permuteColumns(pick);
		const hot = new Map<number, T>();
		for (let i = 0; i < n; i++) {
			const record = this.hot.get(order[i]);
			if (record !== undefined) hot.set(i, record);
		}
		this.hot.clear();
		for (const [slot, record] of hot) this.hot.set(slot, record);
		this.size = n;
		this.capacity = Math.max(1024, n);
		let tableSize = 2048;
		while (tableSize < n * 2) tableSize *= 2;
		this.rehash(tableSize);
	}

	protected permuteColumns(pick: <A extends Uint32Array | Uint16Array | Uint8Array | Float64Array>(column: A) => A): void {
		this.hi = pick(this.hi);
		this.lo = pick(this.lo);
		this.timeMs = pick(this.timeMs);
		this.file = pick(this.file);
		this.offset = pick(this.offset);
		this.length = pick(this.length);
	}

	protected grow(): void {
		this.capacity *= 2;
		const widen = <A extends Uint32Array | Uint16Array | Uint8Array | Float64Array>(column: A): A => {
			const next = new (column.constructor as new (length: number) => A)(this.capacity);
			next.set(column);
			return next;
		};
		this.permuteColumns(widen);
	}

	private rehash(size: number): void {
		this.table = new Int32Array(size);
		for (let slot = 0; slot < this.size; slot++) this.place(slot);
	}

	private place(slot: number): void {
		const mask = this.table.length - 1;
		let b = this.lo[slot] & mask;
		while (this.table[b] !== 0) b = (b + 1) & mask;
		this.table[b] = slot + 1;
	}
}

export type EventIndex = RecordIndex<EventRecord>;
export const EventIndex = RecordIndex<EventRecord>;

/** A filter turned into symbol numbers once per query. `none`: a value the log has never seen. */
interface CompiledFilter {
	webhook: number;
	profile: number;
	eventType: number;
	status: number;
	code: number;
	fromMs: number;
	toMs: number;
	none: boolean;
}

/** Deliveries: the record index plus the columns the log's filters read. */
export class DeliveryIndex extends RecordIndex<DeliveryRecord> {
	private webhook = new Uint32Array(this.capacity);
	private profile = new Uint32Array(this.capacity);
	private eventType = new Uint32Array(this.capacity);
	private status = new Uint8Array(this.capacity);
	private code = new Uint16Array(this.capacity);
	/** `failureCode` of the delivery (0: none). */
	private failure = new Uint8Array(this.capacity);

	constructor(readonly symbols: SymbolTable) {
		super();
	}

	/** A delivery record in memory (new, attempted, re-queued): its columns follow the record. */
	upsertHot(record: DeliveryRecord): number {
		const slot = this.setHot(record, Date.parse(record.createdAt));
		this.describe(slot, record);
		return slot;
	}

	/** An archived delivery read from an index file. */
	addArchivedDelivery(
		hi: number,
		lo: number,
		timeMs: number,
		location: { file: number; offset: number; length: number },
		columns: { webhook: number; profile: number; eventType: number; status: number; code: number; failure: number },
	): void {
		const slot = this.addArchived(hi, lo, timeMs, location);
		if (this.hotRecord(slot) !== undefined) return;
		this.webhook[slot] = columns.webhook;
		this.profile[slot] = columns.profile;
		this.eventType[slot] = columns.eventType;
		this.status[slot] = columns.status;
		this.code[slot] = columns.code;
		this.failure[slot] = columns.failure;
	}

	statusOf(slot: number): number {
		return this.status[slot];
	}

	/** The index-file fields of a record (symbols interned). */
	columnsOf(record: DeliveryRecord): { webhook: number; profile: number; eventType: number; status: number; code: number; failure: number } {
		return {
			webhook: this.symbols.intern(record.webhookId),
			profile: this.symbols.intern(record.profileId),
			eventType: this.symbols.intern(record.eventType),
			status: STATUS_CODES[record.status],
			code: record.responseCode ?? 0,
			failure: failureCode(record),
		};
	}

	/** Newest first from before `startSlot` (exclusive; `size` for the first page): up to `limit` + 1 slots. */
	scan(filter: DeliveryFilter, startSlot: number, limit: number): number[] {
		const found: number[] = [];
		this.each(filter, startSlot, (slot) => found.push(slot) <= limit);
		return found;
	}

	summarize(filter: DeliveryFilter): DeliverySummary {
		// Counted per (webhook, status, failure) key in the loop, named once after it.
		const counts = new Map<number, number>();
		const { status, failure, webhook } = this;
		this.each(filter, this.size, (slot) => {
			const key = webhook[slot] * 64 + status[slot] * 8 + failure[slot];
			counts.set(key, (counts.get(key) ?? 0) + 1);
			return true;
		});
		const groups: SummaryGroup[] = [];
		for (const [key, count] of counts) {
			const code = key % 8;
			groups.push({
				webhookId: this.symbols.name(Math.floor(key / 64)),
				status: STATUS_NAMES[Math.floor(key / 8) % 8],
				failure: code === 0 ? null : FAILURE_CLASSES[code - 1],
				count,
			});
		}
		return summarizeGroups(groups);
	}

	/**
	 * Calls `visit` for each slot below `startSlot` that matches, newest first, until it returns
	 * false. One tight loop over the typed columns (a million slots in a few ms).
	 */
	private each(filter: DeliveryFilter, startSlot: number, visit: (slot: number) => boolean): void {
		const f = this.compile(filter);
		if (f.none) return;
		const { webhook, profile, eventType, status, code, timeMs } = this;
		const anyTime = f.fromMs === -Infinity && f.toMs === Infinity;
		for (let slot = startSlot - 1; slot >= 0; slot--) {
			if (f.webhook !== 0 && webhook[slot] !== f.webhook) continue;
			if (f.status >= 0 && status[slot] !== f.status) continue;
			if (f.eventType !== 0 && eventType[slot] !== f.eventType) continue;
			if (f.code !== 0 && code[slot] !== f.code) continue;
			if (f.profile !== 0 && profile[slot] !== f.profile) continue;
			if (!anyTime) {
				const t = timeMs[slot];
				if (t < f.fromMs || t > f.toMs) continue;
			}
			if (!visit(slot)) return;
		}
	}

	/** Drops finished deliveries created before `beforeMs`; returns how many. Pending ones stay. */
	pruneFinishedBefore(beforeMs: number): number {
		return this.retain((slot) => this.status[slot] === STATUS_CODES.pending || this.timeMs[slot] >= beforeMs);
	}

	private describe(slot: number, record: DeliveryRecord): void {
		const c = this.columnsOf(record);
		this.webhook[slot] = c.webhook;
		this.profile[slot] = c.profile;
		this.eventType[slot] = c.eventType;
		this.status[slot] = c.status;
		this.code[slot] = c.code;
		this.failure[slot] = c.failure;
	}

	private compile(filter: DeliveryFilter): CompiledFilter {
		const symbol = (value: string | undefined) => (value === undefined ? 0 : this.symbols.lookup(value));
		const f: CompiledFilter = {
			webhook: symbol(filter.webhookId),
			profile: symbol(filter.profileId),
			eventType: symbol(filter.eventType),
			status: filter.status === undefined ? -1 : STATUS_CODES[filter.status],
			code: filter.responseCode ?? 0,
			fromMs: filter.from === undefined ? -Infinity : Date.parse(filter.from),
			toMs: filter.to === undefined ? Infinity : Date.parse(filter.to),
			none: false,
		};
		f.none = f.webhook < 0 || f.profile < 0 || f.eventType < 0;
		return f;
	}

	protected override permuteColumns(pick: <A extends Uint32Array | Uint16Array | Uint8Array | Float64Array>(column: A) => A): void {
		super.permuteColumns(pick);
		// The base constructor grows columns before this class's fields exist.
		if (this.webhook === undefined) return;
		this.webhook = pick(this.webhook);
		this.profile = pick(this.profile);
		this.eventType = pick(this.eventType);
		this.status = pick(this.status);
		this.code = pick(this.code);
		this.failure = pick(this.failure);
	}
}

/** A stable argsort of millisecond times (LSD radix, 16-bit digits): 1 M entries in tens of ms. */
export function argsortTimes(times: Float64Array): Uint32Array {
	const n = times.length;
	const low = new Uint32Array(n);
	const high = new Uint32Array(n);
	for (let i = 0; i < n; i++) {
		const t = Math.max(0, Math.floor(times[i]));
		low[i] = t % 0x100000000;
		high[i] = Math.floor(t / 0x100000000);
	}
	let order = new Uint32Array(n);
	for (let i = 0; i < n; i++) order[i] = i;
	let next = new Uint32Array(n);
	const counts = new Uint32Array(65537);
	for (const [keys, shift] of [
		[low, 0],
		[low, 16],
		[high, 0],
		[high, 16],
	] as const) {
		counts.fill(0);
		for (let i = 0; i < n; i++) counts[((keys[i] >>> shift) & 0xffff) + 1]++;
		if (counts[1 + ((keys[0] >>> shift) & 0xffff)] === n) continue; // every digit equal: pass changes nothing
		for (let d = 1; d <= 65536; d++) counts[d] += counts[d - 1];
		for (let i = 0; i < n; i++) {
			const slot = order[i];
			next[counts[(keys[slot] >>> shift) & 0xffff]++] = slot;
		}
		[order, next] = [next, order];
	}
	return order;
}

/**
 * The embedded default backend's store: the config store, the delivery log and the delivery
 * queue over one journal. Files next to `<data>`:
 *  - `<data>`: the lowdb snapshot (config + hot state: pending deliveries and their events),
 *    rewritten only at compaction;
 *  - `<data>.journal.<generation>`: an append-only, group-committed log of every operation since;
 *  - `<data>.logs/`: the archive of finished deliveries and their events, with a binary index
 *    (see archive.ts). In memory the log is a compact index (logIndex.ts), not record objects.
 * Every mutation goes through `apply`, both live and when a journal is replayed after a crash, so
 * the two cannot drift apart. Live, `apply` runs only once the operation's journal line is on
 * disk: a write that fails leaves nothing in memory, so no answer can say "stored" untruly.
 * The queue (due order, leases) lives in memory: one process owns it.
 */
import { groupRecords, summarizeGroups } from '../../domain/deliverySummary';
import path from 'node:path';
import { ConflictError, InvalidCursorError, NotFoundError } from '../../domain/errors';
import type {
	AttemptUpdate,
	DeliveryFilter,
	DeliveryPage,
	DeliveryRecord,
	DeliverySummary,
	DeviceStatusRecord,
	DisabledReason,
	EventRecord,
	ProfileRecord,
	SourceCount,
	SourceRecord,
	SourceStats,
	StoreMeta,
	WebhookRecord,
} from '../../domain/records';
import { countedStats } from '../../domain/records';
import { decodeCursor, encodeCursor } from '../cursor';
import { StoreCorruptError, UnstorableRecordError } from '../errors';
import type { ConfigChange, ConfigStore, ProfileChanges, WebhookChanges } from '../ports/configStore';
import type { DeliveryLog } from '../ports/deliveryLog';
import type { AcceptOutcome, ClaimedDelivery, DeliveryQueue } from '../ports/deliveryQueue';
import { Archive } from './archive';
import { DueHeap } from './dueHeap';
import { DIR_MODE, type StoreFiles, diskFiles } from './files';
import { Journal } from './journal';
import { JsonText, stringifyWithLast } from './jsonText';
import { DeliveryIndex, EventIndex, STATUS_CODES, SymbolTable } from './logIndex';
import { Snapshot, type SnapshotData, emptySnapshot } from './snapshot';

type Operation =
	| { op: 'meta'; meta: StoreMeta }
	| { op: 'webhook'; record: WebhookRecord }
	| { op: 'webhook-update'; id: string; changes: WebhookChanges }
	| { op: 'webhook-delete'; id: string; at?: string }
	| { op: 'profile'; record: ProfileRecord }
	| { op: 'profile-update'; id: string; changes: ProfileChanges }
	| { op: 'profile-delete'; id: string }
	| { op: 'event'; event: EventRecord; deliveries: DeliveryRecord[] }
	| { op: 'attempt'; update: AttemptUpdate }
	| { op: 'requeue'; ids: string[]; at: string }
	| { op: 'source'; record: SourceRecord }
	| { op: 'source-delete'; id: string }
	| { op: 'source-stats'; id: string; stats: SourceStats }
	| { op: 'source-count'; id: string; count: SourceCount }
	| { op: 'device-status'; key: string; record: DeviceStatusRecord };

/** Operations whose loss in a crash costs little: written with the next ordinary write. */
const DEFERRABLE: ReadonlySet<Operation['op']> = new Set(['attempt', 'source-stats', 'source-count', 'device-status']);

export interface LowdbStoreOptions {
	/** Path of the lowdb snapshot; the journal and the archive sit beside it. */
	file: string;
	/** Compact once the journal holds this many bytes. */
	compactAfterBytes?: number;
	/** fdatasync each group commit (turn off only for throwaway tests). */
	sync?: boolean;
	/** The file layer (tests pass one that makes real writes fail). */
	files?: StoreFiles;
	/** Told how long each durable write waited for the disk, in seconds (metrics). */
	onCommit?: (seconds: number) => void;
}

/** Appended to every refusal to open: what the operator can do. */
const REFUSAL_ADVICE =
	'refusing to start over existing data: restore the file from a backup, or move the data folder away to start empty';

/** An attempt whose result could not be stored (a full disk) is due again after this long. */
const UNSTORED_ATTEMPT_RETRY_MS = 5000;

const JOURNAL_FILE = /\.journal\.(\d+)$/;
const nameKey = (name: string) => name.trim().toLowerCase();

export class LowdbStore implements ConfigStore, DeliveryLog, DeliveryQueue {
	private meta: StoreMeta = { apiKeyHash: null };
	private readonly webhooks = new Map<string, WebhookRecord>();
	private readonly profiles = new Map<string, ProfileRecord>();
	private readonly webhookNames = new Map<string, string>();
	private readonly profileNames = new Map<string, string>();
	/** Names claimed by a create or rename whose journal line is being written. */
	private readonly reservedNames = new Map<string, string>();
	private readonly sources = new Map<string, SourceRecord>();
	private readonly deviceStatuses = new Map<string, DeviceStatusRecord>();
	private readonly symbols = new SymbolTable();
	private readonly deliveries = new DeliveryIndex(this.symbols);
	private readonly events = new EventIndex();
	/** Finished since the last compaction: go to the archive at the next one. */
	private readonly finishedSinceCompaction = new Set<string>();

	// The queue: due order, leases, and deliveries parked while their webhook is disabled.
	private readonly due = new DueHeap();
	private readonly dueAt = new Map<string, number>();
	private readonly leases = new Map<string, string>();
	/** Events being written by `accept`, by id: a concurrent accept of the same id waits for it. */
	private readonly accepting = new Map<string, Promise<AcceptOutcome>>();
	private readonly parked = new Map<string, Set<string>>();
	private readonly workListeners = new Set<() => void>();
	private readonly configListeners = new Set<(change: ConfigChange) => void>();

	/** JSON of events and requests the journal wrote, reused by the next compaction's archive. */
	private readonly jsonText = new JsonText();
	private readonly snapshot: Snapshot;
	private readonly archive: Archive;
	private journal: Journal | null = null;
	private generation = 0;
	private compacting: Promise<void> | null = null;
	/** Set while a compaction switches journals: commits wait for it (one journal write at most). */
	private switching: Promise<void> | null = null;
	private readonly compactAfterBytes: number;
	private readonly sync: boolean;
	private readonly files: StoreFiles;

	constructor(private readonly options: LowdbStoreOptions) {
		this.sync = options.sync ?? true;
		this.files = options.files ?? diskFiles;
		this.snapshot = new Snapshot(options.file, this.jsonText, this.sync, this.files);
		this.archive = new Archive(`${options.file}.logs`, this.symbols, this.sync, this.files);
		this.compactAfterBytes = options.compactAfterBytes ?? 16 * 1024 * 1024;
	}

	/**
	 * Loads the archive index, the snapshot and the journals. Refuses (`StoreCorruptError`, naming
	 * the file and the fault) to open a folder it cannot read whole, rather than start empty over it.
	 */
	async open(): Promise<void> {
		try {
			await this.load();
		} catch (error) {
			if (error instanceof StoreCorruptError) throw new StoreCorruptError(`${error.message}; ${REFUSAL_ADVICE}`);
			throw error;
		}
	}

	private async load(): Promise<void> {
		// Secrets live in these files: a data folder the dispatcher creates is private to its user.
		const dir = path.dirname(this.options.file);
		await this.files.mkdir(dir);
		const mode = await this.files.mode(dir);
		if ((mode & 0o077) !== 0) {
			console.error(
				`warning: data folder ${dir} is open to group or others (mode ${mode.toString(8).padStart(3, '0')}); it holds webhook secrets: chmod ${DIR_MODE.toString(8)} it`,
			);
		}
		await this.files.remove(this.snapshot.tempPath); // a compaction cut short before its rename

		const generations = await this.journalGenerations();
		let data = await this.snapshot.read();
		if (!data) {
			const archiveEmpty = await this.archive.isEmpty();
			if (generations.length > 0 || !archiveEmpty) {
				const found = [
					...(generations.length > 0 ? [`${generations.length} journal file(s)`] : []),
					...(archiveEmpty ? [] : [`a delivery log archive (${this.archive.dir})`]),
				].join(' and ');
				throw new StoreCorruptError(`snapshot ${this.options.file} is missing but ${found} exist beside it`);
			}
			// A fresh folder: the snapshot comes first, so a folder with journals but no snapshot
			// can only mean a lost snapshot.
			data = emptySnapshot();
			await this.snapshot.write(data);
		}

		await this.archive.load(this.deliveries, this.events);
		this.meta = data.meta;
		for (const webhook of data.webhooks) this.putWebhookRecord(webhook);
		for (const profile of data.profiles) this.putProfileRecord(profile);
		for (const source of data.sources ?? []) this.sources.set(source.id, source);
		for (const [key, record] of Object.entries(data.deviceStatuses ?? {})) this.deviceStatuses.set(key, record);
		for (const event of data.events) this.events.setHot(event, Date.parse(event.receivedAt));
		for (const delivery of data.deliveries) this.deliveries.upsertHot(delivery);

		this.generation = data.journalGeneration;
		for (const generation of generations) {
			const journal = this.journalOf(generation);
			if (generation < data.journalGeneration) {
				await journal.remove(); // left over from a compaction cut short after its snapshot
				continue;
			}
			// A torn tail is cut off here, so what is appended next starts on a line of its own.
			for (const operation of (await journal.recover()) as Operation[]) {
				if (operation.op === 'requeue') await this.loadArchived(operation.ids);
				this.apply(operation);
			}
			this.generation = Math.max(this.generation, generation);
		}
		this.deliveries.sortByTime();
		this.events.sortByTime();
		for (const delivery of this.deliveries.hotRecords()) {
			if (delivery.status === 'pending') this.enqueue(delivery.id, dueMs(delivery));
		}
		this.journal = this.journalOf(this.generation);
		await this.journal.open();
	}

	async close(): Promise<void> {
		const journal = this.journal;
		if (!journal) return;
		try {
			// A compaction already running captured older state: let it finish, then take a final one.
			if (this.compacting) await this.compacting.catch(() => undefined);
			await this.compact();
		} catch (error) {
			throw new Error(`the final compaction failed, nothing is lost (the journals are replayed at the next start): ${(error as Error).message}`, {
				cause: error,
			});
		} finally {
			// Even when the compaction failed (a full disk) nothing is lost: the journals stay.
			await this.journal?.close();
			this.journal = null;
			await this.archive.close();
		}
	}

	// ----------------------------------------------------------------------------------------
	// config store
	// ----------------------------------------------------------------------------------------

	onChange(listener: (change: ConfigChange) => void): () => void {
		this.configListeners.add(listener);
		return () => this.configListeners.delete(listener);
	}

	async getMeta(): Promise<StoreMeta> {
		return this.meta;
	}

	async setApiKeyHash(hash: string): Promise<void> {
		await this.commit({ op: 'meta', meta: { ...this.meta, apiKeyHash: hash } });
		this.emit({ kind: 'meta', id: 'apiKeyHash' });
	}

	async listWebhooks(): Promise<WebhookRecord[]> {
		return [...this.webhooks.values()];
	}

	async getWebhook(id: string): Promise<WebhookRecord | undefined> {
		return this.webhooks.get(id);
	}

	async createWebhook(record: WebhookRecord): Promise<void> {
		await this.withName(this.webhookNames, 'webhook', record.id, record.name, () => this.commit({ op: 'webhook', record }));
		this.emit({ kind: 'webhook', id: record.id });
	}

	async updateWebhook(id: string, changes: WebhookChanges): Promise<WebhookRecord> {
		if (!this.webhooks.has(id)) throw new NotFoundError('webhook', id);
		await this.withName(this.webhookNames, 'webhook', id, changes.name, () => this.commit({ op: 'webhook-update', id, changes }));
		this.emit({ kind: 'webhook', id });
		const stored = this.webhooks.get(id);
		if (!stored) throw new NotFoundError('webhook', id);
		return stored;
	}

	async deleteWebhook(id: string): Promise<void> {
		if (!this.webhooks.has(id)) throw new NotFoundError('webhook', id);
		await this.commit({ op: 'webhook-delete', id, at: new Date().toISOString() });
		this.emit({ kind: 'webhook', id });
	}

	async disableWebhook(id: string, reason: DisabledReason, at: string): Promise<void> {
		if (!this.webhooks.has(id)) return;
		await this.commit({ op: 'webhook-update', id, changes: { enabled: false, disabledReason: reason, updatedAt: at } });
		this.emit({ kind: 'webhook', id });
	}

	async markFailing(id: string, since: string): Promise<string | null> {
		const current = this.webhooks.get(id);
		if (!current) return null;
		if (current.failingSince !== null) return current.failingSince;
		await this.commit({ op: 'webhook-update', id, changes: { failingSince: since } });
		return this.webhooks.get(id)?.failingSince ?? null;
	}

	async clearFailing(id: string): Promise<void> {
		if (this.webhooks.get(id)?.failingSince == null) return;
		await this.commit({ op: 'webhook-update', id, changes: { failingSince: null } });
	}

	async listProfiles(): Promise<ProfileRecord[]> {
		return [...this.profiles.values()];
	}

	async getProfile(id: string): Promise<ProfileRecord | undefined> {
		return this.profiles.get(id);
	}

	async createProfile(record: ProfileRecord): Promise<void> {
		await this.withName(this.profileNames, 'profile', record.id, record.name, () => this.commit({ op: 'profile', record }));
		this.emit({ kind: 'profile', id: record.id });
	}

	async updateProfile(id: string, changes: ProfileChanges): Promise<ProfileRecord> {
		if (!this.profiles.has(id)) throw new NotFoundError('profile', id);
		await this.withName(this.profileNames, 'profile', id, changes.name, () => this.commit({ op: 'profile-update', id, changes }));
		this.emit({ kind: 'profile', id });
		const stored = this.profiles.get(id);
		if (!stored) throw new NotFoundError('profile', id);
		return stored;
	}

	async deleteProfile(id: string): Promise<void> {
		if (!this.profiles.has(id)) throw new NotFoundError('profile', id);
		await this.commit({ op: 'profile-delete', id });
		this.emit({ kind: 'profile', id });
	}

	async listSources(): Promise<SourceRecord[]> {
		return [...this.sources.values()];
	}

	async getSource(id: string): Promise<SourceRecord | undefined> {
		return this.sources.get(id);
	}

	async putSource(record: SourceRecord): Promise<void> {
		const names = new Map([...this.sources.values()].map((source) => [nameKey(source.name), source.id]));
		await this.withName(names, 'source', record.id, record.name, () => this.commit({ op: 'source', record }));
		this.emit({ kind: 'source', id: record.id });
	}

	async deleteSource(id: string): Promise<void> {
		await this.commit({ op: 'source-delete', id });
		this.emit({ kind: 'source', id });
	}

	countSourceRequest(id: string, count: SourceCount): Promise<void> {
		return this.commit({ op: 'source-count', id, count });
	}

	async getDeviceStatus(key: string): Promise<DeviceStatusRecord | undefined> {
		return this.deviceStatuses.get(key);
	}

	putDeviceStatus(key: string, record: DeviceStatusRecord): Promise<void> {
		return this.commit({ op: 'device-status', key, record });
	}

	// ----------------------------------------------------------------------------------------
	// delivery log
	// ----------------------------------------------------------------------------------------

	async getEvent(id: string): Promise<EventRecord | undefined> {
		const slot = this.events.find(id);
		if (slot < 0) return undefined;
		const record = this.events.hotRecord(slot) ?? (await this.readArchived<EventRecord>(this.events.location(slot)));
		return record?.id === id ? record : undefined;
	}

	async getDelivery(id: string): Promise<DeliveryRecord | undefined> {
		const slot = this.deliveries.find(id);
		if (slot < 0) return undefined;
		const record = await this.deliveryAt(slot);
		return record?.id === id ? record : undefined;
	}

	async queryDeliveries(filter: DeliveryFilter, limit: number, cursor: string | null): Promise<DeliveryPage> {
		if (filter.eventId !== undefined) {
			// One event's deliveries: read through its record, newest first as every page.
			const all = await this.deliveriesOfEvent(filter);
			let start = 0;
			if (cursor !== null) {
				start = all.findIndex((delivery) => delivery.id === decodeCursor(cursor)) + 1;
				if (start === 0) throw new InvalidCursorError();
			}
			const data = all.slice(start, start + limit);
			return { data, nextCursor: start + limit < all.length ? encodeCursor(data[data.length - 1].id) : null };
		}
		if (filter.requestId !== undefined) {
			const one = cursor === null ? await this.getDelivery(filter.requestId) : undefined;
			return { data: one && matchesFilter(one, filter) ? [one] : [], nextCursor: null };
		}
		let start = this.deliveries.size;
		if (cursor !== null) {
			start = this.deliveries.find(decodeCursor(cursor));
			if (start < 0) throw new InvalidCursorError();
		}
		const slots = this.deliveries.scan(filter, start, limit);
		const data = (await Promise.all(slots.slice(0, limit).map((slot) => this.deliveryAt(slot)))).filter(
			(d): d is DeliveryRecord => d !== undefined,
		);
		return { data, nextCursor: slots.length > limit && data.length > 0 ? encodeCursor(data[data.length - 1].id) : null };
	}

	/** The deliveries of `filter.eventId` that match the rest of the filter, newest first. */
	private async deliveriesOfEvent(filter: DeliveryFilter): Promise<DeliveryRecord[]> {
		const event = filter.eventId === undefined ? undefined : await this.getEvent(filter.eventId);
		if (!event) return [];
		const records = await Promise.all(event.deliveries.map((ref) => this.getDelivery(ref.id)));
		return records
			.filter((d): d is DeliveryRecord => d !== undefined && matchesFilter(d, filter))
			.sort((a, b) => (a.createdAt === b.createdAt ? (a.id < b.id ? 1 : -1) : a.createdAt < b.createdAt ? 1 : -1));
	}

	async summarizeDeliveries(filter: DeliveryFilter): Promise<DeliverySummary> {
		if (filter.eventId !== undefined) return summarizeGroups(groupRecords(await this.deliveriesOfEvent(filter)));
		return this.deliveries.summarize(filter);
	}

	async prune(before: string): Promise<void> {
		const beforeMs = Date.parse(before);
		this.deliveries.pruneFinishedBefore(beforeMs);
		for (const id of this.finishedSinceCompaction) if (this.deliveries.find(id) < 0) this.finishedSinceCompaction.delete(id);
		this.events.retain((slot) => {
			if (this.events.time(slot) >= beforeMs) return true;
			const hot = this.events.hotRecord(slot);
			return hot !== undefined && hot.deliveries.some((ref) => this.deliveries.find(ref.id) >= 0);
		});
		await this.archive.pruneBefore(before.slice(0, 10));
	}

	// ----------------------------------------------------------------------------------------
	// delivery queue
	// ----------------------------------------------------------------------------------------

	onWork(listener: () => void): () => void {
		this.workListeners.add(listener);
		return () => this.workListeners.delete(listener);
	}

	async accept(event: EventRecord, deliveries: DeliveryRecord[]): Promise<AcceptOutcome> {
		// An accept of the same id still running: this one is its repeat (or, if that one failed, it tries again).
		const running = this.accepting.get(event.id);
		if (running) {
			await running.catch(() => undefined);
			return this.accept(event, deliveries);
		}
		const accepting = this.acceptNew(event, deliveries);
		this.accepting.set(event.id, accepting);
		try {
			return await accepting;
		} finally {
			if (this.accepting.get(event.id) === accepting) this.accepting.delete(event.id);
		}
	}

	private async acceptNew(event: EventRecord, deliveries: DeliveryRecord[]): Promise<AcceptOutcome> {
		const known = await this.getEvent(event.id);
		if (known) return { accepted: false, event: known };
		await this.commit({ op: 'event', event, deliveries });
		for (const delivery of deliveries) this.enqueue(delivery.id, dueMs(delivery));
		if (deliveries.length > 0) this.wake();
		return { accepted: true, event };
	}

	async claim(owner: string, limit: number): Promise<ClaimedDelivery[]> {
		const now = Date.now();
		const claimed: ClaimedDelivery[] = [];
		while (claimed.length < limit) {
			const top = this.due.peek();
			if (!top || top.dueMs > now) break;
			this.due.pop();
			if (this.dueAt.get(top.id) !== top.dueMs) continue; // superseded entry
			this.dueAt.delete(top.id);
			const delivery = this.deliveries.hotRecord(this.deliveries.find(top.id));
			if (!delivery || delivery.status !== 'pending' || this.leases.has(delivery.id)) continue;
			const webhook = this.webhooks.get(delivery.webhookId);
			if (!webhook) continue; // deleting a webhook fails its deliveries
			if (!webhook.enabled) {
				this.park(webhook.id, delivery.id);
				continue;
			}
			const event = this.events.hotRecord(this.events.find(delivery.eventId));
			if (!event) {
				void this.failWithoutSending(delivery, 'event no longer stored');
				continue;
			}
			this.leases.set(delivery.id, owner);
			claimed.push({ delivery, event });
		}
		return claimed;
	}

	/** One process owns every lease here: nothing expires while it runs. */
	async renew(): Promise<void> {}

	async record(update: AttemptUpdate): Promise<void> {
		this.leases.delete(update.deliveryId);
		try {
			await this.commit({ op: 'attempt', update });
		} catch (error) {
			// Not stored, so the delivery is still pending as it was: due again later (at-least-once).
			this.enqueue(update.deliveryId, Date.now() + UNSTORED_ATTEMPT_RETRY_MS);
			throw error;
		}
		if (update.status === 'pending' && update.nextAttemptAt !== null) this.enqueue(update.deliveryId, Date.parse(update.nextAttemptAt));
	}

	async defer(id: string, at: string): Promise<void> {
		this.leases.delete(id);
		this.enqueue(id, Date.parse(at));
	}

	async release(owner: string): Promise<void> {
		const now = Date.now();
		for (const [id, holder] of this.leases) {
			if (holder !== owner) continue;
			this.leases.delete(id);
			this.enqueue(id, now);
		}
	}

	async requeue(ids: string[], at: string): Promise<DeliveryRecord[]> {
		await this.loadArchived(ids);
		const requeued = ids
			.map((id) => this.deliveries.hotRecord(this.deliveries.find(id)))
			.filter((d): d is DeliveryRecord => d !== undefined && d.status !== 'pending');
		if (requeued.length === 0) return [];
		await this.commit({ op: 'requeue', ids: requeued.map((d) => d.id), at });
		for (const delivery of requeued) this.enqueue(delivery.id, Date.parse(at));
		this.wake();
		return requeued;
	}

	async pendingStats(): Promise<{ pending: number; oldestCreatedAt: string | null }> {
		let pending = 0;
		let oldest: string | null = null;
		for (const delivery of this.deliveries.hotRecords()) {
			if (delivery.status !== 'pending') continue;
			pending++;
			if (oldest === null || delivery.createdAt < oldest) oldest = delivery.createdAt;
		}
		return { pending, oldestCreatedAt: oldest };
	}

	async nextDueAt(): Promise<number | null> {
		for (;;) {
			const top = this.due.peek();
			if (!top) return null;
			if (this.dueAt.get(top.id) === top.dueMs) return top.dueMs;
			this.due.pop();
		}
	}

	// ----------------------------------------------------------------------------------------
	// inside
	// ----------------------------------------------------------------------------------------

	private enqueue(id: string, atMs: number): void {
		this.dueAt.set(id, atMs);
		this.due.push(id, atMs);
	}

	private park(webhookId: string, deliveryId: string): void {
		let parked = this.parked.get(webhookId);
		if (!parked) this.parked.set(webhookId, (parked = new Set()));
		parked.add(deliveryId);
	}

	private wake(): void {
		for (const listener of this.workListeners) listener();
	}

	private emit(change: ConfigChange): void {
		for (const listener of this.configListeners) listener(change);
	}

	/**
	 * Runs `write` holding `name` (unless undefined): a name another record has, or one a write
	 * in flight is taking, is a ConflictError. (Memory changes only once the line is on disk.)
	 */
	private async withName<T>(
		names: Map<string, string>,
		kind: 'webhook' | 'profile' | 'source',
		id: string,
		name: string | undefined,
		write: () => Promise<T>,
	): Promise<T> {
		if (name === undefined) return write();
		const key = `${kind}:${nameKey(name)}`;
		const other = names.get(nameKey(name)) ?? this.reservedNames.get(key);
		if (other !== undefined && other !== id) throw new ConflictError('/name', `name is already used by ${kind} ${other}`);
		this.reservedNames.set(key, id);
		try {
			return await write();
		} finally {
			if (this.reservedNames.get(key) === id) this.reservedNames.delete(key);
		}
	}

	private putWebhookRecord(record: WebhookRecord): void {
		const previous = this.webhooks.get(record.id);
		if (previous) this.webhookNames.delete(nameKey(previous.name));
		this.webhooks.set(record.id, record);
		this.webhookNames.set(nameKey(record.name), record.id);
	}

	private putProfileRecord(record: ProfileRecord): void {
		const previous = this.profiles.get(record.id);
		if (previous) this.profileNames.delete(nameKey(previous.name));
		this.profiles.set(record.id, record);
		this.profileNames.set(nameKey(record.name), record.id);
	}

	private async deliveryAt(slot: number): Promise<DeliveryRecord | undefined> {
		return this.deliveries.hotRecord(slot) ?? (await this.readArchived<DeliveryRecord>(this.deliveries.location(slot)));
	}

	private async readArchived<T>(location: { file: number; offset: number; length: number } | null): Promise<T | undefined> {
		if (location === null) return undefined;
		return (await this.archive.read(location.file, location.offset, location.length)).r as T;
	}

	/** Brings archived deliveries (and their events) into memory before a requeue changes them. */
	private async loadArchived(ids: string[]): Promise<void> {
		for (const id of ids) {
			const slot = this.deliveries.find(id);
			if (slot < 0 || this.deliveries.hotRecord(slot)) continue;
			const delivery = await this.readArchived<DeliveryRecord>(this.deliveries.location(slot));
			if (!delivery || delivery.id !== id || this.deliveries.hotRecord(slot)) continue;
			this.deliveries.upsertHot(delivery);
			const eventSlot = this.events.find(delivery.eventId);
			if (eventSlot >= 0 && !this.events.hotRecord(eventSlot)) {
				const event = await this.readArchived<EventRecord>(this.events.location(eventSlot));
				if (event && event.id === delivery.eventId) this.events.setHot(event, Date.parse(event.receivedAt));
			}
		}
	}

	/** A delivery that cannot be sent at all fails at once, with an attempt saying why. */
	private failWithoutSending(delivery: DeliveryRecord, error: string): Promise<void> {
		return this.record({
			deliveryId: delivery.id,
			attempt: { at: new Date().toISOString(), statusCode: null, durationMs: 0, error, response: null },
			status: 'failed',
			nextAttemptAt: null,
			request: delivery.request ?? { method: '', url: '', headers: {}, body: '' },
		});
	}

	/**
	 * Writes the operation's journal line, then applies it in memory and resolves. A line that
	 * cannot be serialised (`UnstorableRecordError`) or written (`StorageError`) rejects, and
	 * memory is left as it was. Compacts when the journal grew large.
	 */
	private async commit(operation: Operation): Promise<void> {
		const line = this.encode(operation);
		while (this.switching) await this.switching;
		if (!this.journal) throw new Error('store is not open');
		// An attempt's result lost in a crash only repeats that attempt (at-least-once), so it
		// waits for the next event's write rather than paying a disk sync of its own.
		const deferred = DEFERRABLE.has(operation.op);
		const started = performance.now();
		await this.journal.appendLines([line], deferred);
		if (!deferred) this.options.onCommit?.((performance.now() - started) / 1000);
		// Lines are written and resolved in order, so operations are applied in journal order.
		this.apply(operation);
		if (this.journal.size > this.compactAfterBytes && !this.compacting) {
			void this.compact().catch((error: unknown) => {
				console.error(`compaction failed (nothing is lost, the journals are kept): ${(error as Error).message}`);
			});
		}
	}

	/**
	 * The journal line of an operation: its JSON, with the event's and the request's texts kept
	 * for the archive (see JsonText). `JSON.parse` of the line gives the operation back.
	 */
	private encode(operation: Operation): string {
		try {
			return this.encodeLine(operation);
		} catch (error) {
			if (!(error instanceof RangeError)) throw error;
			throw new UnstorableRecordError(`the ${operation.op} is nested too deeply to be stored (${error.message})`);
		}
	}

	private encodeLine(operation: Operation): string {
		switch (operation.op) {
			case 'event':
				return `{"op":"event","event":${this.jsonText.of(operation.event)},"deliveries":${JSON.stringify(operation.deliveries)}}`;
			case 'attempt': {
				const { update } = operation;
				const request = this.jsonText.of(update.request);
				return `{"op":"attempt","update":${stringifyWithLast(update as unknown as Record<string, unknown>, 'request', request)}}`;
			}
			default:
				return JSON.stringify(operation);
		}
	}

	private apply(operation: Operation): void {
		switch (operation.op) {
			case 'meta':
				this.meta = operation.meta;
				return;
			case 'webhook':
				this.putWebhookRecord(operation.record);
				return;
			case 'webhook-update': {
				const current = this.webhooks.get(operation.id);
				if (!current) return;
				this.putWebhookRecord({ ...current, ...operation.changes });
				if (operation.changes.enabled === true) this.unpark(operation.id);
				return;
			}
			case 'webhook-delete': {
				const current = this.webhooks.get(operation.id);
				if (current) this.webhookNames.delete(nameKey(current.name));
				this.webhooks.delete(operation.id);
				this.parked.delete(operation.id);
				this.failPendingOf(operation.id, operation.at ?? new Date().toISOString());
				return;
			}
			case 'profile':
				this.putProfileRecord(operation.record);
				return;
			case 'profile-update': {
				const current = this.profiles.get(operation.id);
				if (current) this.putProfileRecord({ ...current, ...operation.changes });
				return;
			}
			case 'profile-delete': {
				const current = this.profiles.get(operation.id);
				if (current) this.profileNames.delete(nameKey(current.name));
				this.profiles.delete(operation.id);
				return;
			}
			case 'event':
				this.events.setHot(operation.event, Date.parse(operation.event.receivedAt));
				for (const delivery of operation.deliveries) this.deliveries.upsertHot(delivery);
				return;
			case 'attempt': {
				// Records are replaced, never changed in place: a compaction serialises the ones it
				// captured while later operations go on (see runCompaction).
				const { update } = operation;
				const delivery = this.deliveries.hotRecord(this.deliveries.find(update.deliveryId));
				if (!delivery || delivery.status !== 'pending') return;
				const attempts = [...delivery.attempts, update.attempt];
				this.deliveries.upsertHot({
					...delivery,
					attempts,
					attemptCount: attempts.length,
					lastAttemptAt: update.attempt.at,
					responseCode: update.attempt.statusCode,
					nextAttemptAt: update.nextAttemptAt,
					request: update.request,
					status: update.status,
				});
				if (update.status !== 'pending') this.finishedSinceCompaction.add(delivery.id);
				return;
			}
			case 'requeue':
				for (const id of operation.ids) {
					const delivery = this.deliveries.hotRecord(this.deliveries.find(id));
					if (!delivery || delivery.status === 'pending') continue;
					this.deliveries.upsertHot({ ...delivery, nextAttemptAt: operation.at, status: 'pending' });
					this.finishedSinceCompaction.delete(id);
				}
				return;
			case 'source': {
				// The counters stay as stored (countSourceRequest owns them), as in the port's contract.
				const current = this.sources.get(operation.record.id);
				this.sources.set(operation.record.id, current ? { ...operation.record, stats: current.stats } : operation.record);
				return;
			}
			case 'source-delete':
				this.sources.delete(operation.id);
				return;
			case 'source-stats': {
				const source = this.sources.get(operation.id);
				if (source) this.sources.set(source.id, { ...source, stats: operation.stats });
				return;
			}
			case 'source-count': {
				const source = this.sources.get(operation.id);
				if (source) this.sources.set(source.id, { ...source, stats: countedStats(source.stats, operation.count) });
				return;
			}
			case 'device-status':
				this.deviceStatuses.set(operation.key, operation.record);
				return;
		}
	}

	/** Deleting a webhook fails its pending deliveries (nothing could send them any more). */
	private failPendingOf(webhookId: string, at: string): void {
		const pending = [...this.deliveries.hotRecords()].filter((d) => d.webhookId === webhookId && d.status === 'pending');
		for (const delivery of pending) {
			const attempts = [...delivery.attempts, { at, statusCode: null, durationMs: 0, error: 'webhook deleted', response: null }];
			this.deliveries.upsertHot({
				...delivery,
				attempts,
				attemptCount: attempts.length,
				lastAttemptAt: at,
				responseCode: null,
				nextAttemptAt: null,
				status: 'failed',
			});
			this.finishedSinceCompaction.add(delivery.id);
		}
	}

	private unpark(webhookId: string): void {
		const parked = this.parked.get(webhookId);
		if (!parked) return;
		this.parked.delete(webhookId);
		const now = Date.now();
		for (const id of parked) this.enqueue(id, now);
		this.wake();
	}

	/**
	 * Moves finished work to the archive and rewrites the snapshot with what is still hot, then
	 * drops the journals it covers. New operations go to a fresh journal generation from the
	 * moment the state is captured, so nothing written during compaction can be lost.
	 */
	compact(): Promise<void> {
		this.compacting ??= this.runCompaction().finally(() => {
			this.compacting = null;
		});
		return this.compacting;
	}

	private async runCompaction(): Promise<void> {
		const previous = this.journal;
		if (!previous) return;
		const next = this.journalOf(this.generation + 1);
		await next.open();

		// New commits wait while the previous journal's writes finish (and are applied, or fail),
		// so the state captured below holds exactly what that journal and the older ones hold.
		let switched = () => {};
		this.switching = new Promise<void>((resolve) => (switched = resolve));
		try {
			await previous.drain();
		} finally {
			this.switching = null;
			switched();
		}

		// Synchronous from here to the capture: the captured state and the journal boundary agree.
		this.generation += 1;
		this.journal = next;
		const finished: DeliveryRecord[] = [];
		const pending: DeliveryRecord[] = [];
		const idle: number[] = [];
		for (const delivery of this.deliveries.hotRecords()) {
			if (delivery.status === 'pending') pending.push(delivery);
			else if (this.finishedSinceCompaction.has(delivery.id)) finished.push(delivery);
			else idle.push(this.deliveries.find(delivery.id));
		}
		// Loaded for a requeue that did not happen: their archived copy is current.
		for (const slot of idle) if (this.deliveries.location(slot) !== null) this.deliveries.dropHot(slot);
		const hotEventIds = new Set(pending.map((d) => d.eventId));
		const archivedEvents: EventRecord[] = [];
		const hotEvents: EventRecord[] = [];
		for (const event of this.events.hotRecords()) {
			if (hotEventIds.has(event.id)) hotEvents.push(event);
			else archivedEvents.push(event);
		}
		// References, not copies: `apply` replaces records instead of changing them, so what is
		// captured here stays as it is while the serialising below yields to new requests.
		const data: SnapshotData = {
			version: 1,
			journalGeneration: this.generation,
			meta: this.meta,
			webhooks: [...this.webhooks.values()],
			profiles: [...this.profiles.values()],
			events: hotEvents,
			deliveries: pending,
			sources: [...this.sources.values()],
			deviceStatuses: Object.fromEntries(this.deviceStatuses),
		};
		this.finishedSinceCompaction.clear();

		let appended;
		try {
			const lines = await Archive.linesInSlices(archivedEvents, finished, this.jsonText);
			appended = await this.archive.append(lines, new Date().toISOString().slice(0, 10), this.deliveries);
		} catch (error) {
			// Nothing is lost: the journals since the last snapshot stay and are replayed at the
			// next start; the next compaction archives these records again (a later line wins).
			for (const delivery of finished) this.finishedSinceCompaction.add(delivery.id);
			await previous.close();
			throw error;
		}
		for (const entry of appended) {
			const location = { file: entry.file, offset: entry.offset, length: entry.length };
			if (entry.kind === 'd') {
				const slot = this.deliveries.find(entry.record.id);
				// Changed meanwhile (re-queued): the newer record stays hot; its later line will win.
				if (slot >= 0 && this.deliveries.hotRecord(slot) === entry.record) this.deliveries.setArchived(slot, location);
			} else {
				const slot = this.events.find(entry.record.id);
				const event = entry.record as EventRecord;
				const stillNeeded = event.deliveries.some((ref) => {
					const d = this.deliveries.find(ref.id);
					return d >= 0 && this.deliveries.statusOf(d) === STATUS_CODES.pending;
				});
				if (slot >= 0 && this.events.hotRecord(slot) === event && !stillNeeded) this.events.setArchived(slot, location);
			}
		}
		try {
			await this.snapshot.write(data);
		} catch (error) {
			// The archive has the finished records now; the snapshot and journals are as before.
			await previous.close();
			throw error;
		}
		await previous.close();
		// Every journal older than this snapshot, also one a failed compaction left behind.
		for (const generation of await this.journalGenerations()) {
			if (generation < data.journalGeneration) await this.files.remove(this.journalPath(generation));
		}
	}

	private journalOf(generation: number): Journal {
		return new Journal(this.journalPath(generation), this.sync, this.files);
	}

	private journalPath(generation: number): string {
		return `${this.options.file}.journal.${generation}`;
	}

	private async journalGenerations(): Promise<number[]> {
		const dir = path.dirname(this.options.file);
		const prefix = path.basename(this.options.file);
		const names = await this.files.list(dir);
		return names
			.filter((name) => name.startsWith(prefix))
			.map((name) => JOURNAL_FILE.exec(name)?.[1])
			.filter((g): g is string => g !== undefined)
			.map(Number)
			.sort((a, b) => a - b);
	}
}

function dueMs(delivery: DeliveryRecord): number {
	return delivery.nextAttemptAt ? Date.parse(delivery.nextAttemptAt) : Date.now();
}

/** The same filter as DeliveryIndex, on one record (the `requestId` lookup). */
function matchesFilter(delivery: DeliveryRecord, filter: DeliveryFilter): boolean {
	if (filter.webhookId !== undefined && delivery.webhookId !== filter.webhookId) return false;
	if (filter.profileId !== undefined && delivery.profileId !== filter.profileId) return false;
	if (filter.eventType !== undefined && delivery.eventType !== filter.eventType) return false;
	if (filter.status !== undefined && delivery.status !== filter.status) return false;
	if (filter.responseCode !== undefined && delivery.responseCode !== filter.responseCode) return false;
	if (filter.requestId !== undefined && delivery.id !== filter.requestId) return false;
	if (filter.eventId !== undefined && delivery.eventId !== filter.eventId) return false;
	if (filter.from !== undefined && delivery.createdAt < filter.from) return false;
	if (filter.to !== undefined && delivery.createdAt > filter.to) return false;
	return true;
}

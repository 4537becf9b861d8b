/**
 * The embedded default store. Everything lives in memory and is made durable in three files:
 *  - `<data>`: the lowdb snapshot (config + hot state), rewritten only at compaction;
 *  - `<data>.journal.<generation>`: an append-only, group-committed log of every operation since;
 *  - `<data>.logs/<day>.jsonl`: the archive of finished deliveries and their events.
 * Every mutation goes through `apply`, both live and when a journal is replayed after a crash, so
 * the two cannot drift apart. Live, `apply` runs only once the operation's journal line is on
 * disk: a write that fails leaves nothing in memory, so no answer can say "stored" untruly.
 */
import path from 'node:path';
import { DeliveryIndex } from '../deliveryIndex';
import { StoreCorruptError, UnstorableRecordError } from '../errors';
import type {
	AttemptUpdate,
	DeliveryFilter,
	DeliveryPage,
	DeliveryRecord,
	DeliverySummary,
	DeviceStatusRecord,
	EventRecord,
	ProfileRecord,
	SourceRecord,
	SourceStats,
	Store,
	StoreMeta,
	WebhookRecord,
} from '../types';
import { Archive } from './archive';
import { DIR_MODE, type StoreFiles, diskFiles } from './files';
import { Journal } from './journal';
import { JsonText, stringifyWithLast } from './jsonText';
import { Snapshot, type SnapshotData, emptySnapshot } from './snapshot';

type Operation =
	| { op: 'meta'; meta: StoreMeta }
	| { op: 'webhook'; record: WebhookRecord }
	| { op: 'webhook-delete'; id: string }
	| { op: 'profile'; record: ProfileRecord }
	| { op: 'profile-delete'; id: string }
	| { op: 'event'; event: EventRecord; deliveries: DeliveryRecord[] }
	| { op: 'attempt'; update: AttemptUpdate }
	| { op: 'requeue'; ids: string[]; at: string }
	| { op: 'source'; record: SourceRecord }
	| { op: 'source-delete'; id: string }
	| { op: 'source-stats'; id: string; stats: SourceStats }
	| { op: 'device-status'; key: string; record: DeviceStatusRecord };

/** Operations whose loss in a crash costs little: written with the next ordinary write. */
const DEFERRABLE: ReadonlySet<Operation['op']> = new Set(['attempt', 'source-stats', 'device-status']);

export interface LowdbStoreOptions {
	/** Path of the lowdb snapshot; the journal and the archive sit beside it. */
	file: string;
	/** Compact once the journal holds this many bytes. */
	compactAfterBytes?: number;
	/** fdatasync each group commit (turn off only for throwaway tests). */
	sync?: boolean;
	/** The file layer (tests pass one that makes real writes fail). */
	files?: StoreFiles;
}

/** Appended to every refusal to open: what the operator can do. */
const REFUSAL_ADVICE =
	'refusing to start over existing data: restore the file from a backup, or move the data folder away to start empty';

const JOURNAL_FILE = /\.journal\.(\d+)$/;

export class LowdbStore implements Store {
	private meta: StoreMeta = { apiKeyHash: null };
	private readonly webhooks = new Map<string, WebhookRecord>();
	private readonly profiles = new Map<string, ProfileRecord>();
	private readonly sources = new Map<string, SourceRecord>();
	private readonly deviceStatuses = new Map<string, DeviceStatusRecord>();
	private readonly events = new Map<string, EventRecord>();
	private readonly deliveries = new DeliveryIndex();
	/** Finished since the last compaction: go to the archive at the next one. */
	private readonly finishedSinceCompaction = new Set<string>();
	/** Events not in the archive yet (the snapshot or the journal holds them). */
	private readonly eventsOutsideArchive = new Set<string>();

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
		this.archive = new Archive(`${options.file}.logs`, this.sync, this.files);
		this.compactAfterBytes = options.compactAfterBytes ?? 16 * 1024 * 1024;
	}

	/**
	 * Loads the archive, the snapshot and the journals. Refuses (`StoreCorruptError`, naming the
	 * file and the fault) to open a folder it cannot read whole, rather than start empty over it.
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

		const archived = await this.archive.load();
		for (const event of archived.events) this.events.set(event.id, event);
		for (const delivery of archived.deliveries) this.deliveries.upsert(delivery);

		this.meta = data.meta;
		for (const webhook of data.webhooks) this.webhooks.set(webhook.id, webhook);
		for (const profile of data.profiles) this.profiles.set(profile.id, profile);
		for (const source of data.sources ?? []) this.sources.set(source.id, source);
		for (const [key, record] of Object.entries(data.deviceStatuses ?? {})) this.deviceStatuses.set(key, record);
		for (const event of data.events) {
			this.events.set(event.id, event);
			this.eventsOutsideArchive.add(event.id);
		}
		for (const delivery of data.deliveries) this.deliveries.upsert(delivery);

		this.generation = data.journalGeneration;
		for (const generation of generations) {
			const journal = this.journalOf(generation);
			if (generation < data.journalGeneration) {
				await journal.remove(); // left over from a compaction cut short after its snapshot
				continue;
			}
			// A torn tail is cut off here, so what is appended next starts on a line of its own.
			for (const operation of await journal.recover()) this.apply(operation as Operation);
			this.generation = Math.max(this.generation, generation);
		}
		this.deliveries.sortByCreation();
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
			throw new Error(`the final compaction failed, nothing is lost (the journals are replayed at the next start): ${(error as Error).message}`, { cause: error });
		} finally {
			// Even when the compaction failed (a full disk) nothing is lost: the journals stay.
			await this.journal?.close();
			this.journal = null;
		}
	}

	getMeta(): StoreMeta {
		return this.meta;
	}

	setMeta(meta: StoreMeta): Promise<void> {
		return this.commit({ op: 'meta', meta });
	}

	listWebhooks(): WebhookRecord[] {
		return [...this.webhooks.values()];
	}

	getWebhook(id: string): WebhookRecord | undefined {
		return this.webhooks.get(id);
	}

	putWebhook(record: WebhookRecord): Promise<void> {
		return this.commit({ op: 'webhook', record });
	}

	deleteWebhook(id: string): Promise<void> {
		return this.commit({ op: 'webhook-delete', id });
	}

	listProfiles(): ProfileRecord[] {
		return [...this.profiles.values()];
	}

	getProfile(id: string): ProfileRecord | undefined {
		return this.profiles.get(id);
	}

	putProfile(record: ProfileRecord): Promise<void> {
		return this.commit({ op: 'profile', record });
	}

	deleteProfile(id: string): Promise<void> {
		return this.commit({ op: 'profile-delete', id });
	}

	getEvent(id: string): EventRecord | undefined {
		return this.events.get(id);
	}

	acceptEvent(event: EventRecord, deliveries: DeliveryRecord[]): Promise<void> {
		return this.commit({ op: 'event', event, deliveries });
	}

	getDelivery(id: string): DeliveryRecord | undefined {
		return this.deliveries.get(id);
	}

	queryDeliveries(filter: DeliveryFilter, limit: number, cursor: string | null): DeliveryPage {
		return this.deliveries.query(filter, limit, cursor);
	}

	summarizeDeliveries(filter: DeliveryFilter): DeliverySummary {
		return this.deliveries.summarize(filter);
	}

	listPendingDeliveries(): DeliveryRecord[] {
		return this.deliveries.pending();
	}

	recordAttempt(update: AttemptUpdate): Promise<void> {
		return this.commit({ op: 'attempt', update });
	}

	async requeueDeliveries(ids: string[], at: string): Promise<DeliveryRecord[]> {
		const requeued = ids
			.map((id) => this.deliveries.get(id))
			.filter((d): d is DeliveryRecord => d !== undefined && d.status !== 'pending');
		if (requeued.length === 0) return [];
		await this.commit({ op: 'requeue', ids: requeued.map((d) => d.id), at });
		return requeued;
	}

	async prune(before: string): Promise<void> {
		const removed = this.deliveries.removeFinishedBefore(before);
		for (const delivery of removed) this.finishedSinceCompaction.delete(delivery.id);
		for (const [id, event] of this.events) {
			if (event.receivedAt >= before) continue;
			if (event.deliveries.some((ref) => this.deliveries.get(ref.id))) continue;
			this.events.delete(id);
			this.eventsOutsideArchive.delete(id);
		}
		await this.archive.pruneBefore(before.slice(0, 10));
	}

	listSources(): SourceRecord[] {
		return [...this.sources.values()];
	}

	getSource(id: string): SourceRecord | undefined {
		return this.sources.get(id);
	}

	putSource(record: SourceRecord): Promise<void> {
		return this.commit({ op: 'source', record });
	}

	deleteSource(id: string): Promise<void> {
		return this.commit({ op: 'source-delete', id });
	}

	recordSourceStats(id: string, stats: SourceStats): Promise<void> {
		return this.commit({ op: 'source-stats', id, stats });
	}

	getDeviceStatus(key: string): DeviceStatusRecord | undefined {
		return this.deviceStatuses.get(key);
	}

	putDeviceStatus(key: string, record: DeviceStatusRecord): Promise<void> {
		return this.commit({ op: 'device-status', key, record });
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
		await this.journal.appendLines([line], DEFERRABLE.has(operation.op));
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
				this.webhooks.set(operation.record.id, operation.record);
				return;
			case 'webhook-delete':
				this.webhooks.delete(operation.id);
				return;
			case 'profile':
				this.profiles.set(operation.record.id, operation.record);
				return;
			case 'profile-delete':
				this.profiles.delete(operation.id);
				return;
			case 'event':
				this.events.set(operation.event.id, operation.event);
				this.eventsOutsideArchive.add(operation.event.id);
				for (const delivery of operation.deliveries) this.deliveries.upsert(delivery);
				return;
			case 'attempt': {
				// Records are replaced, never changed in place: a compaction serialises the ones it
				// captured while later operations go on (see runCompaction).
				const { update } = operation;
				const delivery = this.deliveries.get(update.deliveryId);
				if (!delivery) return;
				const attempts = [...delivery.attempts, update.attempt];
				this.deliveries.upsert({
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
					const delivery = this.deliveries.get(id);
					if (!delivery) continue;
					this.deliveries.upsert({ ...delivery, nextAttemptAt: operation.at, status: 'pending' });
					this.finishedSinceCompaction.delete(id);
				}
				return;
			case 'source':
				this.sources.set(operation.record.id, operation.record);
				return;
			case 'source-delete':
				this.sources.delete(operation.id);
				return;
			case 'source-stats': {
				const source = this.sources.get(operation.id);
				if (source) this.sources.set(source.id, { ...source, stats: operation.stats });
				return;
			}
			case 'device-status':
				this.deviceStatuses.set(operation.key, operation.record);
				return;
		}
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
		const finishedDeliveries = [...this.finishedSinceCompaction]
			.map((id) => this.deliveries.get(id))
			.filter((d): d is DeliveryRecord => d !== undefined && d.status !== 'pending');
		const pending = this.deliveries.pending();
		const hotEventIds = new Set(pending.map((d) => d.eventId));
		const archivedEvents: EventRecord[] = [];
		const hotEvents: EventRecord[] = [];
		for (const id of this.eventsOutsideArchive) {
			const event = this.events.get(id);
			if (!event) continue;
			if (hotEventIds.has(id)) continue;
			archivedEvents.push(event);
		}
		for (const id of hotEventIds) {
			const event = this.events.get(id);
			if (event) hotEvents.push(event);
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
		for (const event of archivedEvents) this.eventsOutsideArchive.delete(event.id);
		for (const id of hotEventIds) this.eventsOutsideArchive.add(id);

		try {
			const archiveText = await Archive.serializeInSlices(archivedEvents, finishedDeliveries, this.jsonText);
			await this.archive.append(archiveText, new Date().toISOString().slice(0, 10));
			await this.snapshot.write(data);
		} catch (error) {
			// Nothing is lost: the journals since the last snapshot stay and are replayed at the
			// next start. The next compaction archives these records again (a later line wins).
			for (const delivery of finishedDeliveries) this.finishedSinceCompaction.add(delivery.id);
			for (const event of archivedEvents) this.eventsOutsideArchive.add(event.id);
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

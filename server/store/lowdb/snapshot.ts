/**
 * The lowdb document at `DISPATCHER_DATA`: configuration plus the hot state (events with pending
 * deliveries). Rewritten only at compaction, so it stays small whatever the size of the log.
 *
 * `SnapshotFile` is the lowdb adapter that reads and writes it: compact JSON (its size grows with
 * the data, not with the square of its depth as indented JSON does), written to a temp file that
 * is fsync'ed, renamed over the old one, and the directory fsync'ed, so the file is always either
 * the old snapshot or the new one, also after a power loss. Reading refuses anything that is not a
 * snapshot (`null`, `{}`, truncated JSON) with a `StoreCorruptError` naming the file and the fault,
 * rather than handing back an empty document that would start the dispatcher over its data.
 */
import path from 'node:path';
import { type Adapter, Low } from 'lowdb';
import { StoreCorruptError, storageError } from '../errors';
import type {
	DeliveryRecord,
	DeviceStatusRecord,
	EventRecord,
	ProfileRecord,
	SourceRecord,
	StoreMeta,
	WebhookRecord,
} from '../types';
import { type StoreFiles, diskFiles, writeFully } from './files';
import { type JsonText, stringifyAtAnyDepth } from './jsonText';

export interface SnapshotData {
	version: 1;
	/** The first journal generation whose operations are not in this snapshot. */
	journalGeneration: number;
	meta: StoreMeta;
	webhooks: WebhookRecord[];
	profiles: ProfileRecord[];
	events: EventRecord[];
	deliveries: DeliveryRecord[];
	/** Ingest sources (absent in snapshots written before they existed). */
	sources?: SourceRecord[];
	/** Last device statuses by `<vendor>:<device id>` (absent before they existed). */
	deviceStatuses?: Record<string, DeviceStatusRecord>;
}

/** The collections of a snapshot: arrays of records with a string `id`. */
const COLLECTIONS = ['webhooks', 'profiles', 'events', 'deliveries'] as const;

export function emptySnapshot(): SnapshotData {
	return {
		version: 1,
		journalGeneration: 0,
		meta: { apiKeyHash: null },
		webhooks: [],
		profiles: [],
		events: [],
		deliveries: [],
	};
}

/** What is wrong with `value` as a snapshot, or null when it is one. */
function snapshotFault(value: unknown): string | null {
	if (value === null || typeof value !== 'object' || Array.isArray(value)) {
		return `holds ${value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`}, not a snapshot object`;
	}
	const data = value as Record<string, unknown>;
	if (data.version === undefined) return 'has no `version` (expected 1)';
	if (data.version !== 1) return `has version ${JSON.stringify(data.version)}, expected 1`;
	const generation = data.journalGeneration;
	if (typeof generation !== 'number' || !Number.isSafeInteger(generation) || generation < 0) {
		return '`journalGeneration` is missing or not a whole number';
	}
	const meta = data.meta as Record<string, unknown> | null | undefined;
	if (meta === null || typeof meta !== 'object' || (meta.apiKeyHash !== null && typeof meta.apiKeyHash !== 'string')) {
		return '`meta` is missing or has no `apiKeyHash`';
	}
	for (const name of COLLECTIONS) {
		const records = data[name];
		if (!Array.isArray(records)) return `\`${name}\` is missing or not an array`;
		const index = records.findIndex((record) => typeof (record as { id?: unknown } | null)?.id !== 'string');
		if (index !== -1) return `\`${name}[${index}]\` is not a record with an id`;
	}
	// Written since ingest sources exist; absent in older snapshots.
	if (data.sources !== undefined && !Array.isArray(data.sources)) return '`sources` is not an array';
	const statuses = data.deviceStatuses;
	if (statuses !== undefined && (statuses === null || typeof statuses !== 'object' || Array.isArray(statuses))) {
		return '`deviceStatuses` is not an object';
	}
	return null;
}

/** The snapshot's JSON, a slice of records at a time so a large one does not hold up requests. */
async function serialize(data: SnapshotData, texts: JsonText, slice = 256): Promise<string> {
	const parts: string[] = [];
	let done = 0;
	for (const [key, value] of Object.entries(data)) {
		parts.push(parts.length === 0 ? '{' : ',', JSON.stringify(key), ':');
		if (!Array.isArray(value)) {
			parts.push(JSON.stringify(value));
			continue;
		}
		parts.push('[');
		for (let index = 0; index < value.length; index++) {
			if (index > 0) parts.push(',');
			// Events are the one record that can nest deeply; their texts are often cached already.
			parts.push(key === 'events' ? texts.peek(value[index] as object) : stringifyAtAnyDepth(value[index] as object));
			if (++done % slice === 0) await new Promise<void>((resolve) => setImmediate(resolve));
		}
		parts.push(']');
	}
	parts.push('}');
	return parts.join('');
}

class SnapshotFile implements Adapter<SnapshotData> {
	/** Whether the last `read` found a file. */
	found = false;

	constructor(
		readonly path: string,
		private readonly texts: JsonText,
		private readonly sync: boolean = true,
		private readonly files: StoreFiles = diskFiles,
	) {}

	get tempPath(): string {
		return `${this.path}.tmp`;
	}

	/** The snapshot, or null when there is no file; throws `StoreCorruptError` when it is not one. */
	async read(): Promise<SnapshotData | null> {
		const bytes = await this.files.read(this.path);
		this.found = bytes !== null;
		if (bytes === null) return null;
		let value: unknown;
		try {
			value = JSON.parse(bytes.toString('utf8'));
		} catch (error) {
			const what = bytes.length === 0 ? 'is empty' : `is not valid JSON (${(error as Error).message})`;
			throw new StoreCorruptError(`snapshot ${this.path} ${what}`);
		}
		const fault = snapshotFault(value);
		if (fault !== null) throw new StoreCorruptError(`snapshot ${this.path} ${fault}`);
		return value as SnapshotData;
	}

	async write(data: SnapshotData): Promise<void> {
		const text = Buffer.from(await serialize(data, this.texts));
		const temp = this.tempPath;
		try {
			const file = await this.files.open(temp, 'w');
			try {
				await writeFully(file, text);
				if (this.sync) await file.sync();
			} finally {
				await file.close();
			}
			await this.files.rename(temp, this.path);
			if (this.sync) await this.files.syncDir(path.dirname(this.path));
		} catch (error) {
			await this.files.remove(temp).catch(() => undefined);
			throw storageError(`writing snapshot ${this.path}`, error);
		}
	}
}

export class Snapshot {
	private readonly file: SnapshotFile;
	private readonly db: Low<SnapshotData>;

	constructor(file: string, texts: JsonText, sync = true, files: StoreFiles = diskFiles) {
		this.file = new SnapshotFile(file, texts, sync, files);
		this.db = new Low<SnapshotData>(this.file, emptySnapshot());
	}

	get path(): string {
		return this.file.path;
	}

	get tempPath(): string {
		return this.file.tempPath;
	}

	/** The stored snapshot, or null when there is none yet. */
	async read(): Promise<SnapshotData | null> {
		await this.db.read();
		return this.file.found ? this.db.data : null;
	}

	async write(data: SnapshotData): Promise<void> {
		this.db.data = data;
		await this.db.write();
	}
}

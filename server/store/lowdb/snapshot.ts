/**
 * The lowdb document at `DISPATCHER_DATA`: configuration plus the hot state (events with pending
 * deliveries). Rewritten only at compaction, so it stays small whatever the size of the log.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { Low } from 'lowdb';
import { JSONFile } from 'lowdb/node';
import type {
	DeliveryRecord,
	DeviceStatusRecord,
	EventRecord,
	ProfileRecord,
	SourceRecord,
	StoreMeta,
	WebhookRecord,
} from '../types';

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

export class Snapshot {
	private readonly db: Low<SnapshotData>;

	constructor(
		readonly path: string,
		private readonly sync: boolean = true,
	) {
		this.db = new Low<SnapshotData>(new JSONFile<SnapshotData>(path), emptySnapshot());
	}

	async read(): Promise<SnapshotData> {
		await this.db.read();
		return this.db.data;
	}

	/**
	 * Atomic: lowdb's writer goes through a temp file and a rename. With `sync`, the file and its
	 * directory are then flushed, so the journals this snapshot replaces may be deleted safely
	 * even across a power loss.
	 */
	async write(data: SnapshotData): Promise<void> {
		this.db.data = data;
		await this.db.write();
		if (!this.sync) return;
		for (const target of [this.path, path.dirname(this.path)]) {
			const handle = await fs.open(target, 'r');
			try {
				await handle.sync();
			} finally {
				await handle.close();
			}
		}
	}
}

/**
 * The config store port: webhooks, alert profiles, ingest sources (with their counters and the
 * devices' last statuses) and meta (the admin key's hash). Updates are
 * narrow: `updateWebhook` writes only the fields it is given, and the worker's health changes
 * (`disableWebhook`, `markFailing`, `clearFailing`) touch only their own fields, so a PATCH that
 * awaited DNS cannot overwrite a 410-disable recorded meanwhile. Names are unique (trimmed,
 * case-insensitive) by the store's own rule, not by callers scanning the list.
 */
import type {
	DeviceStatusRecord,
	DisabledReason,
	ProfileRecord,
	SourceCount,
	SourceRecord,
	StoreMeta,
	WebhookRecord,
} from '../../domain/records';

/** Fields a webhook update may change (id and createdAt never change). */
export type WebhookChanges = Partial<Omit<WebhookRecord, 'id' | 'createdAt'>>;
export type ProfileChanges = Partial<Omit<ProfileRecord, 'id' | 'createdAt'>>;

/** What changed; sent to listeners of this instance and, with a shared backend, of every other. */
export interface ConfigChange {
	kind: 'webhook' | 'profile' | 'source' | 'meta';
	id: string;
}

export interface ConfigStore {
	getMeta(): Promise<StoreMeta>;
	setApiKeyHash(hash: string): Promise<void>;

	listWebhooks(): Promise<WebhookRecord[]>;
	getWebhook(id: string): Promise<WebhookRecord | undefined>;
	/** Throws ConflictError (`/name`) when another webhook has the name. */
	createWebhook(record: WebhookRecord): Promise<void>;
	/** Writes only `changes`; returns the record as stored. NotFoundError, ConflictError. */
	updateWebhook(id: string, changes: WebhookChanges): Promise<WebhookRecord>;
	/** Deletes it and fails its pending deliveries in the same commit. NotFoundError. */
	deleteWebhook(id: string): Promise<void>;
	/** `enabled: false` with the dispatcher's reason (410 Gone, five days failing). */
	disableWebhook(id: string, reason: DisabledReason, at: string): Promise<void>;
	/** Starts a failing streak at `since` unless one runs; returns the streak's start (null: no such webhook). */
	markFailing(id: string, since: string): Promise<string | null>;
	clearFailing(id: string): Promise<void>;

	listProfiles(): Promise<ProfileRecord[]>;
	getProfile(id: string): Promise<ProfileRecord | undefined>;
	createProfile(record: ProfileRecord): Promise<void>;
	updateProfile(id: string, changes: ProfileChanges): Promise<ProfileRecord>;
	deleteProfile(id: string): Promise<void>;

	listSources(): Promise<SourceRecord[]>;
	getSource(id: string): Promise<SourceRecord | undefined>;
	/** Creates or replaces a source's configuration (its counters stay as stored). ConflictError on the name. */
	putSource(record: SourceRecord): Promise<void>;
	deleteSource(id: string): Promise<void>;
	/**
	 * Adds one request's outcome to a source's counters, as an increment (concurrent requests all
	 * count); losing the last ones in a crash is acceptable (no sync of its own).
	 */
	countSourceRequest(id: string, count: SourceCount): Promise<void>;
	/** Keyed `<vendor>:<device id>`. */
	getDeviceStatus(key: string): Promise<DeviceStatusRecord | undefined>;
	/** Like `countSourceRequest`, written without a sync of its own. */
	putDeviceStatus(key: string, record: DeviceStatusRecord): Promise<void>;

	/** Calls `listener` after every committed change, local or (shared backends) remote. */
	onChange(listener: (change: ConfigChange) => void): () => void;
}

/**
 * The store seam: everything the HTTP API and the delivery engine persist goes through `Store`.
 * lowdb (`./lowdb/`) is the embedded default; a shared backend (PostgreSQL, Redis) implements the
 * same interface so that several dispatchers can share one queue.
 */
import type {
	DestinationAuth,
	HttpMethod,
	JsonObject,
	SigningSchemeName,
	TemplateName,
} from '../../core/types';

export interface SigningConfig {
	scheme: SigningSchemeName;
	/** Current secret (empty for scheme `none`). */
	secret: string;
	/** The secret replaced by the last rotation, still signing until `previousSecretExpiresAt`. */
	previousSecret?: string;
	previousSecretExpiresAt?: string;
}

export type DisabledReason = 'manual' | 'gone' | 'failing';

export interface WebhookRecord {
	id: string;
	name: string;
	description: string;
	template: TemplateName;
	url: string;
	method: HttpMethod;
	timeoutSeconds: number;
	enabled: boolean;
	/** Why `enabled` is false when the dispatcher turned it off (410, five days of failures). */
	disabledReason: DisabledReason | null;
	auth: DestinationAuth;
	signing: SigningConfig;
	headers: Record<string, string>;
	/**
	 * Custom header names whose values are not secret and show in answers and logs; every other
	 * custom header value is masked. Absent in webhooks stored before this field existed (= none).
	 */
	nonSecretHeaders?: string[];
	/** Event types (or wildcards) this webhook subscribes to directly. */
	events: string[];
	rateLimitPerSecond: number | null;
	/** Start of the current run of failed deliveries (null after any success). */
	failingSince: string | null;
	createdAt: string;
	updatedAt: string;
}

export interface ProfileRecord {
	id: string;
	name: string;
	description: string;
	events: string[];
	condition: string | null;
	webhookIds: string[];
	payload: string | null;
	enabled: boolean;
	createdAt: string;
	updatedAt: string;
}

export interface DeliveryRef {
	id: string;
	webhookId: string;
	profileId: string | null;
}

export interface EventRecord {
	id: string;
	type: string;
	timestamp: string;
	data: JsonObject;
	receivedAt: string;
	deliveries: DeliveryRef[];
}

export type DeliveryStatus = 'pending' | 'succeeded' | 'failed';

export interface AttemptRecord {
	at: string;
	statusCode: number | null;
	durationMs: number;
	error: string | null;
	/** Response body, at most 4 KiB. */
	response: string | null;
}

/** The request as sent, with secrets masked and the body cut at 64 KiB. */
export interface SentRequest {
	method: string;
	url: string;
	headers: Record<string, string>;
	body: string;
	/** Set when `body` was cut to what is stored: the request sent the whole body. */
	bodyTruncated?: true;
	/** Size in bytes of the body sent (set with `bodyTruncated`). */
	bodyBytes?: number;
}

export interface DeliveryRecord {
	id: string;
	eventId: string;
	eventType: string;
	webhookId: string;
	profileId: string | null;
	status: DeliveryStatus;
	responseCode: number | null;
	attemptCount: number;
	createdAt: string;
	lastAttemptAt: string | null;
	nextAttemptAt: string | null;
	attempts: AttemptRecord[];
	request: SentRequest | null;
}

/** What changes on a delivery after one attempt. */
export interface AttemptUpdate {
	deliveryId: string;
	attempt: AttemptRecord;
	status: DeliveryStatus;
	nextAttemptAt: string | null;
	request: SentRequest;
}

export interface DeliveryFilter {
	webhookId?: string;
	profileId?: string;
	eventType?: string;
	status?: DeliveryStatus;
	responseCode?: number;
	requestId?: string;
	/** ISO timestamps bounding `createdAt` (inclusive). */
	from?: string;
	to?: string;
}

/** A delivery-log cursor that does not point into the log (made up, or its delivery was pruned). */
export class InvalidCursorError extends Error {
	constructor() {
		super('cursor does not point into the delivery log (start again without a cursor)');
	}
}

export interface DeliveryPage {
	data: DeliveryRecord[];
	nextCursor: string | null;
}

export interface DeliverySummary {
	total: number;
	succeeded: number;
	failed: number;
	pending: number;
}

export interface StoreMeta {
	/** sha256 (hex) of the admin API key. */
	apiKeyHash: string | null;
}

export interface Store {
	open(): Promise<void>;
	/** Flushes pending writes and releases files. */
	close(): Promise<void>;

	getMeta(): StoreMeta;
	setMeta(meta: StoreMeta): Promise<void>;

	listWebhooks(): WebhookRecord[];
	getWebhook(id: string): WebhookRecord | undefined;
	putWebhook(webhook: WebhookRecord): Promise<void>;
	deleteWebhook(id: string): Promise<void>;

	listProfiles(): ProfileRecord[];
	getProfile(id: string): ProfileRecord | undefined;
	putProfile(profile: ProfileRecord): Promise<void>;
	deleteProfile(id: string): Promise<void>;

	getEvent(id: string): EventRecord | undefined;
	/** Resolves once the event and its pending deliveries are durably written. */
	acceptEvent(event: EventRecord, deliveries: DeliveryRecord[]): Promise<void>;

	getDelivery(id: string): DeliveryRecord | undefined;
	/** Newest first; throws `InvalidCursorError` for a cursor that points nowhere. */
	queryDeliveries(filter: DeliveryFilter, limit: number, cursor: string | null): DeliveryPage;
	summarizeDeliveries(filter: DeliveryFilter): DeliverySummary;
	/** Every delivery still pending (the queue), oldest first. */
	listPendingDeliveries(): DeliveryRecord[];
	recordAttempt(update: AttemptUpdate): Promise<void>;
	/** Puts finished deliveries back in the queue (replay); returns the ones re-queued. */
	requeueDeliveries(ids: string[], at: string): Promise<DeliveryRecord[]>;

	/** Drops finished deliveries and events older than `before`. */
	prune(before: string): Promise<void>;
}

/**
 * The records the dispatcher keeps: webhooks, alert profiles, events, deliveries and their
 * attempts. The bottom layer: every other folder of `server/` may import this, it imports only
 * the core's types. How they are stored is the store ports' business (`../store/ports/`).
 */
import type { FailureClass } from './failureClass';
import type {
	DestinationAuth,
	HttpMethod,
	JsonObject,
	SigningSchemeName,
	TemplateName,
} from '../../core/types';
import type { HmacAlgorithm, HmacEncoding } from '../../core/signing/hmac';
import type { VendorName } from '../../core/vendors/types';

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

/** Where an event came from when a vendor sent it to an ingest source. */
export interface EventOrigin {
	sourceId: string;
	vendor: VendorName;
	/** The vendor's body as received (UTF-8), cut at `bodyBytes` ≤ 16 KiB. */
	body: string;
	/** The whole body's size in bytes. */
	bodyBytes: number;
	truncated: boolean;
}

export interface EventRecord {
	id: string;
	type: string;
	timestamp: string;
	data: JsonObject;
	receivedAt: string;
	deliveries: DeliveryRef[];
	/** Set for events from an ingest source (`POST /ingest/...`). */
	origin?: EventOrigin;
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
	/** The deliveries of one event. */
	eventId?: string;
	/** ISO timestamps bounding `createdAt` (inclusive). */
	from?: string;
	to?: string;
}

export interface DeliveryPage {
	data: DeliveryRecord[];
	nextCursor: string | null;
}

export interface DeliveryCounts {
	total: number;
	succeeded: number;
	failed: number;
	pending: number;
	/** Deliveries whose last attempt failed (failed for good, or retrying), by that attempt's class. */
	failuresByClass: Record<FailureClass, number>;
}

export interface DeliverySummary extends DeliveryCounts {
	/** The same counts per webhook with deliveries in the range, most deliveries first. */
	byWebhook: (DeliveryCounts & { webhookId: string })[];
}

/** How a generic source's HMAC header is checked (as the Verify Signature node's generic HMAC). */
export interface SourceHmac {
	header: string;
	algorithm: HmacAlgorithm;
	encoding: HmacEncoding;
	prefix: string;
}

export interface SourceError {
	at: string;
	status: number;
	code: string;
	message: string;
}

/** What an ingest source has seen, request by request (a request with a wrong token is not counted). */
export interface SourceStats {
	received: number;
	/** Answered 202: at least one new event stored. */
	accepted: number;
	/** Answered 200: every event of the body was already stored. */
	duplicates: number;
	/** Answered 4xx: bad signature or auth, disabled, not JSON, not mappable. */
	rejected: number;
	/** Canonical events stored from this source. */
	events: number;
	lastReceivedAt: string | null;
	lastError: SourceError | null;
}

/** One request's outcome on a source's counters (`received` always counts one). */
export interface SourceCount {
	at: string;
	accepted?: number;
	duplicates?: number;
	rejected?: number;
	events?: number;
	/** Replaces `lastError` when given. */
	error?: SourceError;
}

/** A source's counters after one more request. */
export function countedStats(stats: SourceStats, count: SourceCount): SourceStats {
	return {
		received: stats.received + 1,
		accepted: stats.accepted + (count.accepted ?? 0),
		duplicates: stats.duplicates + (count.duplicates ?? 0),
		rejected: stats.rejected + (count.rejected ?? 0),
		events: stats.events + (count.events ?? 0),
		lastReceivedAt: count.at,
		lastError: count.error ?? stats.lastError,
	};
}

/** An ingest source: the URL an MDM posts its own webhooks to, and how they are checked and mapped. */
export interface SourceRecord {
	id: string;
	name: string;
	description: string;
	vendor: VendorName;
	enabled: boolean;
	/** sha256 (hex) of the URL token; the token itself is shown once. */
	tokenHash: string;
	previousTokenHash?: string;
	previousTokenExpiresAt?: string;
	/** HMAC secret (mender: hex; scalefusion; generic with `hmac`); empty when the vendor signs nothing. */
	secret: string;
	previousSecret?: string;
	previousSecretExpiresAt?: string;
	/** Basic or Bearer auth the sender must present (hexnode, nexthink, generic); `none` otherwise. */
	auth: DestinationAuth;
	/** generic only: the signature header to check with `secret`. */
	hmac: SourceHmac | null;
	/** JSONata replacing the built-in mapping (required for generic). */
	mapping: string | null;
	stats: SourceStats;
	createdAt: string;
	updatedAt: string;
}

/** The last authentication status seen for a device (Mender sends no previous status). */
export interface DeviceStatusRecord {
	status: string;
	at: string;
}

export interface StoreMeta {
	/** sha256 (hex) of the admin API key. */
	apiKeyHash: string | null;
}

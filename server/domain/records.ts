/**
 * The records the dispatcher keeps: webhooks, alert profiles, events, deliveries and their
 * attempts. The bottom layer: every other folder of `server/` may import this, it imports only
 * the core's types. How they are stored is the store ports' business (`../store/ports/`).
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

/** The request as sent, with secrets masked. */
export interface SentRequest {
	method: string;
	url: string;
	headers: Record<string, string>;
	body: string;
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

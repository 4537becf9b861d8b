/** Rows of the PostgreSQL tables ↔ the domain's records. */
import type {
	AttemptRecord,
	DeliveryRecord,
	DeliveryRef,
	DeliveryStatus,
	EventOrigin,
	DisabledReason,
	EventRecord,
	ProfileRecord,
	SentRequest,
	WebhookRecord,
} from '../../domain/records';
import type { JsonObject } from '../../../core/types';

const iso = (value: Date | null): string | null => (value === null ? null : value.toISOString());

/** The webhook fields kept in the `config` jsonb column (the others have columns). */
export type WebhookConfig = Omit<WebhookRecord, 'id' | 'name' | 'enabled' | 'disabledReason' | 'failingSince' | 'createdAt' | 'updatedAt'>;
export const WEBHOOK_COLUMNS = ['name', 'enabled', 'disabledReason', 'failingSince', 'updatedAt'] as const;

export interface WebhookRow {
	id: string;
	name: string;
	enabled: boolean;
	disabled_reason: DisabledReason | null;
	failing_since: Date | null;
	config: WebhookConfig;
	created_at: Date;
	updated_at: Date;
}

/**
 * The record: its config column (every field `webhookConfig` keeps, optional ones included) plus
 * the fields that have columns of their own. Spread rather than listed, so a field added to the
 * record cannot be dropped here.
 */
export function webhookFromRow(row: WebhookRow): WebhookRecord {
	return {
		...row.config,
		id: row.id,
		name: row.name,
		enabled: row.enabled,
		disabledReason: row.disabled_reason,
		failingSince: iso(row.failing_since),
		createdAt: row.created_at.toISOString(),
		updatedAt: row.updated_at.toISOString(),
	};
}

export function webhookConfig(record: Partial<WebhookRecord>): Partial<WebhookConfig> {
	const { id: _i, name: _n, enabled: _e, disabledReason: _d, failingSince: _f, createdAt: _c, updatedAt: _u, ...config } = record;
	return config;
}

export type ProfileConfig = Omit<ProfileRecord, 'id' | 'name' | 'createdAt' | 'updatedAt'>;

export interface ProfileRow {
	id: string;
	name: string;
	config: ProfileConfig;
	created_at: Date;
	updated_at: Date;
}

/** The record: its config column plus the fields with columns of their own (as `webhookFromRow`). */
export function profileFromRow(row: ProfileRow): ProfileRecord {
	return {
		...row.config,
		id: row.id,
		name: row.name,
		createdAt: row.created_at.toISOString(),
		updatedAt: row.updated_at.toISOString(),
	};
}

export function profileConfig(record: Partial<ProfileRecord>): Partial<ProfileConfig> {
	const { id: _i, name: _n, createdAt: _c, updatedAt: _u, ...config } = record;
	return config;
}

export interface EventRow {
	id: string;
	type: string;
	timestamp: Date;
	data: JsonObject;
	received_at: Date;
	deliveries: DeliveryRef[];
	origin?: EventOrigin | null;
}

export function eventFromRow(row: EventRow): EventRecord {
	return {
		id: row.id,
		type: row.type,
		timestamp: row.timestamp.toISOString(),
		data: row.data,
		receivedAt: row.received_at.toISOString(),
		deliveries: row.deliveries,
		...(row.origin ? { origin: row.origin } : {}),
	};
}

export interface DeliveryRow {
	id: string;
	event_id: string;
	event_type: string;
	webhook_id: string;
	profile_id: string | null;
	status: DeliveryStatus;
	response_code: number | null;
	attempt_count: number;
	created_at: Date;
	last_attempt_at: Date | null;
	next_attempt_at: Date | null;
	attempts: AttemptRecord[];
	request: SentRequest | null;
}

export function deliveryFromRow(row: DeliveryRow): DeliveryRecord {
	return {
		id: row.id,
		eventId: row.event_id,
		eventType: row.event_type,
		webhookId: row.webhook_id,
		profileId: row.profile_id,
		status: row.status,
		responseCode: row.response_code,
		attemptCount: row.attempt_count,
		createdAt: row.created_at.toISOString(),
		lastAttemptAt: iso(row.last_attempt_at),
		nextAttemptAt: iso(row.next_attempt_at),
		attempts: row.attempts,
		request: row.request,
	};
}

/** The columns of a delivery list item (no attempts, no request): what pages read. */
export const DELIVERY_LIST_COLUMNS =
	"id, event_id, event_type, webhook_id, profile_id, status, response_code, attempt_count, created_at, last_attempt_at, next_attempt_at, '[]'::jsonb AS attempts, NULL::json AS request";

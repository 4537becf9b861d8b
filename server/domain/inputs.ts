/**
 * What callers give the services to create or change records: the API's request bodies once
 * validated and defaulted (`server/api/schemas/` validates them against these shapes), and
 * what the node pack and tests pass directly.
 */
import type { DestinationAuth, JsonObject, SigningSchemeName } from '../../core/types';
import type { DeliveryFilter, ProfileRecord, SourceHmac, SourceRecord, WebhookRecord } from './records';

/** The fields of a webhook an admin sets; the secret may be left to be generated. */
export type WebhookInput = Pick<
	WebhookRecord,
	'name' | 'description' | 'template' | 'url' | 'method' | 'timeoutSeconds' | 'enabled' | 'auth' | 'headers' | 'events'
> & {
	signing: { scheme: SigningSchemeName; secret?: string };
	/** Custom header names whose values are not secret (shown in answers and logs). */
	nonSecretHeaders: string[];
	/** Absent: the template's default (1/s Slack, 4/s Teams, none custom). */
	rateLimitPerSecond?: number | null;
};

export type WebhookPatch = Partial<WebhookInput>;

export type ProfileInput = Omit<ProfileRecord, 'id' | 'createdAt' | 'updatedAt'>;

export type ProfilePatch = Partial<ProfileInput>;

/**
 * The fields of an ingest source an admin sets. The URL token is always generated; a secret and
 * (for vendors that send Basic or Bearer auth) a Bearer token are generated when not given.
 */
export type SourceInput = Pick<SourceRecord, 'name' | 'description' | 'vendor' | 'enabled'> & {
	secret?: string;
	auth?: DestinationAuth;
	hmac?: SourceHmac;
	/** Absent or null: the vendor's built-in mapping (generic sources need one). */
	mapping?: string | null;
};

/** A change to a source: any field but the vendor, which is fixed once created. */
export type SourcePatch = Partial<Omit<SourceInput, 'vendor'>>;

/** A rotation: the new HMAC secret, or none to have one generated. */
export interface SourceRotation {
	secret?: string;
}

export interface EventInput {
	type: string;
	data: JsonObject;
	id?: string;
	timestamp?: string;
}

export interface DeliveryQuery extends DeliveryFilter {
	limit: number;
	cursor?: string;
}

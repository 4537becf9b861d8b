/**
 * What callers give the services to create or change records: the API's request bodies once
 * validated and defaulted (`server/api/schemas/` validates them against these shapes), and
 * what the node pack and tests pass directly.
 */
import type { JsonObject, SigningSchemeName } from '../../core/types';
import type { DeliveryFilter, ProfileRecord, WebhookRecord } from './records';

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

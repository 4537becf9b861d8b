/**
 * What callers give the services to create or change records: the API's request bodies once
 * validated and defaulted (`server/api/schemas/` validates them against these shapes), and
 * what the node pack and tests pass directly.
 */
import type { DestinationAuth, HttpMethod, JsonObject, SigningSchemeName, TemplateName } from '../../core/types';
import type { DeliveryFilter, ProfileRecord } from './records';

export interface WebhookInput {
	name: string;
	description: string;
	template: TemplateName;
	url: string;
	method: HttpMethod;
	timeoutSeconds: number;
	enabled: boolean;
	auth: DestinationAuth;
	signing: { scheme: SigningSchemeName; secret?: string };
	headers: Record<string, string>;
	events: string[];
	rateLimitPerSecond?: number | null;
}

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

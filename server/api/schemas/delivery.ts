/** JSON Schemas of the delivery log's queries and bulk retry. */
import type { JsonSchema } from '../../../core/types';

export const filterProperties: Record<string, JsonSchema> = {
	webhookId: { type: 'string', minLength: 1 },
	profileId: { type: 'string', minLength: 1 },
	eventType: { type: 'string', minLength: 1 },
	status: { enum: ['pending', 'succeeded', 'failed'] },
	responseCode: { type: 'integer', minimum: 100, maximum: 599 },
	requestId: { type: 'string', minLength: 1, description: 'The delivery id, sent as `webhook-id`.' },
	eventId: { type: 'string', minLength: 1, maxLength: 128, description: 'The deliveries of one event.' },
	from: { type: 'string', format: 'date-time' },
	to: { type: 'string', format: 'date-time' },
};

export const deliveryListQuerySchema: JsonSchema = {
	type: 'object',
	additionalProperties: false,
	properties: {
		...filterProperties,
		limit: { type: 'integer', minimum: 1, maximum: 250, default: 50 },
		cursor: { type: 'string', minLength: 1 },
	},
};

/** The same filters as the list: the console counts what a bulk replay would re-queue with it. */
export const deliverySummaryQuerySchema: JsonSchema = {
	type: 'object',
	additionalProperties: false,
	properties: filterProperties,
};

export const bulkRetrySchema: JsonSchema = {
	type: 'object',
	additionalProperties: false,
	required: ['filter'],
	properties: {
		filter: {
			type: 'object',
			additionalProperties: false,
			properties: { ...filterProperties, status: { enum: ['succeeded', 'failed'] } },
		},
	},
};

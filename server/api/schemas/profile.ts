/** JSON Schemas of alert profile bodies. */
import type { JsonSchema } from '../../../core/types';
import type { ProfileInput, ProfilePatch } from '../../domain/inputs';
import { RESOURCE_NAME } from './common';

export const profileProperties: Record<string, JsonSchema> = {
	name: RESOURCE_NAME,
	description: { type: 'string', maxLength: 512 },
	events: {
		type: 'array',
		minItems: 1,
		maxItems: 100,
		uniqueItems: true,
		items: { type: 'string', minLength: 1, maxLength: 100 },
		description: 'Event types or wildcards (`device.*`) this profile routes.',
	},
	condition: {
		type: ['string', 'null'],
		maxLength: 4096,
		description:
			'JSONata over the event envelope; the profile sends when the result is truthy. Refused at save: syntax errors and regex literals with nested quantifiers (with their position), and an expression that overruns the time or memory limit on a routed type\'s sample. At run time an evaluation past 1 s is stopped and the profile skipped for that event.',
	},
	webhookIds: {
		type: 'array',
		minItems: 1,
		maxItems: 50,
		uniqueItems: true,
		items: { type: 'string', minLength: 1 },
	},
	payload: {
		type: ['string', 'null'],
		maxLength: 16384,
		description:
			'JSONata that builds the body from the event, replacing the template. Same checks as `condition`; the result may be at most 1 MiB of JSON (a larger one fails the delivery).',
	},
	enabled: { type: 'boolean' },
};

export const profileCreateSchema: JsonSchema = {
	type: 'object',
	additionalProperties: false,
	required: ['name', 'events', 'webhookIds'],
	properties: {
		...profileProperties,
		description: { ...profileProperties.description, default: '' },
		condition: { ...profileProperties.condition, default: null },
		payload: { ...profileProperties.payload, default: null },
		enabled: { ...profileProperties.enabled, default: true },
	},
};

export const profileUpdateSchema: JsonSchema = {
	type: 'object',
	additionalProperties: false,
	minProperties: 1,
	properties: profileProperties,
};

export const previewQuerySchema: JsonSchema = {
	type: 'object',
	additionalProperties: false,
	required: ['event', 'webhookId'],
	properties: {
		event: { type: 'string', minLength: 1 },
		webhookId: { type: 'string', minLength: 1 },
	},
};

/** A create body, once validated and defaulted: the stored profile minus what the server assigns. */
export type ProfileCreateBody = ProfileInput;

export type ProfileUpdateBody = ProfilePatch;

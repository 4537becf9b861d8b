/** JSON Schemas of webhook bodies; the OpenAPI document is built from these too. */
import { SIGNING_SCHEME_NAMES } from '../../../core';
import type { JsonSchema } from '../../../core/types';
import type { WebhookInput, WebhookPatch } from '../../domain/inputs';
import { NO_LINE_BREAK_OR_NUL, RESOURCE_NAME } from './common';

const SIGNING_SECRET: JsonSchema = {
	type: 'string',
	minLength: 8,
	maxLength: 256,
	pattern: NO_LINE_BREAK_OR_NUL,
	description: 'must not contain CR, LF or NUL',
};

const auth: JsonSchema = {
	type: 'object',
	description: 'How the dispatcher authenticates to the destination. Answers show it masked.',
	discriminator: { propertyName: 'type' },
	required: ['type'],
	oneOf: [
		{
			type: 'object',
			additionalProperties: false,
			required: ['type'],
			properties: { type: { const: 'none' } },
		},
		{
			type: 'object',
			additionalProperties: false,
			required: ['type', 'username', 'password'],
			properties: {
				type: { const: 'basic' },
				username: {
					type: 'string',
					minLength: 1,
					maxLength: 256,
					pattern: '^[^:\\r\\n\\u0000]*$',
					description: 'must not contain a colon (RFC 7617), CR, LF or NUL',
				},
				password: {
					type: 'string',
					minLength: 1,
					maxLength: 1024,
					pattern: NO_LINE_BREAK_OR_NUL,
					description: 'must not contain CR, LF or NUL',
				},
			},
		},
		{
			type: 'object',
			additionalProperties: false,
			required: ['type', 'token'],
			properties: {
				type: { const: 'bearer' },
				token: {
					type: 'string',
					minLength: 1,
					maxLength: 4096,
					pattern: NO_LINE_BREAK_OR_NUL,
					description: 'must not contain CR, LF or NUL',
				},
			},
		},
	],
};

export const signingSchema: JsonSchema = {
	type: 'object',
	description:
		'Signature scheme. A secret is generated when none is given (`whsec_` + base64; for `standard-ed25519` an ed25519 secret key `whsk_` + base64 of its 32-byte seed, whose public key `whpk_…` every answer shows as `publicKey`; for `mender` 32 random bytes in hex, since Mender keys its HMAC with the hex-decoded secret and a `mender` secret must be hex, at most 64 characters); it is shown in full only in the create answer and by secret rotation.',
	additionalProperties: false,
	required: ['scheme'],
	properties: {
		scheme: { enum: [...SIGNING_SCHEME_NAMES] },
		secret: SIGNING_SECRET,
	},
};

/** Field rules shared by create and update. */
export const webhookProperties: Record<string, JsonSchema> = {
	name: RESOURCE_NAME,
	description: { type: 'string', maxLength: 512 },
	template: { enum: ['slack', 'teams', 'custom'], description: 'Body template when no profile payload applies.' },
	url: {
		type: 'string',
		minLength: 1,
		maxLength: 512,
		pattern: '^[^\\u0000-\\u0020\\u007f]+$',
		description:
			'must be an https URL without spaces or control characters; credentials go in `auth`, and private, loopback and metadata addresses are refused',
	},
	method: { enum: ['POST', 'PUT', 'PATCH'] },
	timeoutSeconds: { type: 'integer', minimum: 0, maximum: 60, description: '0 = no timeout of its own (capped at 60 s).' },
	enabled: { type: 'boolean', description: 'false pauses deliveries; they wait and go out when enabled again.' },
	auth,
	signing: signingSchema,
	headers: {
		type: 'object',
		maxProperties: 32,
		additionalProperties: { type: 'string', maxLength: 2048 },
		description:
			'Custom headers; hop-by-hop, host, content-length and signature headers are refused. Answers and logs show every value masked unless its name is in `nonSecretHeaders`.',
	},
	nonSecretHeaders: {
		type: 'array',
		maxItems: 32,
		uniqueItems: true,
		items: { type: 'string', minLength: 1, maxLength: 256 },
		description:
			'Names of custom headers whose values are not secret and are shown in answers and delivery logs (case-insensitive). Every other custom header value is masked.',
	},
	events: {
		type: 'array',
		maxItems: 100,
		uniqueItems: true,
		items: { type: 'string', minLength: 1, maxLength: 100 },
		description: 'Event types subscribed directly; wildcards such as `device.*` or `*`.',
	},
	rateLimitPerSecond: {
		type: ['number', 'null'],
		minimum: 0.01,
		maximum: 1000,
		description: 'Deliveries per second at most; default 1 for slack, 4 for teams, none for custom.',
	},
};

export const webhookCreateSchema: JsonSchema = {
	type: 'object',
	additionalProperties: false,
	required: ['name', 'url'],
	properties: {
		...webhookProperties,
		description: { ...webhookProperties.description, default: '' },
		template: { ...webhookProperties.template, default: 'custom' },
		method: { ...webhookProperties.method, default: 'POST' },
		timeoutSeconds: { ...webhookProperties.timeoutSeconds, default: 30 },
		enabled: { ...webhookProperties.enabled, default: true },
		auth: { ...auth, default: { type: 'none' } },
		signing: { ...signingSchema, default: { scheme: 'standard' } },
		headers: { ...webhookProperties.headers, default: {} },
		nonSecretHeaders: { ...webhookProperties.nonSecretHeaders, default: [] },
		events: { ...webhookProperties.events, default: [] },
	},
};

export const webhookUpdateSchema: JsonSchema = {
	type: 'object',
	additionalProperties: false,
	minProperties: 1,
	properties: webhookProperties,
};

export const webhookTestSchema: JsonSchema = webhookCreateSchema;

export const secretRotateSchema: JsonSchema = {
	type: 'object',
	additionalProperties: false,
	properties: { secret: SIGNING_SECRET },
};

export const mockEventSchema: JsonSchema = {
	type: 'object',
	additionalProperties: false,
	required: ['type'],
	properties: { type: { type: 'string', minLength: 1, maxLength: 100 } },
};

/** A create body once validated and defaulted: the service's input. */
export type WebhookCreateBody = WebhookInput;

export type WebhookUpdateBody = WebhookPatch;

/** The Basic/Bearer auth shape, shared with ingest sources (`schemas/source.ts`). */
export { auth as authSchema };

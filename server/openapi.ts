/**
 * The OpenAPI 3.1 document, built from the same JSON Schemas that validate requests, so the
 * document cannot drift from what the server accepts. Served at `GET /openapi.json`;
 * `docs/openapi.json` is a copy written by `npm run docs:openapi`.
 */
import { ENVELOPE_SCHEMA, PACKAGE_VERSION, VENDOR_NAMES } from '../core';
import type { JsonSchema } from '../core/types';
import { bulkRetrySchema, deliveryListQuerySchema, deliverySummaryQuerySchema } from './api/schemas/delivery';
import { eventIngestSchema } from './api/schemas/event';
import { previewQuerySchema, profileCreateSchema, profileUpdateSchema } from './api/schemas/profile';
import { sessionCreateSchema } from './api/schemas/session';
import { sourceCreateSchema, sourceRotateSchema, sourceUpdateSchema } from './api/schemas/source';
import { mockEventSchema, secretRotateSchema, webhookCreateSchema, webhookUpdateSchema } from './api/schemas/webhook';

type Operation = Record<string, unknown>;

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: JsonSchema) => ({ content: { 'application/json': { schema } } });
const answer = (description: string, schema?: JsonSchema) => ({ description, ...(schema ? json(schema) : {}) });
const errors = {
	'400': answer('Malformed JSON or query', ref('Error')),
	'401': answer('Missing or invalid API key', ref('Error')),
	'413': answer('Body over 1 MiB', ref('Error')),
	'422': answer('A field is invalid; `details` names each field and why', ref('Error')),
};
const idParam = (what: string) => ({ name: 'id', in: 'path', required: true, schema: { type: 'string' }, description: `${what} id` });

function queryParameters(schema: JsonSchema): Operation[] {
	const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
	const required = new Set((schema.required ?? []) as string[]);
	return Object.entries(properties).map(([name, property]) => ({
		name,
		in: 'query',
		required: required.has(name),
		schema: property,
	}));
}

const errorSchema: JsonSchema = {
	type: 'object',
	required: ['error'],
	properties: {
		error: {
			type: 'object',
			required: ['code', 'message'],
			properties: {
				code: { type: 'string', examples: ['validation_failed', 'not_found', 'webhook_in_use', 'unauthorized'] },
				message: { type: 'string' },
				details: {
					type: 'array',
					items: {
						type: 'object',
						properties: {
							path: { type: 'string', description: 'JSON Pointer' },
							message: { type: 'string' },
							position: { type: 'integer', description: 'Character offset in the field (JSONata compile errors)' },
						},
					},
				},
			},
		},
	},
};

const deliverySchema: JsonSchema = {
	type: 'object',
	properties: {
		id: { type: 'string', description: 'Request id, sent as `webhook-id`, stable across retries' },
		eventId: { type: 'string' },
		eventType: { type: 'string' },
		webhookId: { type: 'string' },
		profileId: { type: ['string', 'null'] },
		status: { enum: ['pending', 'succeeded', 'failed'] },
		responseCode: { type: ['integer', 'null'] },
		attemptCount: { type: 'integer' },
		createdAt: { type: 'string', format: 'date-time' },
		lastAttemptAt: { type: ['string', 'null'], format: 'date-time' },
		nextAttemptAt: { type: ['string', 'null'], format: 'date-time' },
	},
};

const deliveryDetailSchema: JsonSchema = {
	allOf: [
		deliverySchema,
		{
			type: 'object',
			properties: {
				request: {
					type: ['object', 'null'],
					description: 'The last request sent, credentials masked',
					properties: { method: { type: 'string' }, url: { type: 'string' }, headers: { type: 'object' }, body: { type: 'string' } },
				},
				origin: {
					type: 'object',
					description: 'Events from an ingest source: what the MDM sent (its body, at most 16 KiB)',
					properties: {
						sourceId: { type: 'string' },
						vendor: { enum: [...VENDOR_NAMES] },
						body: { type: 'string' },
						bodyBytes: { type: 'integer' },
						truncated: { type: 'boolean' },
					},
				},
				attempts: {
					type: 'array',
					items: {
						type: 'object',
						properties: {
							at: { type: 'string', format: 'date-time' },
							statusCode: { type: ['integer', 'null'] },
							durationMs: { type: 'number' },
							error: { type: ['string', 'null'] },
							response: { type: ['string', 'null'], description: 'At most 4 KiB' },
						},
					},
				},
			},
		},
	],
};

const sessionSchema: JsonSchema = {
	type: 'object',
	properties: {
		createdAt: { type: 'string', format: 'date-time' },
		expiresAt: { type: 'string', format: 'date-time', description: 'The latest the session lasts (24 h after sign-in)' },
		idleExpiresAt: { type: 'string', format: 'date-time', description: 'When it ends without another request (8 h idle)' },
		allowHttp: { type: 'boolean', description: 'Whether this dispatcher accepts http:// destinations' },
	},
};

const sourceStatsSchema: JsonSchema = {
	type: 'object',
	description: 'Requests past the token check, by outcome; `events`: canonical events stored.',
	properties: {
		received: { type: 'integer' },
		accepted: { type: 'integer' },
		duplicates: { type: 'integer' },
		rejected: { type: 'integer' },
		events: { type: 'integer' },
		lastReceivedAt: { type: ['string', 'null'], format: 'date-time' },
		lastError: {
			type: ['object', 'null'],
			properties: { at: { type: 'string', format: 'date-time' }, status: { type: 'integer' }, code: { type: 'string' }, message: { type: 'string' } },
		},
	},
};

const sourceSchema: JsonSchema = {
	type: 'object',
	properties: {
		id: { type: 'string' },
		name: { type: 'string' },
		description: { type: 'string' },
		vendor: { enum: [...VENDOR_NAMES] },
		enabled: { type: 'boolean' },
		ingestUrl: { type: 'string', description: '`<origin>/ingest/<id>/<token>`: paste into the MDM. The token reads `********` except in the create and rotate answers.' },
		secret: { type: 'string', description: 'Masked except in the create and rotate answers.' },
		auth: { type: 'object', description: 'Password or token masked except in the create answer.' },
		hmac: { type: ['object', 'null'] },
		mapping: { type: ['string', 'null'] },
		setup: { type: 'string', description: 'Where to paste what in the vendor\'s product.' },
		nexthinkTemplate: { type: 'string', description: 'nexthink: the JSON payload template to paste into Nexthink.' },
		previousCredentialsExpireAt: { type: 'string', format: 'date-time', description: 'Until then the token and secret before the last rotation still work.' },
		stats: sourceStatsSchema,
		createdAt: { type: 'string', format: 'date-time' },
		updatedAt: { type: 'string', format: 'date-time' },
	},
};

const ingestAnswerSchema: JsonSchema = {
	type: 'object',
	properties: {
		events: {
			type: 'array',
			items: { type: 'object', properties: { id: { type: 'string' }, type: { type: 'string' }, duplicate: { type: 'boolean' } } },
		},
	},
};

const testResultSchema: JsonSchema = {
	type: 'object',
	properties: {
		ok: { type: 'boolean' },
		statusCode: { type: ['integer', 'null'] },
		durationMs: { type: 'number' },
		response: { type: ['string', 'null'] },
		error: { type: ['string', 'null'] },
	},
};

export function buildOpenApiDocument(): Record<string, unknown> {
	return {
		openapi: '3.1.0',
		info: {
			title: 'MDM webhook dispatcher',
			version: PACKAGE_VERSION,
			description:
				'Takes MDM device events in (its own API, or each MDM\'s native webhooks at an ingest source\'s URL) and delivers them signed, with retries, to Slack, Teams and custom endpoints. Every `/v1` call needs `Authorization: Bearer <key>`, or the web console\'s session cookie from `POST /v1/session` (then a change also needs the `X-MDM-Console` header).',
		},
		servers: [{ url: 'http://127.0.0.1:8787' }],
		security: [{ apiKey: [] }, { consoleSession: [] }],
		components: {
			securitySchemes: {
				apiKey: { type: 'http', scheme: 'bearer' },
				consoleSession: {
					type: 'apiKey',
					in: 'cookie',
					name: 'mdm_session',
					description: 'HttpOnly, SameSite=Strict cookie from `POST /v1/session`; changes also need the `X-MDM-Console` header and a same-origin `Origin`',
				},
			},
			schemas: {
				Error: errorSchema,
				EventEnvelope: ENVELOPE_SCHEMA,
				EventIngest: eventIngestSchema,
				WebhookCreate: webhookCreateSchema,
				WebhookUpdate: webhookUpdateSchema,
				ProfileCreate: profileCreateSchema,
				ProfileUpdate: profileUpdateSchema,
				Delivery: deliverySchema,
				DeliveryDetail: deliveryDetailSchema,
				TestResult: testResultSchema,
				Session: sessionSchema,
				SourceCreate: sourceCreateSchema,
				SourceUpdate: sourceUpdateSchema,
				Source: sourceSchema,
				IngestAnswer: ingestAnswerSchema,
			},
		},
		paths: {
			'/healthz': { get: { summary: 'Liveness (no key needed)', security: [], responses: { '200': answer('Up') } } },
			'/v1/session': {
				post: {
					summary: 'Console sign-in: exchange the API key for a session cookie (needs the `X-MDM-Console` header)',
					security: [],
					requestBody: json(sessionCreateSchema),
					responses: {
						'201': answer('Signed in; `Set-Cookie: mdm_session=…; HttpOnly; SameSite=Strict`', ref('Session')),
						'401': answer('Not the API key', ref('Error')),
						'403': answer('No `X-MDM-Console` header, or another origin', ref('Error')),
						'422': errors['422'],
					},
				},
				get: {
					summary: 'The live console session',
					security: [{ consoleSession: [] }],
					responses: { '200': answer('Session', ref('Session')), '401': answer('No live session', ref('Error')) },
				},
				delete: {
					summary: 'Sign out: ends the session and clears the cookie (needs the `X-MDM-Console` header)',
					security: [],
					responses: { '204': answer('Signed out'), '403': answer('No `X-MDM-Console` header, or another origin', ref('Error')) },
				},
			},
			'/v1/event-types': {
				get: { summary: 'The event catalog: type, category, description, JSON Schema, sample', responses: { '200': answer('Catalog'), ...errors } },
			},
			'/v1/events': {
				post: {
					summary: 'Ingest an event; answered once it and its deliveries are on disk',
					requestBody: json(ref('EventIngest')),
					responses: {
						'202': answer('Accepted and stored; `deliveries` lists what will be sent'),
						'200': answer('A repeated `id`: the first answer, nothing sent again'),
						...errors,
						'503': answer('The store cannot be reached (PostgreSQL down): nothing was stored, retry (`code: store_unavailable`)', ref('Error')),
					},
				},
			},
			'/v1/webhooks': {
				post: {
					summary: 'Create a webhook; the signing secret is shown in full only in this answer',
					parameters: [{ name: 'test', in: 'query', schema: { enum: ['true', 'false'] }, description: 'Send a webhook.test first and save only on a 2xx' }],
					requestBody: json(ref('WebhookCreate')),
					responses: { '201': answer('Created'), ...errors, '422': answer('Invalid field, or the test send failed (`code: webhook_test_failed`, `test`)', ref('Error')) },
				},
				get: { summary: 'List webhooks (secrets masked)', responses: { '200': answer('Webhooks'), ...errors } },
			},
			'/v1/webhooks/test': {
				post: { summary: 'Send a webhook.test with an unsaved config (not logged)', requestBody: json(ref('WebhookCreate')), responses: { '200': answer('Result', ref('TestResult')), ...errors } },
			},
			'/v1/webhooks/{id}': {
				parameters: [idParam('Webhook')],
				get: { summary: 'One webhook (secrets masked)', responses: { '200': answer('Webhook'), '404': answer('Not found', ref('Error')), ...errors } },
				patch: { summary: 'Change fields; `enabled:false` pauses deliveries without losing them', requestBody: json(ref('WebhookUpdate')), responses: { '200': answer('Updated'), ...errors } },
				delete: { summary: 'Delete; 409 `webhook_in_use` while a profile links it', responses: { '204': answer('Deleted'), '409': answer('Linked by profiles', ref('Error')), ...errors } },
			},
			'/v1/webhooks/{id}/test': {
				parameters: [idParam('Webhook')],
				post: { summary: 'Send a webhook.test (not logged)', responses: { '200': answer('Result', ref('TestResult')), ...errors } },
			},
			'/v1/webhooks/{id}/mock': {
				parameters: [idParam('Webhook')],
				post: { summary: "Send a type's sample event (not logged)", requestBody: json(mockEventSchema), responses: { '200': answer('Result', ref('TestResult')), ...errors } },
			},
			'/v1/webhooks/{id}/secret/rotate': {
				parameters: [idParam('Webhook')],
				post: { summary: 'New secret (shown once); the old one keeps signing for 24 h', requestBody: json(secretRotateSchema), responses: { '200': answer('Webhook with the new secret'), ...errors } },
			},
			'/v1/profiles': {
				post: { summary: 'Create an alert profile', requestBody: json(ref('ProfileCreate')), responses: { '201': answer('Created'), ...errors } },
				get: { summary: 'List alert profiles', responses: { '200': answer('Profiles'), ...errors } },
			},
			'/v1/profiles/{id}': {
				parameters: [idParam('Profile')],
				get: { summary: 'One alert profile', responses: { '200': answer('Profile'), ...errors } },
				patch: { summary: 'Change fields', requestBody: json(ref('ProfileUpdate')), responses: { '200': answer('Updated'), ...errors } },
				delete: { summary: 'Delete', responses: { '204': answer('Deleted'), ...errors } },
			},
			'/v1/profiles/{id}/preview': {
				parameters: [idParam('Profile'), ...queryParameters(previewQuerySchema)],
				get: { summary: "The exact request this profile would send for a type's sample (secrets masked)", responses: { '200': answer('{method, url, headers, body}'), ...errors } },
			},
			'/v1/deliveries': {
				get: {
					summary: 'Delivery log, newest first',
					parameters: queryParameters(deliveryListQuerySchema),
					responses: { '200': answer('`{data: Delivery[], nextCursor}`'), ...errors },
				},
			},
			'/v1/deliveries/summary': {
				get: { summary: 'Counts by status of the deliveries matching the filters', parameters: queryParameters(deliverySummaryQuerySchema), responses: { '200': answer('`{total, succeeded, failed, pending}`'), ...errors } },
			},
			'/v1/deliveries/{id}': {
				parameters: [idParam('Delivery')],
				get: { summary: 'One delivery with the request sent and every attempt', responses: { '200': answer('Delivery', ref('DeliveryDetail')), ...errors } },
			},
			'/v1/deliveries/{id}/retry': {
				parameters: [idParam('Delivery')],
				post: { summary: 'Re-queue a finished delivery', responses: { '202': answer('Re-queued'), '409': answer('Already pending', ref('Error')), ...errors } },
			},
			'/v1/sources': {
				post: {
					summary: 'Create an ingest source; its ingest URL and secret are shown in full only in this answer',
					requestBody: json(ref('SourceCreate')),
					responses: { '201': answer('Created', ref('Source')), ...errors },
				},
				get: { summary: 'List ingest sources (tokens and secrets masked), with their counters', responses: { '200': answer('`{data: Source[]}`'), ...errors } },
			},
			'/v1/sources/{id}': {
				parameters: [idParam('Source')],
				get: { summary: 'One ingest source with its counters and last error', responses: { '200': answer('Source', ref('Source')), '404': answer('Not found', ref('Error')), ...errors } },
				patch: { summary: 'Change fields (not the vendor); `enabled:false` makes the ingest URL answer 404 `source_disabled`', requestBody: json(ref('SourceUpdate')), responses: { '200': answer('Updated', ref('Source')), ...errors } },
				delete: { summary: 'Delete; its ingest URL answers 404 from then on', responses: { '204': answer('Deleted'), ...errors } },
			},
			'/v1/sources/{id}/rotate': {
				parameters: [idParam('Source')],
				post: {
					summary: 'New URL token and (where the vendor signs) secret, shown once; the old ones are accepted for 24 h',
					requestBody: json(sourceRotateSchema),
					responses: { '200': answer('Source with the new ingest URL and secret', ref('Source')), ...errors },
				},
			},
			'/ingest/{sourceId}/{token}': {
				parameters: [
					{ name: 'sourceId', in: 'path', required: true, schema: { type: 'string' } },
					{ name: 'token', in: 'path', required: true, schema: { type: 'string' }, description: 'The source\'s URL token: the credential (no admin key).' },
				],
				post: {
					summary: "An MDM's own webhook: verified (Mender/Scalefusion signature, Basic/Bearer, or the token alone for Kobiton), mapped to canonical events, stored, routed",
					security: [],
					requestBody: { description: "The vendor's body, exactly as it sends it.", content: { 'application/json': { schema: {} } } },
					responses: {
						'202': answer('Stored (at least one new event); answered once on disk', ref('IngestAnswer')),
						'200': answer('Every event of the body was already stored: nothing sent again', ref('IngestAnswer')),
						'400': answer('Empty or not JSON', ref('Error')),
						'401': answer('Wrong token, signature or credentials (nothing stored)', ref('Error')),
						'404': answer('No such source, or `source_disabled`', ref('Error')),
						'413': answer('Body over 1 MiB', ref('Error')),
						'422': answer('The body does not map to a catalog event; `details` says why', ref('Error')),
					},
				},
			},
			'/v1/deliveries/retry': {
				post: { summary: 'Bulk replay: re-queue finished deliveries matching a filter', requestBody: json(bulkRetrySchema), responses: { '202': answer('`{requeued, ids}`'), ...errors } },
			},
		},
	};
}

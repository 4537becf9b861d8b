/**
 * The OpenAPI 3.1 document, built from the same JSON Schemas that validate requests
 * (`api/schemas/*`) and describe answers (`api/schemas/answers.ts`, derived from the same
 * property definitions), so it cannot drift from what the server accepts and returns. Every
 * operation has an `operationId` and a tag, every answer with a body a schema; `webhooks` lists the
 * payload the dispatcher sends for each event type, from the catalog. Served at `GET /openapi.json`
 * with the server URL of the request (or `DISPATCHER_PUBLIC_URL`), rendered at `GET /docs`;
 * `docs/openapi.json` is a copy written by `npm run docs:openapi`.
 */
import { ENVELOPE_SCHEMA, EVENT_CATALOG, PACKAGE_VERSION, STANDARD_HEADERS } from '../core';
import type { EventTypeDefinition, JsonSchema } from '../core/types';
import {
	bulkRetryAnswerSchema,
	catalogAnswerSchema,
	deliveryAnswerSchema,
	deliveryDetailAnswerSchema,
	deliveryPageAnswerSchema,
	deliverySummaryAnswerSchema,
	errorAnswerSchema,
	eventAnswerSchema,
	eventDetailAnswerSchema,
	healthAnswerSchema,
	ingestAnswerSchema,
	listAnswer,
	previewAnswerSchema,
	profileAnswerSchema,
	sessionAnswerSchema,
	sourceAnswerSchema,
	testResultAnswerSchema,
	webhookAnswerSchema,
} from './api/schemas/answers';
import { bulkRetrySchema, deliveryListQuerySchema, deliverySummaryQuerySchema } from './api/schemas/delivery';
import { eventIngestSchema } from './api/schemas/event';
import { previewQuerySchema, profileCreateSchema, profileUpdateSchema } from './api/schemas/profile';
import { sessionCreateSchema } from './api/schemas/session';
import { sourceCreateSchema, sourceRotateSchema, sourceUpdateSchema } from './api/schemas/source';
import { mockEventSchema, secretRotateSchema, webhookCreateSchema, webhookUpdateSchema } from './api/schemas/webhook';

/** The server URL of the committed copy (`docs/openapi.json`); served copies carry the request's. */
export const DEFAULT_SERVER_URL = 'http://127.0.0.1:8787';

type Json = Record<string, unknown>;

/** Named schemas under `components.schemas`; operations refer to them by name. */
const SCHEMAS = {
	Error: errorAnswerSchema,
	EventEnvelope: ENVELOPE_SCHEMA,
	EventIngest: eventIngestSchema,
	EventAccepted: eventAnswerSchema,
	Event: eventDetailAnswerSchema,
	EventTypes: catalogAnswerSchema,
	WebhookCreate: webhookCreateSchema,
	WebhookUpdate: webhookUpdateSchema,
	Webhook: webhookAnswerSchema,
	WebhookList: listAnswer({ $ref: '#/components/schemas/Webhook' }),
	TestResult: testResultAnswerSchema,
	ProfileCreate: profileCreateSchema,
	ProfileUpdate: profileUpdateSchema,
	Profile: profileAnswerSchema,
	ProfileList: listAnswer({ $ref: '#/components/schemas/Profile' }),
	RequestPreview: previewAnswerSchema,
	Delivery: deliveryAnswerSchema,
	DeliveryDetail: deliveryDetailAnswerSchema,
	DeliveryPage: deliveryPageAnswerSchema,
	DeliverySummary: deliverySummaryAnswerSchema,
	BulkRetry: bulkRetrySchema,
	BulkRetryResult: bulkRetryAnswerSchema,
	SourceCreate: sourceCreateSchema,
	SourceUpdate: sourceUpdateSchema,
	Source: sourceAnswerSchema,
	SourceList: listAnswer({ $ref: '#/components/schemas/Source' }),
	IngestAnswer: ingestAnswerSchema,
	Session: sessionAnswerSchema,
	Health: healthAnswerSchema,
} satisfies Record<string, JsonSchema>;

export type SchemaName = keyof typeof SCHEMAS;

/** A body: a named schema, or an inline one for a body no other operation shares. */
type SchemaRef = SchemaName | JsonSchema;

interface Answer {
	description: string;
	/** JSON body; omit for an answer without one (204). */
	schema?: SchemaRef;
	/** Another media type than JSON (`text/plain`, `text/html`). */
	mediaType?: string;
	headers?: Json;
}

interface OperationSpec {
	method: 'get' | 'post' | 'patch' | 'delete';
	path: string;
	operationId: string;
	tag: Tag;
	summary: string;
	description?: string;
	/** Default: the API key or the console session. */
	security?: Json[];
	parameters?: Json[];
	body?: { schema: SchemaRef; examples?: Record<string, unknown>; required?: boolean; mediaType?: string; description?: string };
	responses: Record<string, Answer>;
}

const TAGS = {
	Events: 'Events in: the admin API, idempotent by `id`, answered once stored.',
	'Event types': 'The catalog: every event type with its JSON Schema and sample.',
	Webhooks: 'Destinations: Slack, Teams or custom endpoints, signed, with retries.',
	Profiles: 'Alert profiles: which events go to which webhooks, with a JSONata condition and payload.',
	Deliveries: 'The delivery log: search, detail with attempts, summary, replay.',
	Sources: "Ingest sources: URLs that take each MDM's own webhooks.",
	Session: "The web console's sign-in (a session cookie).",
	Operations: 'Health, metrics, this document and its reference page.',
} as const;
type Tag = keyof typeof TAGS;

const SAMPLE_EVENT_ID = 'evt_01JDXK6Y3Q9S8T7V6W5X4Y3Z2A';
const SAMPLE_TIMESTAMP = '2026-11-22T10:00:00.000Z';

const error = (description: string): Answer => ({ description, schema: 'Error' });
const standardErrors = (...codes: ('400' | '404' | '409' | '413' | '422')[]): Record<string, Answer> => {
	const all: Record<string, Answer> = {
		'400': error('Malformed JSON or query'),
		'401': error('Missing or invalid API key'),
		'404': error('No such resource'),
		'409': error('Conflicts with the current state'),
		'413': error('Body over 1 MiB'),
		'422': error('A field is invalid; `details` names each field and why'),
	};
	return Object.fromEntries(Object.entries(all).filter(([code]) => code === '401' || (codes as string[]).includes(code)));
};
const idParam = (what: string) => ({ name: 'id', in: 'path', required: true, schema: { type: 'string' }, description: `${what} id` });

function queryParameters(schema: JsonSchema): Json[] {
	const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
	const required = new Set((schema.required ?? []) as string[]);
	return Object.entries(properties).map(([name, property]) => ({
		name,
		in: 'query',
		required: required.has(name),
		...(typeof property.description === 'string' ? { description: property.description } : {}),
		schema: property,
	}));
}

const sampleOf = (type: string): EventTypeDefinition => {
	const def = EVENT_CATALOG.find((entry) => entry.type === type);
	if (!def) throw new Error(`no catalog entry ${type}`);
	return def;
};

const OPERATIONS: OperationSpec[] = [
	// --- operations
	{
		method: 'get',
		path: '/healthz',
		operationId: 'getHealth',
		tag: 'Operations',
		summary: 'Liveness (no key needed)',
		security: [],
		responses: { '200': { description: 'Up', schema: 'Health' } },
	},
	{
		method: 'get',
		path: '/metrics',
		operationId: 'getMetrics',
		tag: 'Operations',
		summary: 'Prometheus metrics (text exposition format)',
		description:
			'Events ingested by source, deliveries and attempts by outcome and failure class, attempt and store-commit latency histograms, queue depth and age of the oldest pending delivery, webhooks by state, process metrics. Every label has a closed set of values. Needs the API key or, when set, `DISPATCHER_METRICS_TOKEN` as a bearer token.',
		security: [{ apiKey: [] }, { metricsToken: [] }],
		responses: {
			'200': { description: 'The metrics', mediaType: 'text/plain', schema: { type: 'string' } },
			'401': error('Neither the API key nor the metrics token'),
		},
	},
	{
		method: 'get',
		path: '/openapi.json',
		operationId: 'getOpenApiDocument',
		tag: 'Operations',
		summary: 'This document, with the server URL of the request (or `DISPATCHER_PUBLIC_URL`)',
		security: [],
		responses: { '200': { description: 'OpenAPI 3.1', schema: { type: 'object', required: ['openapi', 'paths'], additionalProperties: true } } },
	},
	{
		method: 'get',
		path: '/docs',
		operationId: 'getApiReference',
		tag: 'Operations',
		summary: 'The API reference page (Swagger UI, served by the dispatcher: no CDN)',
		security: [],
		responses: { '200': { description: 'HTML page', mediaType: 'text/html', schema: { type: 'string' } } },
	},
	// --- session
	{
		method: 'post',
		path: '/v1/session',
		operationId: 'createSession',
		tag: 'Session',
		summary: 'Console sign-in: exchange the API key for a session cookie (needs the `X-MDM-Console` header)',
		security: [],
		body: { schema: sessionCreateSchema },
		responses: {
			'201': { description: 'Signed in; `Set-Cookie: mdm_session=…; HttpOnly; SameSite=Strict`', schema: 'Session' },
			'401': error('Not the API key'),
			'403': error('No `X-MDM-Console` header, or another origin'),
			'422': error('A field is invalid'),
			'429': error('10 wrong API keys from this client address within a minute: `too_many_sign_ins`, with `Retry-After` (seconds)'),
		},
	},
	{
		method: 'get',
		path: '/v1/session',
		operationId: 'getSession',
		tag: 'Session',
		summary: 'The live console session',
		security: [{ consoleSession: [] }],
		responses: { '200': { description: 'Session', schema: 'Session' }, '401': error('No live session') },
	},
	{
		method: 'delete',
		path: '/v1/session',
		operationId: 'deleteSession',
		tag: 'Session',
		summary: 'Sign out: ends the session and clears the cookie (needs the `X-MDM-Console` header)',
		security: [],
		responses: { '204': { description: 'Signed out' }, '403': error('No `X-MDM-Console` header, or another origin') },
	},
	// --- catalog and events
	{
		method: 'get',
		path: '/v1/event-types',
		operationId: 'listEventTypes',
		tag: 'Event types',
		summary: 'The event catalog: type, category, description, JSON Schema, sample',
		responses: { '200': { description: 'Catalog', schema: 'EventTypes' }, ...standardErrors() },
	},
	{
		method: 'post',
		path: '/v1/events',
		operationId: 'ingestEvent',
		tag: 'Events',
		summary: 'Ingest an event; answered once it and its deliveries are on disk',
		description: 'Operational types (`webhook.failing`, …) are emitted by the dispatcher itself and refused here.',
		body: {
			schema: 'EventIngest',
			examples: {
				enrolled: { summary: 'A device enrolled', value: { type: 'device.enrolled', id: SAMPLE_EVENT_ID, data: sampleOf('device.enrolled').sample } },
			},
		},
		responses: {
			'202': { description: 'Accepted and stored; `deliveries` lists what will be sent', schema: 'EventAccepted' },
			'200': { description: 'A repeated `id`: the first answer, nothing sent again', schema: 'EventAccepted' },
			...standardErrors('400', '413', '422'),
			'503': error('Nothing was stored: the store could not write, or cannot be reached (PostgreSQL down, `code: store_unavailable`); retry after `Retry-After`'),
			'507': error('The disk is full: nothing was stored'),
		},
	},
	{
		method: 'get',
		path: '/v1/events/{id}',
		operationId: 'getEvent',
		tag: 'Events',
		summary: 'One event with every delivery it made',
		parameters: [idParam('Event')],
		responses: { '200': { description: 'The event', schema: 'Event' }, ...standardErrors('404') },
	},
	// --- webhooks
	{
		method: 'post',
		path: '/v1/webhooks',
		operationId: 'createWebhook',
		tag: 'Webhooks',
		summary: 'Create a webhook; the signing secret is shown in full only in this answer',
		parameters: [{ name: 'test', in: 'query', schema: { enum: ['true', 'false'] }, description: 'Send a webhook.test first and save only on a 2xx' }],
		body: {
			schema: 'WebhookCreate',
			examples: {
				slack: { summary: 'Enrollments to a Slack channel', value: { name: 'Slack #provisioning', template: 'slack', url: 'https://hooks.slack.com/services/T000/B000/XXXX', events: ['device.enrolled'] } },
				custom: {
					summary: 'Everything to a signed endpoint, ed25519',
					value: { name: 'SIEM', template: 'custom', url: 'https://siem.example.com/mdm', signing: { scheme: 'standard-ed25519' }, events: ['*'] },
				},
			},
		},
		responses: {
			'201': { description: 'Created, with the secret in full', schema: 'Webhook' },
			...standardErrors('400', '413'),
			'422': error('Invalid field, or the test send failed (`code: webhook_test_failed`, `test`)'),
		},
	},
	{
		method: 'get',
		path: '/v1/webhooks',
		operationId: 'listWebhooks',
		tag: 'Webhooks',
		summary: 'List webhooks (secrets masked)',
		responses: { '200': { description: 'Webhooks', schema: 'WebhookList' }, ...standardErrors() },
	},
	{
		method: 'post',
		path: '/v1/webhooks/test',
		operationId: 'testWebhookConfig',
		tag: 'Webhooks',
		summary: 'Send a webhook.test with an unsaved config (not logged)',
		body: { schema: 'WebhookCreate' },
		responses: { '200': { description: 'Result', schema: 'TestResult' }, ...standardErrors('400', '413', '422') },
	},
	{
		method: 'get',
		path: '/v1/webhooks/{id}',
		operationId: 'getWebhook',
		tag: 'Webhooks',
		summary: 'One webhook (secrets masked)',
		parameters: [idParam('Webhook')],
		responses: { '200': { description: 'Webhook', schema: 'Webhook' }, ...standardErrors('404') },
	},
	{
		method: 'patch',
		path: '/v1/webhooks/{id}',
		operationId: 'updateWebhook',
		tag: 'Webhooks',
		summary: 'Change fields; `enabled:false` pauses deliveries without losing them',
		parameters: [idParam('Webhook')],
		body: { schema: 'WebhookUpdate', examples: { pause: { summary: 'Pause', value: { enabled: false } } } },
		responses: { '200': { description: 'Updated', schema: 'Webhook' }, ...standardErrors('400', '404', '413', '422') },
	},
	{
		method: 'delete',
		path: '/v1/webhooks/{id}',
		operationId: 'deleteWebhook',
		tag: 'Webhooks',
		summary: 'Delete; 409 `webhook_in_use` while a profile links it',
		parameters: [idParam('Webhook')],
		responses: { '204': { description: 'Deleted' }, ...standardErrors('404'), '409': error('Linked by profiles (`profiles` lists them)') },
	},
	{
		method: 'post',
		path: '/v1/webhooks/{id}/test',
		operationId: 'testWebhook',
		tag: 'Webhooks',
		summary: 'Send a webhook.test (not logged)',
		parameters: [idParam('Webhook')],
		responses: { '200': { description: 'Result', schema: 'TestResult' }, ...standardErrors('404') },
	},
	{
		method: 'post',
		path: '/v1/webhooks/{id}/mock',
		operationId: 'mockWebhookEvent',
		tag: 'Webhooks',
		summary: "Send a type's sample event (not logged)",
		parameters: [idParam('Webhook')],
		body: { schema: mockEventSchema, examples: { violated: { value: { type: 'compliance.violated' } } } },
		responses: { '200': { description: 'Result', schema: 'TestResult' }, ...standardErrors('400', '404', '422') },
	},
	{
		method: 'post',
		path: '/v1/webhooks/{id}/secret/rotate',
		operationId: 'rotateWebhookSecret',
		tag: 'Webhooks',
		summary: 'New secret (shown once); the old one keeps signing for 24 h',
		parameters: [idParam('Webhook')],
		body: { schema: secretRotateSchema, required: false },
		responses: { '200': { description: 'Webhook with the new secret', schema: 'Webhook' }, ...standardErrors('400', '404', '422') },
	},
	// --- profiles
	{
		method: 'post',
		path: '/v1/profiles',
		operationId: 'createProfile',
		tag: 'Profiles',
		summary: 'Create an alert profile',
		body: {
			schema: 'ProfileCreate',
			examples: {
				failing: {
					summary: 'Operational alerts to an on-call webhook',
					value: { name: 'Webhook trouble', events: ['webhook.*', 'delivery.exhausted'], webhookIds: ['wh_01JDXK6Y3Q9S8T7V6W5X4Y3Z2A'] },
				},
			},
		},
		responses: { '201': { description: 'Created', schema: 'Profile' }, ...standardErrors('400', '413', '422') },
	},
	{
		method: 'get',
		path: '/v1/profiles',
		operationId: 'listProfiles',
		tag: 'Profiles',
		summary: 'List alert profiles',
		responses: { '200': { description: 'Profiles', schema: 'ProfileList' }, ...standardErrors() },
	},
	{
		method: 'get',
		path: '/v1/profiles/{id}',
		operationId: 'getProfile',
		tag: 'Profiles',
		summary: 'One alert profile',
		parameters: [idParam('Profile')],
		responses: { '200': { description: 'Profile', schema: 'Profile' }, ...standardErrors('404') },
	},
	{
		method: 'patch',
		path: '/v1/profiles/{id}',
		operationId: 'updateProfile',
		tag: 'Profiles',
		summary: 'Change fields',
		parameters: [idParam('Profile')],
		body: { schema: 'ProfileUpdate' },
		responses: { '200': { description: 'Updated', schema: 'Profile' }, ...standardErrors('400', '404', '413', '422') },
	},
	{
		method: 'delete',
		path: '/v1/profiles/{id}',
		operationId: 'deleteProfile',
		tag: 'Profiles',
		summary: 'Delete',
		parameters: [idParam('Profile')],
		responses: { '204': { description: 'Deleted' }, ...standardErrors('404') },
	},
	{
		method: 'get',
		path: '/v1/profiles/{id}/preview',
		operationId: 'previewProfileRequest',
		tag: 'Profiles',
		summary: "The exact request this profile would send for a type's sample (secrets masked)",
		parameters: [idParam('Profile'), ...queryParameters(previewQuerySchema)],
		responses: { '200': { description: 'The request', schema: 'RequestPreview' }, ...standardErrors('400', '404', '422') },
	},
	// --- deliveries
	{
		method: 'get',
		path: '/v1/deliveries',
		operationId: 'listDeliveries',
		tag: 'Deliveries',
		summary: 'Delivery log, newest first',
		parameters: queryParameters(deliveryListQuerySchema),
		responses: { '200': { description: 'A page', schema: 'DeliveryPage' }, ...standardErrors('400') },
	},
	{
		method: 'get',
		path: '/v1/deliveries/summary',
		operationId: 'summarizeDeliveries',
		tag: 'Deliveries',
		summary: 'Counts by status, failed attempts by class, and the same per webhook',
		parameters: queryParameters(deliverySummaryQuerySchema),
		responses: { '200': { description: 'Summary', schema: 'DeliverySummary' }, ...standardErrors('400') },
	},
	{
		method: 'get',
		path: '/v1/deliveries/{id}',
		operationId: 'getDelivery',
		tag: 'Deliveries',
		summary: 'One delivery with the request sent and every attempt',
		parameters: [idParam('Delivery')],
		responses: { '200': { description: 'Delivery', schema: 'DeliveryDetail' }, ...standardErrors('404') },
	},
	{
		method: 'post',
		path: '/v1/deliveries/{id}/retry',
		operationId: 'retryDelivery',
		tag: 'Deliveries',
		summary: 'Re-queue a finished delivery',
		parameters: [idParam('Delivery')],
		responses: { '202': { description: 'Re-queued', schema: 'Delivery' }, ...standardErrors('404'), '409': error('Already pending') },
	},
	{
		method: 'post',
		path: '/v1/deliveries/retry',
		operationId: 'retryDeliveries',
		tag: 'Deliveries',
		summary: 'Bulk replay: re-queue finished deliveries matching a filter',
		body: { schema: 'BulkRetry', examples: { failed: { summary: 'Every failed delivery of one webhook', value: { filter: { webhookId: 'wh_01JDXK6Y3Q9S8T7V6W5X4Y3Z2A', status: 'failed' } } } } },
		responses: { '202': { description: 'Re-queued', schema: 'BulkRetryResult' }, ...standardErrors('400', '413', '422') },
	},
	// --- sources
	{
		method: 'post',
		path: '/v1/sources',
		operationId: 'createSource',
		tag: 'Sources',
		summary: 'Create an ingest source; its ingest URL and secret are shown in full only in this answer',
		body: { schema: 'SourceCreate', examples: { mender: { summary: 'Mender', value: { name: 'Mender production', vendor: 'mender' } } } },
		responses: { '201': { description: 'Created', schema: 'Source' }, ...standardErrors('400', '413', '422') },
	},
	{
		method: 'get',
		path: '/v1/sources',
		operationId: 'listSources',
		tag: 'Sources',
		summary: 'List ingest sources (tokens and secrets masked), with their counters',
		responses: { '200': { description: 'Sources', schema: 'SourceList' }, ...standardErrors() },
	},
	{
		method: 'get',
		path: '/v1/sources/{id}',
		operationId: 'getSource',
		tag: 'Sources',
		summary: 'One ingest source with its counters and last error',
		parameters: [idParam('Source')],
		responses: { '200': { description: 'Source', schema: 'Source' }, ...standardErrors('404') },
	},
	{
		method: 'patch',
		path: '/v1/sources/{id}',
		operationId: 'updateSource',
		tag: 'Sources',
		summary: 'Change fields (not the vendor); `enabled:false` makes the ingest URL answer 404 `source_disabled`',
		parameters: [idParam('Source')],
		body: { schema: 'SourceUpdate' },
		responses: { '200': { description: 'Updated', schema: 'Source' }, ...standardErrors('400', '404', '413', '422') },
	},
	{
		method: 'delete',
		path: '/v1/sources/{id}',
		operationId: 'deleteSource',
		tag: 'Sources',
		summary: 'Delete; its ingest URL answers 404 from then on',
		parameters: [idParam('Source')],
		responses: { '204': { description: 'Deleted' }, ...standardErrors('404') },
	},
	{
		method: 'post',
		path: '/v1/sources/{id}/rotate',
		operationId: 'rotateSource',
		tag: 'Sources',
		summary: 'New URL token and (where the vendor signs) secret, shown once; the old ones are accepted for 24 h',
		parameters: [idParam('Source')],
		body: { schema: sourceRotateSchema, required: false },
		responses: { '200': { description: 'Source with the new ingest URL and secret', schema: 'Source' }, ...standardErrors('400', '404', '422') },
	},
	{
		method: 'post',
		path: '/ingest/{sourceId}/{token}',
		operationId: 'ingestVendorWebhook',
		tag: 'Sources',
		summary: "An MDM's own webhook: verified (Mender/Scalefusion signature, Basic/Bearer, or the token alone for Kobiton), mapped to canonical events, stored, routed",
		security: [],
		parameters: [
			{ name: 'sourceId', in: 'path', required: true, schema: { type: 'string' } },
			{ name: 'token', in: 'path', required: true, schema: { type: 'string' }, description: "The source's URL token: the credential (no admin key)." },
		],
		body: { schema: {}, description: "The vendor's body, exactly as it sends it." },
		responses: {
			'202': { description: 'Stored (at least one new event); answered once on disk', schema: 'IngestAnswer' },
			'200': { description: 'Every event of the body was already stored: nothing sent again', schema: 'IngestAnswer' },
			'400': error('Empty or not JSON'),
			'401': error('Wrong token, signature or credentials (nothing stored)'),
			'404': error('No such source, or `source_disabled`'),
			'413': error('Body over 1 MiB'),
			'422': error('The body does not map to a catalog event; `details` says why'),
		},
	},
];

const schemaOf = (schema: SchemaRef): JsonSchema =>
	typeof schema === 'string' ? { $ref: `#/components/schemas/${schema}` } : schema;

function buildOperation(spec: OperationSpec): Json {
	const responses = Object.fromEntries(
		Object.entries(spec.responses).map(([status, answer]) => [
			status,
			{
				description: answer.description,
				...(answer.headers ? { headers: answer.headers } : {}),
				...(answer.schema !== undefined ? { content: { [answer.mediaType ?? 'application/json']: { schema: schemaOf(answer.schema) } } } : {}),
			},
		]),
	);
	return {
		operationId: spec.operationId,
		tags: [spec.tag],
		summary: spec.summary,
		...(spec.description ? { description: spec.description } : {}),
		...(spec.security ? { security: spec.security } : {}),
		...(spec.parameters ? { parameters: spec.parameters } : {}),
		...(spec.body
			? {
					requestBody: {
						required: spec.body.required ?? true,
						...(spec.body.description ? { description: spec.body.description } : {}),
						content: {
							[spec.body.mediaType ?? 'application/json']: {
								schema: schemaOf(spec.body.schema),
								...(spec.body.examples ? { examples: spec.body.examples } : {}),
							},
						},
					},
				}
			: {}),
		responses,
	};
}

const signatureHeaders: Json[] = [
	{ name: STANDARD_HEADERS.id, in: 'header', required: true, schema: { type: 'string' }, description: 'The delivery id: the same on every retry (dedupe by it).' },
	{ name: STANDARD_HEADERS.timestamp, in: 'header', required: true, schema: { type: 'string', pattern: '^[0-9]+$' }, description: 'Unix seconds when this attempt was signed.' },
	{
		name: STANDARD_HEADERS.signature,
		in: 'header',
		required: false,
		schema: { type: 'string' },
		description:
			'`standard`: `v1,<base64 HMAC-SHA256>`; `standard-ed25519`: `v1a,<base64 ed25519>`; space-separated during a rotation. Other schemes send their own header (see docs/signatures.md).',
	},
];

/** `webhooks`: the request the dispatcher sends for each event type (the `custom` template's body). */
function outgoingWebhooks(): Json {
	return Object.fromEntries(
		EVENT_CATALOG.map((def) => [
			def.type,
			{
				post: {
					operationId: `on_${def.type.replace(/\./g, '_')}`,
					tags: [def.category],
					summary: def.title ?? def.type,
					description: `${def.description} The body shown is the \`custom\` template's (the canonical envelope); \`slack\` and \`teams\` webhooks get a chat message built from it, and an alert profile's JSONata payload replaces it.`,
					parameters: signatureHeaders,
					requestBody: {
						required: true,
						content: {
							'application/json': {
								schema: {
									type: 'object',
									required: ['id', 'type', 'timestamp', 'data'],
									additionalProperties: false,
									properties: {
										id: { type: 'string' },
										type: { const: def.type },
										timestamp: { type: 'string', format: 'date-time' },
										data: def.schema,
									},
								},
								examples: { sample: { value: { id: SAMPLE_EVENT_ID, type: def.type, timestamp: SAMPLE_TIMESTAMP, data: def.sample } } },
							},
						},
					},
					responses: {
						'2XX': { description: 'Delivered: no more attempts' },
						'410': { description: 'Gone: the dispatcher disables the webhook' },
						default: { description: 'Network errors, timeouts, 408, 429 and 5xx are retried on the schedule; other answers fail the delivery' },
					},
				},
			},
		]),
	);
}

const CATEGORY_DESCRIPTIONS: Record<string, string> = {
	operational: 'Sent by the dispatcher about its own webhooks; never to the webhook they are about.',
};

/** The document; `serverUrl` is where the reader reached this dispatcher. */
export function buildOpenApiDocument(serverUrl: string = DEFAULT_SERVER_URL): Json {
	const paths: Record<string, Json> = {};
	for (const spec of OPERATIONS) {
		paths[spec.path] ??= {};
		paths[spec.path][spec.method] = buildOperation(spec);
	}
	const categories = [...new Set(EVENT_CATALOG.map((def) => def.category))];
	return {
		openapi: '3.1.0',
		info: {
			title: 'MDM webhook dispatcher',
			version: PACKAGE_VERSION,
			summary: 'MDM device events in, signed webhooks out.',
			description:
				"Takes MDM device events in (its own API, or each MDM's native webhooks at an ingest source's URL) and delivers them signed, with retries, to Slack, Teams and custom endpoints. Every `/v1` call needs `Authorization: Bearer <key>`, or the web console's session cookie from `POST /v1/session` (then a change also needs the `X-MDM-Console` header). The `webhooks` section shows what the dispatcher sends for each event type.",
			license: { name: 'MIT', identifier: 'MIT' },
		},
		servers: [{ url: serverUrl }],
		security: [{ apiKey: [] }, { consoleSession: [] }],
		tags: [
			...Object.entries(TAGS).map(([name, description]) => ({ name, description })),
			...categories.map((name) => ({ name, description: CATEGORY_DESCRIPTIONS[name] ?? `Outgoing ${name} events.` })),
		],
		paths,
		webhooks: outgoingWebhooks(),
		components: {
			securitySchemes: {
				apiKey: { type: 'http', scheme: 'bearer', description: 'The admin API key (`DISPATCHER_API_KEY`).' },
				metricsToken: { type: 'http', scheme: 'bearer', description: '`DISPATCHER_METRICS_TOKEN`: reads `/metrics` only.' },
				consoleSession: {
					type: 'apiKey',
					in: 'cookie',
					name: 'mdm_session',
					description: 'HttpOnly, SameSite=Strict cookie from `POST /v1/session`; changes also need the `X-MDM-Console` header and a same-origin `Origin`',
				},
			},
			schemas: SCHEMAS,
		},
	};
}

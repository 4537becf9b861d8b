/**
 * JSON Schemas of what the API answers, built from the same property definitions that validate
 * requests (a webhook's `name` or `timeoutSeconds` is one definition, in `./webhook`), plus what
 * only the server assigns (ids, times, health). Closed (`additionalProperties: false`, every
 * field required unless it is only sometimes present), so that the API tests, which validate a
 * real answer of every operation against these, catch a field the code adds or drops. The OpenAPI
 * document publishes them as `components.schemas`.
 */
import { DISABLE_REASONS, EVENT_CATEGORIES, EVENT_TYPE_NAMES, FAILURE_CLASSES, VENDOR_NAMES } from '../../../core';
import type { JsonSchema } from '../../../core/types';
import { filterProperties } from './delivery';
import { profileProperties } from './profile';
import { sourceProperties } from './source';
import { authSchema, signingSchema, webhookProperties } from './webhook';

const dateTime: JsonSchema = { type: 'string', format: 'date-time' };
const nullableDateTime: JsonSchema = { type: ['string', 'null'], format: 'date-time' };
const id = (prefix: string, description?: string): JsonSchema => ({
	type: 'string',
	pattern: `^${prefix}_`,
	...(description ? { description } : {}),
});

/** A closed object: every listed property required except `optional`. */
function closed(properties: Record<string, JsonSchema>, optional: string[] = [], extra: JsonSchema = {}): JsonSchema {
	return {
		type: 'object',
		additionalProperties: false,
		required: Object.keys(properties).filter((name) => !optional.includes(name)),
		properties,
		...extra,
	};
}

/** `properties` without the request-only `default` keywords (an answer always has the field). */
function withoutDefaults(properties: Record<string, JsonSchema>): Record<string, JsonSchema> {
	return Object.fromEntries(
		Object.entries(properties).map(([name, schema]) => {
			const { default: _default, ...rest } = schema;
			return [name, rest];
		}),
	);
}

export const errorAnswerSchema: JsonSchema = {
	type: 'object',
	required: ['error'],
	additionalProperties: false,
	properties: {
		error: {
			type: 'object',
			required: ['code', 'message'],
			description: 'Some codes add members: `profiles` (webhook_in_use), `test` (webhook_test_failed).',
			properties: {
				code: { type: 'string', examples: ['validation_failed', 'not_found', 'webhook_in_use', 'unauthorized'] },
				message: { type: 'string' },
				details: {
					type: 'array',
					items: {
						type: 'object',
						required: ['path', 'message'],
						properties: {
							path: { type: 'string', description: 'JSON Pointer to the field' },
							message: { type: 'string' },
							position: { type: 'integer', description: 'Character offset in the field (JSONata compile errors)' },
						},
					},
				},
			},
		},
	},
	examples: [
		{ error: { code: 'validation_failed', message: '/url: must be an https URL', details: [{ path: '/url', message: 'must be an https URL' }] } },
	],
};

// --- webhooks -----------------------------------------------------------------------------------

const signingAnswer = closed(
	{
		scheme: (signingSchema.properties as Record<string, JsonSchema>).scheme,
		secret: {
			type: 'string',
			description: 'Masked (`whsec_********`, `whsk_********`, `********`) except in the create and rotate answers.',
		},
		publicKey: { type: 'string', pattern: '^whpk_', description: '`standard-ed25519`: what receivers verify with (not a secret).' },
		previousPublicKey: { type: 'string', pattern: '^whpk_', description: 'The key before the last rotation, while it still signs.' },
		previousSecretExpiresAt: { ...dateTime, description: 'Until then the secret before the last rotation signs too.' },
	},
	['secret', 'publicKey', 'previousPublicKey', 'previousSecretExpiresAt'],
);

export const webhookAnswerSchema: JsonSchema = closed({
	id: id('wh'),
	...withoutDefaults(webhookProperties),
	auth: { ...authSchema, description: 'Password and token read `********`.' },
	signing: signingAnswer,
	disabledReason: {
		enum: [...DISABLE_REASONS, null],
		description: 'Why `enabled` is false: paused by an admin (manual), 410 Gone (gone), five days of failures (failing).',
	},
	failingSince: { ...nullableDateTime, description: 'Start of the current run of failed attempts (null after a success).' },
	createdAt: dateTime,
	updatedAt: dateTime,
});

export const testResultAnswerSchema: JsonSchema = closed({
	ok: { type: 'boolean', description: 'Whether the receiver answered 2xx.' },
	statusCode: { type: ['integer', 'null'] },
	durationMs: { type: 'number' },
	response: { type: ['string', 'null'], description: 'The answer body, at most 4 KiB.' },
	error: { type: ['string', 'null'] },
});

// --- profiles -----------------------------------------------------------------------------------

export const profileAnswerSchema: JsonSchema = closed({
	id: id('prf'),
	...withoutDefaults(profileProperties),
	createdAt: dateTime,
	updatedAt: dateTime,
});

export const previewAnswerSchema: JsonSchema = closed({
	method: { enum: ['POST', 'PUT', 'PATCH'] },
	url: { type: 'string' },
	headers: { type: 'object', additionalProperties: { type: 'string' }, description: 'Credentials masked; signatures readable.' },
	body: { description: 'The JSON body, parsed.' },
});

// --- events and deliveries ----------------------------------------------------------------------

const deliveryRef = closed({
	id: id('msg', 'The delivery id, sent as `webhook-id`.'),
	webhookId: id('wh'),
	profileId: { type: ['string', 'null'], description: 'null for a direct subscription.' },
});

export const eventAnswerSchema: JsonSchema = closed({
	id: { type: 'string' },
	type: { type: 'string' },
	deliveries: { type: 'array', items: deliveryRef },
});

const attemptAnswer = closed({
	at: dateTime,
	statusCode: { type: ['integer', 'null'] },
	durationMs: { type: 'number' },
	error: { type: ['string', 'null'] },
	response: { type: ['string', 'null'], description: 'At most 4 KiB' },
});

const deliveryProperties: Record<string, JsonSchema> = {
	id: id('msg', 'Request id, sent as `webhook-id`, stable across retries.'),
	eventId: { type: 'string' },
	eventType: { type: 'string' },
	webhookId: id('wh'),
	profileId: { type: ['string', 'null'] },
	status: filterProperties.status,
	responseCode: { type: ['integer', 'null'] },
	attemptCount: { type: 'integer', minimum: 0 },
	createdAt: dateTime,
	lastAttemptAt: nullableDateTime,
	nextAttemptAt: nullableDateTime,
};

export const deliveryAnswerSchema: JsonSchema = closed(deliveryProperties);

const originAnswer = closed({
	sourceId: id('src'),
	vendor: { enum: [...VENDOR_NAMES] },
	body: { type: 'string', description: 'What the MDM sent, at most 16 KiB.' },
	bodyBytes: { type: 'integer' },
	truncated: { type: 'boolean' },
}, [], { description: 'Events from an ingest source: what the MDM sent.' });

export const deliveryDetailAnswerSchema: JsonSchema = closed(
	{
		...deliveryProperties,
		request: {
			...closed({ method: { type: 'string' }, url: { type: 'string' }, headers: { type: 'object', additionalProperties: { type: 'string' } }, body: { type: 'string' } }),
			type: ['object', 'null'],
			description: 'The last request sent, credentials masked (null before the first attempt).',
		},
		attempts: { type: 'array', items: attemptAnswer },
		origin: originAnswer,
	},
	['origin'],
);

export const deliveryPageAnswerSchema: JsonSchema = closed({
	data: { type: 'array', items: deliveryAnswerSchema },
	nextCursor: { type: ['string', 'null'], description: 'Pass as `cursor` for the next page; null on the last.' },
});

const failuresByClass = closed(
	Object.fromEntries(FAILURE_CLASSES.map((name) => [name, { type: 'integer', minimum: 0 }])),
	[],
	{ description: 'Failed attempts by class (every attempt that did not get a 2xx, retried or not).' },
);
const counts = {
	total: { type: 'integer', minimum: 0 },
	succeeded: { type: 'integer', minimum: 0 },
	failed: { type: 'integer', minimum: 0 },
	pending: { type: 'integer', minimum: 0 },
};

export const deliverySummaryAnswerSchema: JsonSchema = closed({
	...counts,
	failuresByClass,
	byWebhook: {
		type: 'array',
		description: 'The same counts per webhook that has deliveries in the range, most deliveries first.',
		items: closed({ webhookId: id('wh'), name: { type: ['string', 'null'], description: 'null once deleted' }, ...counts, failuresByClass }),
	},
});

export const bulkRetryAnswerSchema: JsonSchema = closed({
	requeued: { type: 'integer', minimum: 0 },
	ids: { type: 'array', items: { type: 'string' } },
});

export const eventDetailAnswerSchema: JsonSchema = closed(
	{
		id: { type: 'string' },
		type: { type: 'string', enum: [...EVENT_TYPE_NAMES] },
		timestamp: dateTime,
		data: { type: 'object', additionalProperties: true, description: "As validated against the type's schema." },
		receivedAt: dateTime,
		origin: originAnswer,
		deliveries: { type: 'array', items: deliveryAnswerSchema, description: 'Every delivery the event made, as in the delivery log.' },
	},
	['origin'],
);

export const catalogAnswerSchema: JsonSchema = closed({
	data: {
		type: 'array',
		items: closed({
			type: { type: 'string' },
			category: { enum: [...EVENT_CATEGORIES] },
			description: { type: 'string' },
			schema: { type: 'object', additionalProperties: true, description: "JSON Schema of the envelope's `data`." },
			sample: { type: 'object', additionalProperties: true },
		}),
	},
});

// --- sources and sessions -----------------------------------------------------------------------

const sourceStats = closed(
	{
		received: { type: 'integer' },
		accepted: { type: 'integer' },
		duplicates: { type: 'integer' },
		rejected: { type: 'integer' },
		events: { type: 'integer' },
		lastReceivedAt: nullableDateTime,
		lastError: {
			type: ['object', 'null'],
			properties: { at: dateTime, status: { type: 'integer' }, code: { type: 'string' }, message: { type: 'string' } },
		},
	},
	[],
	{ description: 'Requests past the token check, by outcome; `events`: canonical events stored.' },
);

export const sourceAnswerSchema: JsonSchema = closed(
	{
		id: id('src'),
		...withoutDefaults(sourceProperties),
		vendor: { enum: [...VENDOR_NAMES] },
		auth: { ...authSchema, description: 'Password or token masked except in the create answer.' },
		hmac: { ...(sourceProperties.hmac as JsonSchema), type: ['object', 'null'] },
		mapping: sourceProperties.mapping,
		ingestUrl: { type: 'string', description: '`<origin>/ingest/<id>/<token>`: paste into the MDM. The token reads `********` except in the create and rotate answers.' },
		secret: { type: 'string', description: 'Masked except in the create and rotate answers.' },
		setup: { type: 'string', description: "Where to paste what in the vendor's product." },
		nexthinkTemplate: { type: 'string', description: 'nexthink: the JSON payload template to paste into Nexthink.' },
		previousCredentialsExpireAt: { ...dateTime, description: 'Until then the token and secret before the last rotation still work.' },
		stats: sourceStats,
		createdAt: dateTime,
		updatedAt: dateTime,
	},
	['secret', 'nexthinkTemplate', 'previousCredentialsExpireAt'],
);

export const ingestAnswerSchema: JsonSchema = closed({
	events: {
		type: 'array',
		items: closed({ id: { type: 'string' }, type: { type: 'string' }, duplicate: { type: 'boolean' } }),
	},
});

export const sessionAnswerSchema: JsonSchema = closed({
	createdAt: dateTime,
	expiresAt: { ...dateTime, description: 'The latest the session lasts (24 h after sign-in)' },
	idleExpiresAt: { ...dateTime, description: 'When it ends without another request (8 h idle)' },
	allowHttp: { type: 'boolean', description: 'Whether this dispatcher accepts http:// destinations' },
});

export const healthAnswerSchema: JsonSchema = closed({ status: { const: 'ok' } });

/** `{data: [...]}` of a list endpoint. */
export function listAnswer(item: JsonSchema): JsonSchema {
	return closed({ data: { type: 'array', items: item } });
}

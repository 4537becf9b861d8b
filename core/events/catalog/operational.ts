/**
 * Operational events: the dispatcher's own news about its webhooks, so that an admin can route a
 * failing Slack webhook's trouble to Teams, or to an n8n workflow (Svix's operational webhooks,
 * Standard Webhooks' "tell the consumer by another channel"). The dispatcher emits them itself;
 * they route like any event, except never to the webhook they are about. `data` carries the
 * webhook instead of a device.
 *
 * The webhook's URL is left out on purpose: a Slack or Teams URL is itself a credential. `host`
 * names the destination well enough to find it.
 */
import type { JsonObject, JsonSchema } from '../../types';
import { type CatalogEntry, dateTime, longText, nonEmptyStr, str } from './shared';

/** Why the dispatcher stopped delivering to a webhook. */
export const DISABLE_REASONS = ['manual', 'gone', 'failing'] as const;

/** How an attempt failed, in the few classes an operator acts on. */
export const FAILURE_CLASSES = ['timeout', 'connection_refused', 'network', 'http_4xx', 'http_5xx', 'other'] as const;

const webhookSchema: JsonSchema = {
	type: 'object',
	required: ['id', 'name'],
	description: 'The webhook this event is about (never its URL or credentials).',
	properties: {
		id: nonEmptyStr(),
		name: nonEmptyStr(),
		template: { type: 'string', enum: ['slack', 'teams', 'custom'] },
		host: { ...str(), description: 'The destination host name.' },
	},
	additionalProperties: true,
};

const failureSchema: JsonSchema = {
	type: 'object',
	required: ['class'],
	description: 'The failed attempt that this event reports.',
	properties: {
		class: { type: 'string', enum: [...FAILURE_CLASSES] },
		statusCode: { type: ['integer', 'null'], minimum: 100, maximum: 599 },
		error: { type: ['string', 'null'], maxLength: 2048 },
		at: dateTime,
	},
	additionalProperties: true,
};

const deliverySchema: JsonSchema = {
	type: 'object',
	required: ['id'],
	description: 'The delivery (request id, sent as `webhook-id`) and the event it carried.',
	properties: {
		id: nonEmptyStr(),
		eventId: nonEmptyStr(),
		eventType: str(100),
		profileId: { type: ['string', 'null'], maxLength: 256 },
		attemptCount: { type: 'integer', minimum: 0 },
	},
	additionalProperties: true,
};

function operationalSchema(required: string[], properties: Record<string, JsonSchema>): JsonSchema {
	return {
		type: 'object',
		required: ['webhook', ...required],
		properties: { webhook: webhookSchema, occurredAt: dateTime, ...properties },
		additionalProperties: true,
	};
}

const SAMPLE_WEBHOOK = { id: 'wh_01JDXK6Y3Q9S8T7V6W5X4Y3Z2A', name: 'Slack #provisioning', template: 'slack', host: 'hooks.slack.com' } satisfies JsonObject;
const SAMPLE_DELIVERY = {
	id: 'msg_01JDXM0B7C2D3E4F5G6H7J8K9M',
	eventId: 'evt_01JDXM0AZZ1Y2X3W4V5T6S7R8Q',
	eventType: 'device.enrolled',
	profileId: 'prf_01JDXJ4Q2W3E4R5T6Y7U8I9O0P',
	attemptCount: 1,
} satisfies JsonObject;

export const OPERATIONAL_EVENTS: readonly CatalogEntry[] = [
	{
		type: 'webhook.failing',
		category: 'operational',
		title: 'Webhook failing',
		emoji: ':warning:',
		description: 'An attempt to a webhook failed after its last success (the first failure of a run); retries follow.',
		schema: operationalSchema(['failure', 'failingSince'], {
			failure: failureSchema,
			delivery: deliverySchema,
			failingSince: dateTime,
		}),
		sample: {
			webhook: SAMPLE_WEBHOOK,
			delivery: SAMPLE_DELIVERY,
			failure: { class: 'http_5xx', statusCode: 503, error: null, at: '2026-11-22T03:12:08.417Z' },
			failingSince: '2026-11-22T03:12:08.417Z',
			occurredAt: '2026-11-22T03:12:08.417Z',
		},
	},
	{
		type: 'webhook.recovered',
		category: 'operational',
		title: 'Webhook recovered',
		emoji: ':white_check_mark:',
		description: 'A webhook that was failing accepted a delivery again.',
		schema: operationalSchema(['failingSince'], {
			delivery: deliverySchema,
			failingSince: dateTime,
			failingForSeconds: { type: 'number', minimum: 0 },
		}),
		sample: {
			webhook: SAMPLE_WEBHOOK,
			delivery: { ...SAMPLE_DELIVERY, attemptCount: 3 },
			failingSince: '2026-11-22T03:12:08.417Z',
			failingForSeconds: 2105.6,
			occurredAt: '2026-11-22T03:47:14.002Z',
		},
	},
	{
		type: 'webhook.disabled',
		category: 'operational',
		title: 'Webhook disabled',
		emoji: ':no_entry:',
		description:
			'A webhook stopped receiving deliveries: paused by an admin (manual), its endpoint answered 410 Gone (gone), or every attempt failed for five days (failing).',
		schema: operationalSchema(['reason'], {
			reason: { type: 'string', enum: [...DISABLE_REASONS] },
			message: longText,
			failure: failureSchema,
			failingSince: { type: ['string', 'null'], format: 'date-time' },
		}),
		sample: {
			webhook: SAMPLE_WEBHOOK,
			reason: 'gone',
			message: 'The endpoint answered 410 Gone: no more deliveries until the webhook is enabled again.',
			failure: { class: 'http_4xx', statusCode: 410, error: null, at: '2026-11-22T08:30:00.120Z' },
			failingSince: null,
			occurredAt: '2026-11-22T08:30:00.120Z',
		},
	},
	{
		type: 'delivery.exhausted',
		category: 'operational',
		title: 'Delivery failed for good',
		emoji: ':rotating_light:',
		description: 'A delivery failed and will not be tried again (every scheduled attempt failed, or the answer was final).',
		schema: operationalSchema(['delivery', 'failure'], {
			delivery: deliverySchema,
			failure: failureSchema,
		}),
		sample: {
			webhook: SAMPLE_WEBHOOK,
			delivery: { ...SAMPLE_DELIVERY, attemptCount: 8 },
			failure: { class: 'timeout', statusCode: null, error: 'timed out after 30 s', at: '2026-11-23T07:41:55.903Z' },
			occurredAt: '2026-11-23T07:41:55.903Z',
		},
	},
];

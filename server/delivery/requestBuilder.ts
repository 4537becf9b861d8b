/**
 * The exact request a delivery sends: the profile's JSONata payload or the webhook's template,
 * signed with the webhook's active secrets. Used by the worker, the preview, test and mock sends.
 * A JSONata payload is evaluated in the JSONata pool, under its deadline and size limit.
 */
import { buildOutboundRequest, renderTemplate } from '../../core';
import type { EventEnvelope, OutboundRequest } from '../../core/types';
import type { JsonataPool } from '../mapping/jsonataPool';
import type { SigningConfig, WebhookRecord } from '../domain/records';

/** The webhook fields that shape a request (a saved webhook or an unsaved test config). */
export type WebhookShape = Pick<
	WebhookRecord,
	'template' | 'url' | 'method' | 'auth' | 'signing' | 'headers' | 'nonSecretHeaders'
>;

/** A profile's JSONata payload and the pool that evaluates it. */
export interface PayloadMapping {
	source: string;
	jsonata: JsonataPool;
}

export class PayloadMappingError extends Error {}

export async function buildPayload(
	webhook: Pick<WebhookShape, 'template'>,
	envelope: EventEnvelope,
	mapping?: PayloadMapping,
): Promise<unknown> {
	if (mapping) {
		try {
			return await mapping.jsonata.mapping(mapping.source, envelope);
		} catch (error) {
			throw new PayloadMappingError(`payload mapping failed: ${(error as Error).message}`);
		}
	}
	return renderTemplate(webhook.template, envelope);
}

/** Current secret first, then the rotated-out one while its 24 h overlap lasts. */
export function activeSecrets(signing: SigningConfig, nowMs: number): string[] {
	if (signing.scheme === 'none') return [];
	const secrets = [signing.secret];
	if (signing.previousSecret && signing.previousSecretExpiresAt && Date.parse(signing.previousSecretExpiresAt) > nowMs) {
		secrets.push(signing.previousSecret);
	}
	return secrets;
}

export async function buildDeliveryRequest(input: {
	webhook: WebhookShape;
	envelope: EventEnvelope;
	mapping?: PayloadMapping;
	messageId: string;
	nowMs: number;
}): Promise<OutboundRequest> {
	const { webhook, envelope, mapping, messageId, nowMs } = input;
	return buildOutboundRequest({
		url: webhook.url,
		method: webhook.method,
		payload: await buildPayload(webhook, envelope, mapping),
		messageId,
		timestamp: Math.floor(nowMs / 1000),
		signing: { scheme: webhook.signing.scheme, secrets: activeSecrets(webhook.signing, nowMs) },
		auth: webhook.auth,
		headers: webhook.headers,
	});
}

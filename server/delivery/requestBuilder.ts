/**
 * The exact request a delivery sends: the profile's JSONata payload or the webhook's template,
 * signed with the webhook's active secrets. Used by the worker, the preview, test and mock sends.
 */
import { buildOutboundRequest, compileJsonata, maskHeaders, renderTemplate } from '../../core';
import type { EventEnvelope, OutboundRequest } from '../../core/types';
import type { ProfileRecord, SentRequest, SigningConfig, WebhookRecord } from '../domain/records';

/** The webhook fields that shape a request (a saved webhook or an unsaved test config). */
export type WebhookShape = Pick<
	WebhookRecord,
	'template' | 'url' | 'method' | 'auth' | 'signing' | 'headers'
>;

export class PayloadMappingError extends Error {}

export async function buildPayload(
	webhook: Pick<WebhookShape, 'template'>,
	envelope: EventEnvelope,
	profile?: Pick<ProfileRecord, 'payload'>,
): Promise<unknown> {
	if (profile?.payload) {
		try {
			return await compileJsonata(profile.payload).evaluate(envelope);
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
	profile?: Pick<ProfileRecord, 'payload'>;
	messageId: string;
	nowMs: number;
}): Promise<OutboundRequest> {
	const { webhook, envelope, profile, messageId, nowMs } = input;
	return buildOutboundRequest({
		url: webhook.url,
		method: webhook.method,
		payload: await buildPayload(webhook, envelope, profile),
		messageId,
		timestamp: Math.floor(nowMs / 1000),
		signing: { scheme: webhook.signing.scheme, secrets: activeSecrets(webhook.signing, nowMs) },
		auth: webhook.auth,
		headers: webhook.headers,
	});
}

/** What logs and previews show: credentials masked, signatures visible. */
export function maskRequest(request: OutboundRequest): SentRequest {
	return { method: request.method, url: request.url, headers: maskHeaders(request.headers), body: request.body };
}

/** Test and mock sends: one attempt, answered to the caller, never logged. */
import { InvalidSecretError, newId } from '../../core';
import type { EventEnvelope } from '../../core/types';
import type { DeliveryHttpClient } from './httpClient';
import { buildDeliveryRequest, type WebhookShape } from './requestBuilder';

export interface TestSendResult {
	ok: boolean;
	statusCode: number | null;
	durationMs: number;
	response: string | null;
	error: string | null;
}

export async function sendOnce(
	client: DeliveryHttpClient,
	webhook: WebhookShape & { timeoutSeconds: number },
	envelope: EventEnvelope,
): Promise<TestSendResult> {
	let request;
	try {
		request = await buildDeliveryRequest({ webhook, envelope, messageId: newId('msg'), nowMs: Date.now() });
	} catch (error) {
		if (!(error instanceof InvalidSecretError)) throw error;
		return { ok: false, statusCode: null, durationMs: 0, response: null, error: `signing failed: ${error.message}` };
	}
	const result = await client.send(request, webhook.timeoutSeconds);
	const ok = result.statusCode !== null && result.statusCode >= 200 && result.statusCode < 300;
	return {
		ok,
		statusCode: result.statusCode,
		durationMs: Math.round(result.durationMs * 10) / 10,
		response: result.response,
		error: result.error,
	};
}

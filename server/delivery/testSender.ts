/** Test and mock sends: one attempt, answered to the caller, never logged. */
import { InvalidSecretError, newId } from '../../core';
import type { EventEnvelope } from '../../core/types';
import type { HttpSender } from './httpClient';
import { scrubResponse } from './redact';
import { buildDeliveryRequest, type WebhookShape } from './requestBuilder';
import { classifyAttempt } from './retryPolicy';

export interface TestSendResult {
	/** True only for a complete 2xx: the status and the whole body within the timeout. */
	ok: boolean;
	statusCode: number | null;
	durationMs: number;
	/** The receiver's body (≤ 4 KiB) with the webhook's secrets scrubbed out. */
	response: string | null;
	error: string | null;
}

export async function sendOnce(
	client: HttpSender,
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
	return {
		ok: classifyAttempt(result) === 'succeeded',
		statusCode: result.statusCode,
		durationMs: Math.round(result.durationMs * 10) / 10,
		response: scrubResponse(result.response, webhook),
		error: scrubResponse(result.error, webhook),
	};
}

/**
 * What answers and the delivery log show of a webhook's requests and its receivers' responses.
 * The rule for headers: `authorization` shows only its scheme; every custom header value is
 * masked unless the webhook lists the header in `nonSecretHeaders`; the headers the dispatcher
 * sets itself (content-type, user-agent, `webhook-*`, signatures) stay readable. A response body
 * or error text is scrubbed of every secret value the webhook holds (auth password or token, the
 * Basic credential, signing secrets, secret custom header values): receivers that echo the
 * request must not put a credential into the log. The stored body is cut at 64 KiB.
 */
import { type HeaderMasking, authorizationHeader, maskHeaders, maskUrlCredentials, scrubSecrets } from '../../core';
import type { OutboundRequest } from '../../core/types';
import type { SentRequest, WebhookRecord } from '../store/types';
import { truncateUtf8 } from './httpClient';

/** Bytes of a sent body kept in the delivery log. */
export const STORED_REQUEST_BODY_BYTES = 64 * 1024;

/** The webhook fields that hold or describe secrets. */
export type SecretHolder = Pick<WebhookRecord, 'auth' | 'signing' | 'headers' | 'nonSecretHeaders'>;

/** Lower-case names of the custom headers shown in clear. */
function plainNames(webhook: Pick<SecretHolder, 'nonSecretHeaders'>): Set<string> {
	return new Set((webhook.nonSecretHeaders ?? []).map((name) => name.toLowerCase()));
}

/** The masking rule of a webhook's headers. */
export function headerMasking(webhook: Pick<SecretHolder, 'headers' | 'nonSecretHeaders'>): HeaderMasking {
	const plain = plainNames(webhook);
	const secret = new Set(Object.keys(webhook.headers).map((name) => name.toLowerCase()).filter((name) => !plain.has(name)));
	return { secret, plain };
}

/** Every secret value a webhook holds, as it could appear in a response that echoes the request. */
export function secretValues(webhook: SecretHolder): string[] {
	const values: string[] = [];
	if (webhook.auth.type === 'basic') values.push(webhook.auth.password);
	if (webhook.auth.type === 'bearer') values.push(webhook.auth.token);
	const authorization = authorizationHeader(webhook.auth);
	if (authorization !== undefined) values.push(authorization.slice(authorization.indexOf(' ') + 1));
	for (const secret of [webhook.signing.secret, webhook.signing.previousSecret]) {
		if (!secret) continue;
		values.push(secret);
		if (secret.startsWith('whsec_')) values.push(secret.slice('whsec_'.length));
	}
	const plain = plainNames(webhook);
	for (const [name, value] of Object.entries(webhook.headers)) if (!plain.has(name.toLowerCase())) values.push(value);
	return values;
}

/** `text` (a response body, an error) without the webhook's secrets. */
export function scrubResponse(text: string | null, webhook: SecretHolder): string | null {
	return text === null ? null : scrubSecrets(text, secretValues(webhook));
}

/**
 * A request as answers and logs show it: credentials masked, signatures visible; with
 * `maxBodyBytes`, the body cut there (on a UTF-8 boundary) and flagged.
 */
export function maskRequest(request: OutboundRequest, webhook: SecretHolder, maxBodyBytes?: number): SentRequest {
	const masked: SentRequest = {
		method: request.method,
		url: maskUrlCredentials(request.url),
		headers: maskHeaders(request.headers, headerMasking(webhook)),
		body: request.body,
	};
	if (maxBodyBytes === undefined || request.body.length <= maxBodyBytes / 3) return masked;
	const bytes = Buffer.byteLength(request.body);
	if (bytes <= maxBodyBytes) return masked;
	return { ...masked, body: truncateUtf8(Buffer.from(request.body), maxBodyBytes), bodyTruncated: true, bodyBytes: bytes };
}

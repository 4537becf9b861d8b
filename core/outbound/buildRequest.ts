/**
 * The one function that turns a delivery into the exact bytes and headers that go on the wire.
 * The dispatcher and the Send Webhook node both call it, so their requests are identical.
 */
import type { DestinationAuth, OutboundRequest, OutboundRequestSpec } from '../types';
import { lowerCaseHeaders } from '../http/headers';
import { signatureHeaders } from '../signing';
import { STANDARD_HEADERS } from '../signing/standard';
import { USER_AGENT } from '../version';

/** The `authorization` header value for `auth` (undefined for `none`). */
export function authorizationHeader(auth: DestinationAuth): string | undefined {
	switch (auth.type) {
		case 'basic':
			return `Basic ${Buffer.from(`${auth.username}:${auth.password}`, 'utf8').toString('base64')}`;
		case 'bearer':
			return `Bearer ${auth.token}`;
		default:
			return undefined;
	}
}

/** `JSON.stringify(payload)`; `undefined` (an empty JSONata result) is sent as `null`. */
export function serializePayload(payload: unknown): string {
	const body = JSON.stringify(payload);
	return body === undefined ? 'null' : body;
}

/**
 * Builds the request. Header order of precedence (later wins): `content-type`, `user-agent`,
 * custom headers, `authorization` from `auth`, then `webhook-id`, `webhook-timestamp` and the
 * scheme's signature headers computed over exactly `body`. All names are lower-case.
 */
export function buildOutboundRequest(spec: OutboundRequestSpec): OutboundRequest {
	const body = serializePayload(spec.payload);
	const headers: Record<string, string> = {
		'content-type': 'application/json',
		'user-agent': USER_AGENT,
		...lowerCaseHeaders(spec.headers),
	};
	const authorization = authorizationHeader(spec.auth);
	if (authorization !== undefined) headers.authorization = authorization;
	headers[STANDARD_HEADERS.id] = spec.messageId;
	headers[STANDARD_HEADERS.timestamp] = String(spec.timestamp);
	Object.assign(
		headers,
		signatureHeaders(spec.signing.scheme, {
			messageId: spec.messageId,
			timestamp: spec.timestamp,
			body,
			secrets: spec.signing.secrets,
		}),
	);
	return { url: spec.url, method: spec.method, headers, body };
}

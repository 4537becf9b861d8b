/** Masking of credentials in API answers, previews and delivery logs. */
import type { DestinationAuth } from '../types';
import { ED25519_SECRET_PREFIX } from '../signing/ed25519Secret';
import { SECRET_PREFIX } from '../signing/secret';

export const MASK = '********';

/** `whsec_********` / `whsk_********` for a Standard Webhooks secret, `********` for anything else. */
export function maskSecret(value: string): string {
	for (const prefix of [SECRET_PREFIX, ED25519_SECRET_PREFIX]) {
		if (typeof value === 'string' && value.startsWith(prefix)) return prefix + MASK;
	}
	return MASK;
}

/** The auth with its password or token masked (username stays visible). */
export function maskAuth(auth: DestinationAuth): DestinationAuth {
	switch (auth.type) {
		case 'basic':
			return { type: 'basic', username: auth.username, password: MASK };
		case 'bearer':
			return { type: 'bearer', token: MASK };
		default:
			return { type: 'none' };
	}
}

/** Header names whose value is a credential. */
const SECRET_NAME = /token|secret|key|passw|pwd|cookie|credential|auth|signature|session/i;
/** Signature headers are not secret (they are derived, one-time values) and stay readable. */
const NOT_SECRET = new Set(['webhook-signature', 'x-sf-signature', 'x-men-signature', 'x-men-signature-payload', 'x-men-algorithm']);

/** Whether a header's value should be masked. */
export function isSecretHeader(name: string): boolean {
	const lower = name.toLowerCase();
	return !NOT_SECRET.has(lower) && SECRET_NAME.test(lower);
}

/**
 * Headers with credentials masked: `authorization` keeps its scheme (`Basic ********`,
 * `Bearer ********`), and any header whose name suggests a secret (token, secret, key,
 * password, cookie, auth, …) becomes `********`.
 */
export function maskHeaders(headers: Record<string, string>): Record<string, string> {
	const out: Record<string, string> = {};
	for (const [name, value] of Object.entries(headers)) {
		const lower = name.toLowerCase();
		if (lower === 'authorization' || lower === 'proxy-authorization') {
			const scheme = /^\s*([A-Za-z][A-Za-z0-9._~+/-]*)\s+\S/.exec(String(value))?.[1];
			out[name] = scheme ? `${scheme} ${MASK}` : MASK;
		} else if (isSecretHeader(lower)) {
			out[name] = MASK;
		} else {
			out[name] = value;
		}
	}
	return out;
}

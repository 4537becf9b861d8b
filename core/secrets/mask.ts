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

/**
 * A URL with any `user:password@` replaced by `********@`. New webhooks cannot have credentials
 * in their URL (they belong in `auth`); ones stored before that rule still must not show them.
 */
export function maskUrlCredentials(url: string): string {
	return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#@]*@/i, `$1${MASK}@`);
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

/** Which headers a webhook's rule masks, beyond the name-based one (names lower-case). */
export interface HeaderMasking {
	/** Always masked: a webhook's custom headers that are not marked as not secret. */
	secret?: ReadonlySet<string>;
	/** Never masked: custom headers the admin marked as not secret. */
	plain?: ReadonlySet<string>;
}

/**
 * Headers with credentials masked: `authorization` keeps its scheme (`Basic ********`,
 * `Bearer ********`); a name in `masking.plain` stays readable; a name in `masking.secret`, or
 * any name that suggests a secret (token, secret, key, password, cookie, auth, …), becomes
 * `********`.
 */
export function maskHeaders(headers: Record<string, string>, masking: HeaderMasking = {}): Record<string, string> {
	const out: Record<string, string> = {};
	for (const [name, value] of Object.entries(headers)) {
		const lower = name.toLowerCase();
		if (lower === 'authorization' || lower === 'proxy-authorization') {
			const scheme = /^\s*([A-Za-z][A-Za-z0-9._~+/-]*)\s+\S/.exec(String(value))?.[1];
			out[name] = scheme ? `${scheme} ${MASK}` : MASK;
		} else if (masking.plain?.has(lower)) {
			out[name] = value;
		} else if (masking.secret?.has(lower) || isSecretHeader(lower)) {
			out[name] = MASK;
		} else {
			out[name] = value;
		}
	}
	return out;
}

/** Secret values shorter than this are not scrubbed from free text (they would mask ordinary words). */
export const MIN_SCRUBBED_SECRET_LENGTH = 4;

/**
 * `text` with every occurrence of a secret replaced by `********`: as is and JSON-escaped (a
 * receiver that echoes headers as JSON), and a secret's beginning at the very end of the text (a
 * response cut off in the middle of one).
 */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
	const forms = new Set<string>();
	for (const secret of secrets) {
		if (typeof secret !== 'string' || secret.length < MIN_SCRUBBED_SECRET_LENGTH) continue;
		forms.add(secret);
		forms.add(JSON.stringify(secret).slice(1, -1));
	}
	const ordered = [...forms].sort((a, b) => b.length - a.length);
	let out = text;
	for (const form of ordered) if (out.includes(form)) out = out.split(form).join(MASK);
	for (const form of ordered) {
		for (let k = Math.min(form.length - 1, out.length); k >= MIN_SCRUBBED_SECRET_LENGTH; k--) {
			if (out.endsWith(form.slice(0, k))) {
				out = out.slice(0, out.length - k) + MASK;
				break;
			}
		}
	}
	return out;
}

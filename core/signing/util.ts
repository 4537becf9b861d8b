/** Helpers shared by the signing schemes. */
import type { VerifyInput, VerifyResult, VerifyFailure } from '../types';

/**
 * A header value by name, case-insensitively. Repeated headers (arrays) are joined with `joiner`
 * (a space for `webhook-signature`, whose values are space-separated lists).
 */
export function getHeader(headers: VerifyInput['headers'], name: string, joiner = ', '): string | undefined {
	const wanted = name.toLowerCase();
	for (const [key, value] of Object.entries(headers ?? {})) {
		if (key.toLowerCase() !== wanted || value === undefined) continue;
		return Array.isArray(value) ? value.join(joiner) : String(value);
	}
	return undefined;
}

export function fail(reason: VerifyFailure, message: string): VerifyResult {
	return { valid: false, reason, message };
}

export const OK: VerifyResult = Object.freeze({ valid: true });

export function bodyBuffer(body: string | Buffer): Buffer {
	return typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
}

/** Whether a received body can be verified (the raw bytes or string as received). */
export function isRawBody(body: unknown): body is string | Buffer {
	return typeof body === 'string' || Buffer.isBuffer(body);
}

export const BAD_BODY: VerifyResult = Object.freeze({
	valid: false,
	reason: 'bad_signature',
	message: 'the body to verify must be the raw request body (string or Buffer)',
});

/** Custom header rules for destinations: forbidden names and RFC 7230 syntax. */
import type { FieldError } from '../types';
import { escapePointerToken } from '../events/validate';
import { SIGNATURE_HEADER_NAMES } from '../signing';

/** Hop-by-hop headers (RFC 7230 §6.1) a sender may not forward. */
export const HOP_BY_HOP_HEADERS: readonly string[] = [
	'connection',
	'keep-alive',
	'proxy-authenticate',
	'proxy-authorization',
	'te',
	'trailer',
	'transfer-encoding',
	'upgrade',
];

/** Header names a destination's custom headers may not set (lower-case). */
export const FORBIDDEN_CUSTOM_HEADERS: readonly string[] = Object.freeze([
	...new Set([
		...HOP_BY_HOP_HEADERS,
		'host',
		'content-length',
		'webhook-id',
		'webhook-timestamp',
		'webhook-signature',
		...SIGNATURE_HEADER_NAMES,
	]),
]);

const FORBIDDEN = new Set(FORBIDDEN_CUSTOM_HEADERS);

/** RFC 7230 `token`: the syntax of a header name. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** RFC 7230 `field-value` (with obs-text), without leading/trailing whitespace. */
const FIELD_VALUE = /^(?:[\x21-\x7e\x80-\xff](?:[\t\x20-\x7e\x80-\xff]*[\x21-\x7e\x80-\xff])?)?$/;

export function isValidHeaderName(name: string): boolean {
	return TOKEN.test(name);
}

export function isValidHeaderValue(value: string): boolean {
	return FIELD_VALUE.test(value);
}

export function isForbiddenCustomHeader(name: string): boolean {
	return FORBIDDEN.has(name.toLowerCase());
}

/**
 * Checks custom headers: valid names and values, no forbidden name, no name given twice in
 * different cases. Paths are `${pathPrefix}/<name>`.
 */
export function checkCustomHeaders(headers: Record<string, string>, pathPrefix = '/headers'): FieldError[] {
	const errors: FieldError[] = [];
	if (headers === null || typeof headers !== 'object' || Array.isArray(headers)) {
		return [{ path: pathPrefix, message: 'must be an object of header names to string values' }];
	}
	const seen = new Map<string, string>();
	for (const [name, value] of Object.entries(headers)) {
		const path = `${pathPrefix}/${escapePointerToken(name)}`;
		if (!isValidHeaderName(name)) {
			errors.push({ path, message: 'invalid header name (RFC 7230 token characters only)' });
			continue;
		}
		const lower = name.toLowerCase();
		if (FORBIDDEN.has(lower)) {
			errors.push({ path, message: `header "${lower}" may not be set as a custom header` });
			continue;
		}
		const previous = seen.get(lower);
		if (previous !== undefined) {
			errors.push({ path, message: `duplicate header (also given as "${previous}")` });
			continue;
		}
		seen.set(lower, name);
		if (typeof value !== 'string') {
			errors.push({ path, message: 'header value must be a string' });
		} else if (!isValidHeaderValue(value)) {
			errors.push({
				path,
				message: 'invalid header value (no control characters or line breaks, no leading/trailing whitespace)',
			});
		}
	}
	return errors;
}

/** Lower-cases header names (later duplicates win). */
export function lowerCaseHeaders(headers: Record<string, string> | undefined): Record<string, string> {
	const out: Record<string, string> = {};
	for (const [name, value] of Object.entries(headers ?? {})) out[name.toLowerCase()] = value;
	return out;
}

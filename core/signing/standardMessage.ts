/**
 * What both Standard Webhooks schemes (`v1` HMAC and `v1a` ed25519) read from a request before
 * checking a signature: `webhook-id`, `webhook-timestamp` inside the tolerance window, and the
 * `webhook-signature` entries of one version. Signing builds the same three headers.
 */
import type { SignInput, VerifyInput, VerifyResult } from '../types';
import { fail, getHeader, isRawBody, BAD_BODY } from './util';

export const DEFAULT_TOLERANCE_SECONDS = 300;

export const STANDARD_HEADERS = {
	id: 'webhook-id',
	timestamp: 'webhook-timestamp',
	signature: 'webhook-signature',
} as const;

/** The signed content's prefix: `{msg_id}.{timestamp}.`, followed by the raw body. */
export function signedPrefix(messageId: string, timestamp: string | number): string {
	return `${messageId}.${timestamp}.`;
}

/** The three headers of a signed message; `signatures` are already `<version>,<base64>` entries. */
export function standardHeaders(input: SignInput, signatures: readonly string[]): Record<string, string> {
	if (!Number.isSafeInteger(input.timestamp)) throw new Error('webhook timestamp must be an integer (Unix seconds)');
	return {
		[STANDARD_HEADERS.id]: input.messageId,
		[STANDARD_HEADERS.timestamp]: String(input.timestamp),
		[STANDARD_HEADERS.signature]: signatures.join(' '),
	};
}

export interface StandardMessage {
	id: string;
	timestamp: number;
	body: string | Buffer;
	/** The base64 parts of every `webhook-signature` entry of the wanted version, in order. */
	signatures: string[];
}

/**
 * Reads a received Standard Webhooks message: the headers present, the timestamp inside the
 * window, the body raw. Returns the failure to answer with when any of that does not hold.
 */
export function readStandardMessage(input: VerifyInput, version: 'v1' | 'v1a'): StandardMessage | VerifyResult {
	const id = getHeader(input.headers, STANDARD_HEADERS.id);
	const ts = getHeader(input.headers, STANDARD_HEADERS.timestamp);
	const sigHeader = getHeader(input.headers, STANDARD_HEADERS.signature, ' ');
	const missing = [
		id === undefined || id === '' ? STANDARD_HEADERS.id : undefined,
		ts === undefined || ts === '' ? STANDARD_HEADERS.timestamp : undefined,
		sigHeader === undefined || sigHeader.trim() === '' ? STANDARD_HEADERS.signature : undefined,
	].filter((h): h is (typeof STANDARD_HEADERS)[keyof typeof STANDARD_HEADERS] => h !== undefined);
	if (missing.length || id === undefined || ts === undefined || sigHeader === undefined) {
		return fail('missing_header', `missing header${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`);
	}

	const timestampText = ts.trim();
	if (!/^\d{1,15}$/.test(timestampText)) {
		return fail('timestamp_out_of_window', 'webhook-timestamp is not a Unix timestamp in seconds');
	}
	const timestamp = Number(timestampText);
	const now = input.nowSeconds ?? Math.floor(Date.now() / 1000);
	const tolerance = input.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
	if (Math.abs(now - timestamp) > tolerance) {
		return fail(
			'timestamp_out_of_window',
			`webhook-timestamp is ${Math.abs(now - timestamp)} s ${timestamp < now ? 'in the past' : 'in the future'} (tolerance ${tolerance} s)`,
		);
	}
	if (!isRawBody(input.body)) return BAD_BODY;

	const signatures: string[] = [];
	for (const part of sigHeader.trim().split(/\s+/)) {
		const comma = part.indexOf(',');
		if (comma > 0 && part.slice(0, comma) === version) signatures.push(part.slice(comma + 1));
	}
	return { id, timestamp, body: input.body, signatures };
}

/** Whether `readStandardMessage` answered with a failure. */
export function isVerifyFailure(value: StandardMessage | VerifyResult): value is VerifyResult {
	return 'valid' in value;
}

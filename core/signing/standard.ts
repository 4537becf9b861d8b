/**
 * Standard Webhooks (https://www.standardwebhooks.com/):
 * `webhook-id`, `webhook-timestamp` (Unix seconds) and
 * `webhook-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body">`, keyed with the
 * base64-decoded `whsec_` secret. During secret rotation the message is signed with every
 * secret, the signatures space-separated; a verifier accepts any matching `v1,` signature.
 * Interoperates with the `standardwebhooks` npm package both ways.
 */
import { createHmac } from 'node:crypto';
import type { SignInput, SigningScheme, VerifyInput, VerifyResult } from '../types';
import { safeEqualBytes } from './hmac';
import { decodeStandardSecret } from './secret';
import { BAD_BODY, OK, bodyBuffer, fail, getHeader, isRawBody } from './util';

export const DEFAULT_TOLERANCE_SECONDS = 300;

export const STANDARD_HEADERS = {
	id: 'webhook-id',
	timestamp: 'webhook-timestamp',
	signature: 'webhook-signature',
} as const;

function hmacDigest(key: Buffer, messageId: string, timestamp: string | number, body: string | Buffer): Buffer {
	return createHmac('sha256', key)
		.update(`${messageId}.${timestamp}.`, 'utf8')
		.update(bodyBuffer(body))
		.digest();
}

/** `v1,<base64>` for one secret. */
export function standardSignature(secret: string, messageId: string, timestamp: number, body: string | Buffer): string {
	return `v1,${hmacDigest(decodeStandardSecret(secret), messageId, timestamp, body).toString('base64')}`;
}

function sign(input: SignInput): Record<string, string> {
	if (!input.secrets.length) throw new Error('standard signing needs at least one secret');
	if (!Number.isSafeInteger(input.timestamp)) throw new Error('webhook timestamp must be an integer (Unix seconds)');
	const signatures = input.secrets.map((s) => standardSignature(s, input.messageId, input.timestamp, input.body));
	return {
		[STANDARD_HEADERS.id]: input.messageId,
		[STANDARD_HEADERS.timestamp]: String(input.timestamp),
		[STANDARD_HEADERS.signature]: signatures.join(' '),
	};
}

function verify(input: VerifyInput): VerifyResult {
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

	let key: Buffer;
	try {
		key = decodeStandardSecret(input.secret);
	} catch (err) {
		return fail('bad_secret', (err as Error).message);
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
	const expected = Buffer.from(hmacDigest(key, id, timestamp, input.body).toString('base64'), 'utf8');
	let matched = false;
	for (const part of sigHeader.trim().split(/\s+/)) {
		const comma = part.indexOf(',');
		if (comma < 0 || part.slice(0, comma) !== 'v1') continue;
		const received = Buffer.from(part.slice(comma + 1), 'utf8');
		// No early exit: every candidate is compared, so timing does not reveal which one matched.
		if (safeEqualBytes(received, expected)) matched = true;
	}
	return matched ? OK : fail('bad_signature', 'no webhook-signature matches the body with this secret');
}

export const standardScheme: SigningScheme = {
	name: 'standard',
	headerNames: [STANDARD_HEADERS.id, STANDARD_HEADERS.timestamp, STANDARD_HEADERS.signature],
	sign,
	verify,
};

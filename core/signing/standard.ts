/**
 * Standard Webhooks (https://www.standardwebhooks.com/), symmetric:
 * `webhook-id`, `webhook-timestamp` (Unix seconds) and
 * `webhook-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body">`, keyed with the
 * base64-decoded `whsec_` secret. During secret rotation the message is signed with every
 * secret, the signatures space-separated; a verifier accepts any matching `v1,` signature.
 * Interoperates with the `standardwebhooks` npm package both ways.
 */
import { type KeyObject, createHmac } from 'node:crypto';
import type { SignInput, SigningScheme, VerifyInput, VerifyResult } from '../types';
import { safeEqualBytes } from './hmac';
import { hmacKey } from './keyCache';
import { decodeStandardSecret } from './secret';
import { STANDARD_HEADERS, isVerifyFailure, readStandardMessage, signedPrefix, standardHeaders } from './standardMessage';
import { OK, bodyBuffer, fail } from './util';

export { DEFAULT_TOLERANCE_SECONDS, STANDARD_HEADERS } from './standardMessage';

function hmacDigest(key: KeyObject, messageId: string, timestamp: string | number, body: string | Buffer): Buffer {
	return createHmac('sha256', key).update(signedPrefix(messageId, timestamp), 'utf8').update(bodyBuffer(body)).digest();
}

/** The HMAC key of a `whsec_` secret (its base64 part decoded). */
function standardKey(secret: string): KeyObject {
	return hmacKey('standard', secret, decodeStandardSecret);
}

/** `v1,<base64>` for one secret. */
export function standardSignature(secret: string, messageId: string, timestamp: number, body: string | Buffer): string {
	return `v1,${hmacDigest(standardKey(secret), messageId, timestamp, body).toString('base64')}`;
}

function sign(input: SignInput): Record<string, string> {
	if (!input.secrets.length) throw new Error('standard signing needs at least one secret');
	return standardHeaders(
		input,
		input.secrets.map((s) => standardSignature(s, input.messageId, input.timestamp, input.body)),
	);
}

function verify(input: VerifyInput): VerifyResult {
	const message = readStandardMessage(input, 'v1');
	if (isVerifyFailure(message)) return message;
	let key: KeyObject;
	try {
		key = standardKey(input.secret);
	} catch (err) {
		return fail('bad_secret', (err as Error).message);
	}
	const expected = Buffer.from(hmacDigest(key, message.id, message.timestamp, message.body).toString('base64'), 'utf8');
	let matched = false;
	for (const signature of message.signatures) {
		// No early exit: every candidate is compared, so timing does not reveal which one matched.
		if (safeEqualBytes(Buffer.from(signature, 'utf8'), expected)) matched = true;
	}
	return matched ? OK : fail('bad_signature', 'no webhook-signature matches the body with this secret');
}

export const standardScheme: SigningScheme = {
	name: 'standard',
	headerNames: [STANDARD_HEADERS.id, STANDARD_HEADERS.timestamp, STANDARD_HEADERS.signature],
	sign,
	verify,
};

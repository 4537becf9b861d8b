/**
 * Standard Webhooks, asymmetric (`standard-ed25519`): the same `webhook-id`, `webhook-timestamp`
 * and signed content `id.timestamp.body` as `standard`, signed with ed25519 and sent as
 * `webhook-signature: v1a,<base64 of the 64-byte signature>`. The dispatcher holds the `whsk_`
 * secret key; receivers verify with the `whpk_` public key. During a rotation both keys sign,
 * space-separated, as with `v1`.
 */
import { sign as edSign, verify as edVerify } from 'node:crypto';
import type { SignInput, SigningScheme, VerifyInput, VerifyResult } from '../types';
import { ed25519PrivateKey, ed25519VerifyKey } from './ed25519Secret';
import { STANDARD_HEADERS, isVerifyFailure, readStandardMessage, signedPrefix, standardHeaders } from './standardMessage';
import { OK, bodyBuffer, fail } from './util';

const SIGNATURE_BYTES = 64;

function signedContent(messageId: string, timestamp: string | number, body: string | Buffer): Buffer {
	return Buffer.concat([Buffer.from(signedPrefix(messageId, timestamp), 'utf8'), bodyBuffer(body)]);
}

/** `v1a,<base64>` for one `whsk_` secret key. */
export function ed25519Signature(secretKey: string, messageId: string, timestamp: number, body: string | Buffer): string {
	return `v1a,${edSign(null, signedContent(messageId, timestamp, body), ed25519PrivateKey(secretKey)).toString('base64')}`;
}

function sign(input: SignInput): Record<string, string> {
	if (!input.secrets.length) throw new Error('standard-ed25519 signing needs at least one secret key');
	return standardHeaders(
		input,
		input.secrets.map((s) => ed25519Signature(s, input.messageId, input.timestamp, input.body)),
	);
}

/** `input.secret` is the `whpk_` public key (a `whsk_` secret key works too). */
function verify(input: VerifyInput): VerifyResult {
	const message = readStandardMessage(input, 'v1a');
	if (isVerifyFailure(message)) return message;
	let key;
	try {
		key = ed25519VerifyKey(input.secret);
	} catch (err) {
		return fail('bad_secret', (err as Error).message);
	}
	const content = signedContent(message.id, message.timestamp, message.body);
	let matched = false;
	for (const encoded of message.signatures) {
		const signature = /^[A-Za-z0-9+/]+={0,2}$/.test(encoded) ? Buffer.from(encoded, 'base64') : undefined;
		if (signature?.length === SIGNATURE_BYTES && edVerify(null, content, key, signature)) matched = true;
	}
	if (matched) return OK;
	return fail(
		'bad_signature',
		message.signatures.length === 0
			? 'webhook-signature has no v1a (ed25519) signature'
			: 'no v1a webhook-signature matches the body with this public key',
	);
}

export const standardEd25519Scheme: SigningScheme = {
	name: 'standard-ed25519',
	headerNames: [STANDARD_HEADERS.id, STANDARD_HEADERS.timestamp, STANDARD_HEADERS.signature],
	sign,
	verify,
};

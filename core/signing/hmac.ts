/**
 * Generic HMAC signing and constant-time verification (the Verify Signature node's "generic HMAC"
 * scheme, and the building block of the vendor schemes).
 */
import { type KeyObject, createHash, createHmac, timingSafeEqual } from 'node:crypto';

export type HmacAlgorithm = 'sha1' | 'sha256' | 'sha512';
export type HmacEncoding = 'hex' | 'base64';
export const HMAC_ALGORITHMS: readonly HmacAlgorithm[] = ['sha1', 'sha256', 'sha512'];
export const HMAC_ENCODINGS: readonly HmacEncoding[] = ['hex', 'base64'];

export interface HmacInput {
	algorithm: HmacAlgorithm;
	encoding: HmacEncoding;
	/** A string secret is used as its UTF-8 bytes. */
	secret: string | Buffer | KeyObject;
	body: string | Buffer;
	/** Text before the digest, e.g. `sha256=` as GitHub sends it. */
	prefix?: string;
}

export interface HmacVerifyInput extends HmacInput {
	/** The signature as received (surrounding whitespace is ignored). */
	signature: string;
}

const DIGEST_BYTES: Record<HmacAlgorithm, number> = { sha1: 20, sha256: 32, sha512: 64 };

function digest(input: HmacInput): Buffer {
	if (!HMAC_ALGORITHMS.includes(input.algorithm)) throw new Error(`unsupported HMAC algorithm "${input.algorithm}"`);
	return createHmac(input.algorithm, input.secret).update(input.body).digest();
}

/** `prefix` + the HMAC of `body` in `encoding`. */
export function computeHmac(input: HmacInput): string {
	if (!HMAC_ENCODINGS.includes(input.encoding)) throw new Error(`unsupported encoding "${input.encoding}"`);
	return (input.prefix ?? '') + digest(input).toString(input.encoding);
}

/** Decodes a received digest strictly; undefined if it is not valid in that encoding. */
export function decodeDigest(value: string, encoding: HmacEncoding): Buffer | undefined {
	if (encoding === 'hex') {
		if (!/^(?:[0-9a-fA-F]{2})+$/.test(value)) return undefined;
		return Buffer.from(value, 'hex');
	}
	// base64 or base64url, padding optional
	if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(value)) return undefined;
	return Buffer.from(value.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
}

/** Constant-time comparison of two byte strings (false on different lengths). */
export function safeEqualBytes(a: Buffer, b: Buffer): boolean {
	return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Constant-time string equality that does not leak the length either (both sides are hashed
 * first). Handy for API keys and tokens.
 */
export function constantTimeEqual(a: string | Buffer, b: string | Buffer): boolean {
	const ha = createHash('sha256').update(a).digest();
	const hb = createHash('sha256').update(b).digest();
	return timingSafeEqual(ha, hb) && Buffer.byteLength(a) === Buffer.byteLength(b);
}

/**
 * Whether `signature` is the HMAC of `body`. Surrounding whitespace is ignored, the prefix is
 * matched case-insensitively and optional, hex is case-insensitive, base64url is accepted.
 * The digests are compared with `crypto.timingSafeEqual`.
 */
export function verifyHmac(input: HmacVerifyInput): boolean {
	if (typeof input.signature !== 'string') return false;
	let received = input.signature.trim();
	const prefix = input.prefix ?? '';
	if (prefix && received.toLowerCase().startsWith(prefix.toLowerCase())) {
		received = received.slice(prefix.length).trim();
	}
	const got = decodeDigest(received, input.encoding);
	const expected = digest(input);
	if (!got || got.length !== DIGEST_BYTES[input.algorithm]) {
		// Still do a comparison of equal-length buffers so that the timing does not depend on
		// where the received value is malformed.
		timingSafeEqual(expected, expected);
		return false;
	}
	return safeEqualBytes(got, expected);
}

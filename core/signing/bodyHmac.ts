/**
 * Schemes that send the hex HMAC-SHA256 of the body in one header (Scalefusion, Mender).
 * These have no timestamp, so they cannot detect replays: receivers should dedupe by `webhook-id`,
 * which the dispatcher always sends. They differ in how the secret becomes the HMAC key (`key`).
 */
import type { KeyObject } from 'node:crypto';
import type { SignInput, SigningScheme, VerifyInput, VerifyResult } from '../types';
import { computeHmac, verifyHmac } from './hmac';
import { hmacKey } from './keyCache';
import { BAD_BODY, OK, fail, getHeader, isRawBody } from './util';

export interface BodyHmacSchemeOptions {
	name: 'scalefusion' | 'mender';
	/** The header that carries the signature (lower-case). */
	signatureHeader: string;
	/** Other header names accepted on verification (aliases), lower-case. */
	signatureHeaderAliases?: readonly string[];
	/** Constant headers sent alongside the signature. */
	staticHeaders?: Readonly<Record<string, string>>;
	/**
	 * The HMAC key of a configured secret; throws `InvalidSecretError` for a secret the scheme
	 * cannot use. Scalefusion: the secret string's UTF-8 bytes (its reference code calls
	 * `hmac_256(ENV[SCALEFUSION_SECRET_KEY], body)` with the secret as typed). Mender: the
	 * hex-decoded bytes, as its server signs.
	 */
	key: (secret: string) => Buffer;
}

export function bodyHmacScheme(options: BodyHmacSchemeOptions): SigningScheme {
	const accepted = [options.signatureHeader, ...(options.signatureHeaderAliases ?? [])];
	const staticHeaders = options.staticHeaders ?? {};
	const keyOf = (secret: string): KeyObject => hmacKey(options.name, secret, options.key);

	function sign(input: SignInput): Record<string, string> {
		const secret = input.secrets[0];
		if (!secret) throw new Error(`${options.name} signing needs a secret`);
		return {
			[options.signatureHeader]: computeHmac({
				algorithm: 'sha256',
				encoding: 'hex',
				secret: keyOf(secret),
				body: input.body,
			}),
			...staticHeaders,
		};
	}

	function verify(input: VerifyInput): VerifyResult {
		let signature: string | undefined;
		for (const name of accepted) {
			signature = getHeader(input.headers, name);
			if (signature !== undefined && signature.trim() !== '') break;
		}
		if (signature === undefined || signature.trim() === '') {
			return fail('missing_header', `missing header ${options.signatureHeader}`);
		}
		if (typeof input.secret !== 'string' || input.secret === '') return fail('bad_secret', 'signing secret is empty');
		let key: KeyObject;
		try {
			key = keyOf(input.secret);
		} catch (error) {
			return fail('bad_secret', (error as Error).message);
		}
		for (const [name, value] of Object.entries(staticHeaders)) {
			const got = getHeader(input.headers, name);
			if (got !== undefined && got.trim().toLowerCase() !== value.toLowerCase()) {
				return fail('bad_signature', `unsupported ${name} "${got.trim()}" (expected ${value})`);
			}
		}
		if (!isRawBody(input.body)) return BAD_BODY;
		const ok = verifyHmac({
			algorithm: 'sha256',
			encoding: 'hex',
			secret: key,
			body: input.body,
			prefix: 'sha256=',
			signature,
		});
		return ok ? OK : fail('bad_signature', `${options.signatureHeader} does not match the body with this secret`);
	}

	return {
		name: options.name,
		headerNames: [...accepted, ...Object.keys(staticHeaders)],
		sign,
		verify,
	};
}

/**
 * Keys of Standard Webhooks' asymmetric scheme (`v1a`, ed25519): the dispatcher signs with a
 * secret key `whsk_` + base64 of the 32-byte ed25519 seed, and shows the receiver only the public
 * key `whpk_` + base64 of the 32-byte raw public key, as the Standard Webhooks libraries serialise
 * them. A receiver holding the public key can verify but never forge.
 */
import { type KeyObject, createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { cachedKey } from './keyCache';
import { InvalidSecretError } from './secret';

export const ED25519_SECRET_PREFIX = 'whsk_';
export const ED25519_PUBLIC_PREFIX = 'whpk_';

/** DER headers that wrap a raw 32-byte seed / public key as PKCS#8 / SPKI (RFC 8410). */
const PKCS8_ED25519 = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_ED25519 = Buffer.from('302a300506032b6570032100', 'hex');
const KEY_BYTES = 32;

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

function decodeKey(value: unknown, prefix: string, what: string): Buffer {
	if (typeof value !== 'string' || value.trim() === '') throw new InvalidSecretError(`${what} is empty`);
	const raw = value.trim();
	const body = raw.startsWith(prefix) ? raw.slice(prefix.length) : raw;
	const bytes = BASE64.test(body) ? Buffer.from(body, 'base64') : undefined;
	if (!bytes || bytes.length !== KEY_BYTES) {
		throw new InvalidSecretError(`${what} must be "${prefix}" followed by the base64 of 32 bytes`);
	}
	return bytes;
}

/** A new key pair: `{ secretKey: "whsk_…", publicKey: "whpk_…" }`. */
export function generateEd25519KeyPair(): { secretKey: string; publicKey: string } {
	const { privateKey } = generateKeyPairSync('ed25519');
	const seed = privateKey.export({ format: 'der', type: 'pkcs8' }).subarray(PKCS8_ED25519.length);
	const secretKey = ED25519_SECRET_PREFIX + seed.toString('base64');
	return { secretKey, publicKey: ed25519PublicKeyOf(secretKey) };
}

/** A new `whsk_` secret key. */
export function generateEd25519Secret(): string {
	return generateEd25519KeyPair().secretKey;
}

/** The signing key of a `whsk_` secret. Throws `InvalidSecretError` for anything else. */
export function ed25519PrivateKey(secretKey: string): KeyObject {
	return cachedKey('ed25519-private', secretKey, (s) => {
		const seed = decodeKey(s, ED25519_SECRET_PREFIX, 'an ed25519 secret key');
		return createPrivateKey({ key: Buffer.concat([PKCS8_ED25519, seed]), format: 'der', type: 'pkcs8' });
	});
}

/**
 * The verifying key of a `whpk_` public key, or of a `whsk_` secret key (its public half). Throws
 * `InvalidSecretError` for anything else.
 */
export function ed25519VerifyKey(key: string): KeyObject {
	if (typeof key === 'string' && key.trim().startsWith(ED25519_SECRET_PREFIX)) {
		return cachedKey('ed25519-public-of', key, (k) => createPublicKey(ed25519PrivateKey(k)));
	}
	return cachedKey('ed25519-public', key, (k) => {
		const raw = decodeKey(k, ED25519_PUBLIC_PREFIX, 'an ed25519 public key');
		return createPublicKey({ key: Buffer.concat([SPKI_ED25519, raw]), format: 'der', type: 'spki' });
	});
}

/** The `whpk_` public key that verifies what `secretKey` (`whsk_…`) signs. */
export function ed25519PublicKeyOf(secretKey: string): string {
	const spki = createPublicKey(ed25519PrivateKey(secretKey)).export({ format: 'der', type: 'spki' });
	return ED25519_PUBLIC_PREFIX + spki.subarray(SPKI_ED25519.length).toString('base64');
}

/** Why `value` is not a `whsk_` secret key (undefined when it is). */
export function ed25519SecretProblem(value: string): string | undefined {
	if (typeof value !== 'string' || !value.trim().startsWith(ED25519_SECRET_PREFIX)) {
		return `an ed25519 secret key is "${ED25519_SECRET_PREFIX}" followed by the base64 of 32 bytes`;
	}
	try {
		ed25519PrivateKey(value);
		return undefined;
	} catch (error) {
		return (error as Error).message;
	}
}

/** Why `value` cannot verify `v1a` signatures (undefined when it can: a `whpk_` or `whsk_` key). */
export function ed25519VerifyKeyProblem(value: string): string | undefined {
	try {
		ed25519VerifyKey(value);
		return undefined;
	} catch (error) {
		return (error as Error).message;
	}
}

/**
 * Key objects of the secrets in use, made once per secret. `createHmac` with a `Buffer` key checks
 * on every call whether the buffer is a KeyObject or a CryptoKey (Node 24: ~7× slower than with a
 * KeyObject; a delivery signs on every attempt), and an ed25519 key is parsed from DER each time.
 * Bounded: past `MAX_KEYS` secrets the oldest made is dropped (a dispatcher holds one or two
 * secrets per webhook; more than this means keys in passing, e.g. the Verify Signature node).
 */
import { type KeyObject, createSecretKey } from 'node:crypto';

const MAX_KEYS = 1024;
const keys = new Map<string, KeyObject>();

/**
 * The key `make` derives from `secret`, cached under `kind` + `secret`. `make` throws for a secret
 * its scheme cannot use (`InvalidSecretError`); nothing is cached then.
 */
export function cachedKey(kind: string, secret: string, make: (secret: string) => KeyObject): KeyObject {
	const id = `${kind}\u0000${secret}`;
	let key = keys.get(id);
	if (key === undefined) {
		key = make(secret);
		if (keys.size >= MAX_KEYS) keys.delete(keys.keys().next().value as string);
		keys.set(id, key);
	}
	return key;
}

/** The HMAC key of `secret` as `decode` turns it into bytes (base64 of `whsec_`, hex, UTF-8). */
export function hmacKey(kind: string, secret: string, decode: (secret: string) => Buffer): KeyObject {
	return cachedKey(kind, secret, (s) => createSecretKey(decode(s)));
}

/** Signing secrets in the Standard Webhooks format: `whsec_` + base64 of random bytes. */
import { randomBytes } from 'node:crypto';

export const SECRET_PREFIX = 'whsec_';

/** A new signing secret: `whsec_` + base64 of 24 random bytes (192 bits). */
export function generateSigningSecret(): string {
	return SECRET_PREFIX + randomBytes(24).toString('base64');
}

/** Thrown when a secret cannot be used as a Standard Webhooks key. */
export class InvalidSecretError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'InvalidSecretError';
	}
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{2,3})?$/;

/**
 * The HMAC key of a Standard Webhooks secret: strips `whsec_` and base64-decodes the rest.
 * Throws `InvalidSecretError` if the rest is empty or not base64.
 */
export function decodeStandardSecret(secret: string): Buffer {
	if (typeof secret !== 'string') throw new InvalidSecretError('signing secret must be a string');
	const raw = (secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret).trim();
	if (raw === '') throw new InvalidSecretError('signing secret is empty');
	if (!BASE64.test(raw) || raw.length % 4 === 1) {
		throw new InvalidSecretError('signing secret must be "whsec_" followed by base64 (Standard Webhooks format)');
	}
	const key = Buffer.from(raw, 'base64');
	if (key.length === 0) throw new InvalidSecretError('signing secret decodes to an empty key');
	return key;
}

/** Whether `secret` is a usable Standard Webhooks secret. */
export function isValidStandardSecret(secret: string): boolean {
	try {
		decodeStandardSecret(secret);
		return true;
	} catch {
		return false;
	}
}

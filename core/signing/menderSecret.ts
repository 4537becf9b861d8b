/**
 * Mender's webhook secrets. Mender's server (mendersoftware/iot-manager, `model.HexSecret`)
 * accepts only a hexadecimal string (its management API documents `[0-9a-f]{1,64}`), decodes it
 * with Go's `hex.Decode` and keys the HMAC-SHA256 with the **decoded bytes**, not the text.
 */
import { randomBytes } from 'node:crypto';
import { InvalidSecretError } from './secret';

/** The longest secret Mender's management API documents: 64 hex characters (32 bytes). */
export const MENDER_SECRET_MAX_LENGTH = 64;

const HEX = /^(?:[0-9a-fA-F]{2})+$/;

/** A new Mender secret: 32 random bytes in lower-case hex (64 characters). */
export function generateMenderSecret(): string {
	return randomBytes(32).toString('hex');
}

/**
 * The HMAC key of a Mender secret: its hex-decoded bytes. Upper-case digits are accepted (Go's
 * decoder accepts them too). Throws `InvalidSecretError` for anything that is not an even number
 * of hex digits, which Mender itself refuses.
 */
export function decodeMenderSecret(secret: string): Buffer {
	if (typeof secret !== 'string' || secret === '') throw new InvalidSecretError('signing secret is empty');
	if (!HEX.test(secret)) {
		throw new InvalidSecretError(
			'a Mender secret must be a hex string (an even number of the characters 0-9 and a-f), as Mender requires',
		);
	}
	return Buffer.from(secret, 'hex');
}

/**
 * Why `secret` cannot be configured as a Mender secret (undefined when it can): hex, as
 * `decodeMenderSecret` wants, and at most 64 characters, as Mender's API documents.
 */
export function menderSecretProblem(secret: string): string | undefined {
	try {
		decodeMenderSecret(secret);
	} catch (error) {
		return (error as Error).message;
	}
	if (secret.length > MENDER_SECRET_MAX_LENGTH) {
		return `a Mender secret has at most ${MENDER_SECRET_MAX_LENGTH} hex characters (32 bytes), as Mender's API documents`;
	}
	return undefined;
}

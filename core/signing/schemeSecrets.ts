/**
 * Which secret each signing scheme takes: the one rule the dispatcher's API, the n8n credential
 * test and the nodes check, and the secret each generates.
 */
import type { SigningSchemeName } from '../types';
import { ed25519PublicKeyOf, ed25519SecretProblem, ed25519VerifyKeyProblem, generateEd25519Secret } from './ed25519Secret';
import { generateMenderSecret, menderSecretProblem } from './menderSecret';
import { generateSigningSecret, isValidStandardSecret } from './secret';

/**
 * Why `secret` cannot sign with `scheme` (undefined when it can): `standard` wants `whsec_` +
 * base64, `standard-ed25519` a `whsk_` secret key, `mender` an even-length hex string of at most
 * 64 characters; `scalefusion` takes any non-empty text.
 */
export function signingSecretProblem(scheme: SigningSchemeName, secret: string): string | undefined {
	if (scheme === 'none') return undefined;
	if (typeof secret !== 'string' || secret === '') return 'the signing secret is empty';
	if (scheme === 'standard' && !isValidStandardSecret(secret)) return 'a standard secret is "whsec_" followed by base64';
	if (scheme === 'standard-ed25519') return ed25519SecretProblem(secret);
	if (scheme === 'mender') return menderSecretProblem(secret);
	return undefined;
}

/**
 * Why `secret` cannot verify requests signed with `scheme` (undefined when it can): as
 * `signingSecretProblem`, except that `standard-ed25519` verifies with the `whpk_` public key (a
 * `whsk_` secret key works too).
 */
export function verificationSecretProblem(scheme: SigningSchemeName, secret: string): string | undefined {
	if (scheme !== 'standard-ed25519') return signingSecretProblem(scheme, secret);
	if (typeof secret !== 'string' || secret === '') return 'the public key is empty';
	return ed25519VerifyKeyProblem(secret);
}

/**
 * A new secret for `scheme`: 32 random bytes in hex for `mender`, a `whsk_` ed25519 secret key for
 * `standard-ed25519`, a `whsec_` secret otherwise.
 */
export function generateSecretFor(scheme: SigningSchemeName): string {
	if (scheme === 'mender') return generateMenderSecret();
	if (scheme === 'standard-ed25519') return generateEd25519Secret();
	return generateSigningSecret();
}

/**
 * What a receiver verifies with, when that is not the secret itself: the `whpk_` public key of a
 * `standard-ed25519` secret key; undefined for the shared-secret schemes (and an unusable key).
 */
export function verificationKeyFor(scheme: SigningSchemeName, secret: string): string | undefined {
	if (scheme !== 'standard-ed25519' || ed25519SecretProblem(secret) !== undefined) return undefined;
	return ed25519PublicKeyOf(secret);
}

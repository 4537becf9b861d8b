/**
 * Which secret each signing scheme takes: the one rule the dispatcher's API, the n8n credential
 * test and the nodes check, and the secret each generates.
 */
import type { SigningSchemeName } from '../types';
import { generateMenderSecret, menderSecretProblem } from './menderSecret';
import { generateSigningSecret, isValidStandardSecret } from './secret';

/**
 * Why `secret` cannot sign with `scheme` (undefined when it can): `standard` wants `whsec_` +
 * base64, `mender` an even-length hex string of at most 64 characters; `scalefusion` takes any
 * non-empty text.
 */
export function signingSecretProblem(scheme: SigningSchemeName, secret: string): string | undefined {
	if (scheme === 'none') return undefined;
	if (typeof secret !== 'string' || secret === '') return 'the signing secret is empty';
	if (scheme === 'standard' && !isValidStandardSecret(secret)) return 'a standard secret is "whsec_" followed by base64';
	if (scheme === 'mender') return menderSecretProblem(secret);
	return undefined;
}

/** A new secret for `scheme`: 32 random bytes in hex for `mender`, a `whsec_` secret otherwise. */
export function generateSecretFor(scheme: SigningSchemeName): string {
	return scheme === 'mender' ? generateMenderSecret() : generateSigningSecret();
}

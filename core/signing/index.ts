/** The signing schemes by name, and the two entry points the dispatcher and nodes use. */
import type { SignInput, SigningScheme, SigningSchemeName, VerifyInput, VerifyResult } from '../types';
import { menderScheme } from './mender';
import { scalefusionScheme } from './scalefusion';
import { standardScheme } from './standard';
import { standardEd25519Scheme } from './standardEd25519';

export * from './hmac';
export * from './secret';
export * from './menderSecret';
export * from './schemeSecrets';
export * from './ed25519Secret';
export { standardScheme, standardSignature, DEFAULT_TOLERANCE_SECONDS, STANDARD_HEADERS } from './standard';
export { standardEd25519Scheme, ed25519Signature } from './standardEd25519';
export { scalefusionScheme, SCALEFUSION_SIGNATURE_HEADER } from './scalefusion';
export { menderScheme, MENDER_SIGNATURE_HEADER, MENDER_ALGORITHM_HEADER, MENDER_ALGORITHM } from './mender';

export const SIGNING_SCHEME_NAMES: readonly SigningSchemeName[] = ['standard', 'standard-ed25519', 'scalefusion', 'mender', 'none'];

export const SIGNING_SCHEMES: Readonly<Record<Exclude<SigningSchemeName, 'none'>, SigningScheme>> = Object.freeze({
	standard: standardScheme,
	'standard-ed25519': standardEd25519Scheme,
	scalefusion: scalefusionScheme,
	mender: menderScheme,
});

/** The scheme of that name; undefined for `none` and unknown names. */
export function getSigningScheme(name: string): SigningScheme | undefined {
	return Object.prototype.hasOwnProperty.call(SIGNING_SCHEMES, name)
		? SIGNING_SCHEMES[name as keyof typeof SIGNING_SCHEMES]
		: undefined;
}

/** The signature headers of `scheme` for this message (`{}` for `none`). Names are lower-case. */
export function signatureHeaders(scheme: SigningSchemeName, input: SignInput): Record<string, string> {
	if (scheme === 'none') return {};
	const impl = getSigningScheme(scheme);
	if (!impl) throw new Error(`unknown signing scheme "${String(scheme)}"`);
	return impl.sign(input);
}

/** Verifies a received request against `scheme`. Constant-time; never throws for bad input. */
export function verifySignature(scheme: Exclude<SigningSchemeName, 'none'>, input: VerifyInput): VerifyResult {
	const impl = getSigningScheme(scheme);
	if (!impl) throw new Error(`unknown signing scheme "${String(scheme)}"`);
	return impl.verify(input);
}

/** Every header name any scheme sets (lower-case). */
export const SIGNATURE_HEADER_NAMES: readonly string[] = Object.freeze([
	...new Set(Object.values(SIGNING_SCHEMES).flatMap((s) => s.headerNames)),
]);

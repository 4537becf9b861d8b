/**
 * Secrets the dispatcher only has to recognise, never to show again (the admin API key, the
 * metrics token, ingest URL tokens), are kept as their sha256. Comparing fixed-length digests with
 * `timingSafeEqual` makes a check constant-time whatever the length of what was presented.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

/** sha256 of `secret` (UTF-8), hex: what is stored instead of the secret. */
export function digestSecret(secret: string): string {
	return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** Whether `presented` is the secret whose digest (`digestSecret`) is `digestHex`, in constant time. */
export function matchesDigest(presented: string, digestHex: string | undefined): boolean {
	if (!digestHex) return false;
	const expected = Buffer.from(digestHex, 'hex');
	const actual = createHash('sha256').update(presented, 'utf8').digest();
	return expected.length === actual.length && timingSafeEqual(actual, expected);
}

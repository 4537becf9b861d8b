/**
 * Bearer API-key check. Only the key's sha256 is kept; comparing fixed-length digests with
 * `timingSafeEqual` makes the check constant-time whatever the presented key's length.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { ApiError } from './errors';

export function hashApiKey(key: string): string {
	return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** Whether an `Authorization` header carries the key whose sha256 (hex) is `keyHashHex`. */
export function isAuthorized(header: string | undefined, keyHashHex: string): boolean {
	const match = /^Bearer\s+(.+)$/i.exec(header ?? '');
	const presented = createHash('sha256').update(match?.[1]?.trim() ?? '', 'utf8').digest();
	const expected = Buffer.from(keyHashHex, 'hex');
	return match !== null && expected.length === presented.length && timingSafeEqual(presented, expected);
}

export function requireApiKey(keyHashHex: () => string): RequestHandler {
	return (request, _response, next) => {
		if (!isAuthorized(request.headers.authorization, keyHashHex())) {
			next(new ApiError(401, 'unauthorized', 'missing or invalid API key (Authorization: Bearer <key>)'));
			return;
		}
		next();
	};
}

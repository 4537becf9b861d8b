/**
 * Bearer API-key check. Only the key's sha256 is kept; comparing fixed-length digests with
 * `timingSafeEqual` makes the check constant-time whatever the presented key's length. A request
 * without an `Authorization` header may use the console's session cookie instead (`session.ts`).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { ApiError } from './errors';
import { type SessionStore, authorizeSession, readSessionCookie } from './session';

export function hashApiKey(key: string): string {
	return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** Whether an `Authorization` header carries the key whose sha256 (hex) is `keyHashHex`. */
export function isAuthorized(header: string | undefined, keyHashHex: string): boolean {
	const match = /^Bearer\s+(.+)$/i.exec(header ?? '');
	return match !== null && isApiKey(match[1].trim(), keyHashHex);
}

/** Whether `key` is the admin key whose sha256 (hex) is `keyHashHex`, in constant time. */
export function isApiKey(key: string, keyHashHex: string): boolean {
	const presented = createHash('sha256').update(key, 'utf8').digest();
	const expected = Buffer.from(keyHashHex, 'hex');
	return expected.length === presented.length && timingSafeEqual(presented, expected);
}

export function requireApiKey(keyHashHex: () => string, sessions?: SessionStore): RequestHandler {
	return (request, _response, next) => {
		if (sessions && request.headers.authorization === undefined && readSessionCookie(request.headers.cookie) !== null) {
			next(authorizeSession(request, sessions) ?? undefined);
			return;
		}
		if (!isAuthorized(request.headers.authorization, keyHashHex())) {
			next(new ApiError(401, 'unauthorized', 'missing or invalid API key (Authorization: Bearer <key>)'));
			return;
		}
		next();
	};
}

/**
 * Bearer API-key check. Only the key's sha256 is kept (`domain/secretDigest.ts`), compared in
 * constant time. A request without an `Authorization` header may use the console's session
 * cookie instead (`session.ts`).
 */
import type { RequestHandler } from 'express';
import { matchesDigest } from '../domain/secretDigest';
import { ApiError } from './errors';
import { type SessionStore, authorizeSession, readSessionCookie } from './session';

/** Whether an `Authorization` header carries the key whose sha256 (hex) is `keyHashHex`. */
export function isAuthorized(header: string | undefined, keyHashHex: string): boolean {
	const match = /^Bearer\s+(.+)$/i.exec(header ?? '');
	return match !== null && matchesDigest(match[1].trim(), keyHashHex);
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

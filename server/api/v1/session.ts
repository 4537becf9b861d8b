/**
 * The console's sign-in: `POST /v1/session` exchanges the API key for an HttpOnly session cookie,
 * `GET /v1/session` describes the live session, `DELETE /v1/session` signs out. Mounted before the
 * API-key check: these routes are how a browser gets past it. Wrong keys are limited per client
 * address (`http/signInLimiter.ts`: 10 a minute, then `429` with `Retry-After`).
 */
import express, { Router } from 'express';
import type { DispatcherContext } from '../../context';
import { matchesDigest } from '../../domain/secretDigest';
import { ApiError } from '../../http/errors';
import {
	type SessionInfo,
	clearedSessionCookie,
	csrfRefusal,
	readSessionCookie,
	sessionCookie,
} from '../../http/session';
import { SignInLimiter, clientKey } from '../../http/signInLimiter';
import { compileValidator } from '../../http/validation';
import { type SessionCreateBody, sessionCreateSchema } from '../schemas/session';

export function sessionRouter(context: DispatcherContext, signIns = new SignInLimiter()): Router {
	const router = Router();
	const { sessions, logger } = context;
	const validateCreate = compileValidator<SessionCreateBody>(sessionCreateSchema);
	const answer = (info: SessionInfo) => ({ ...info, allowHttp: context.guard.allowsHttp });

	// Sign-in and sign-out pass the same CSRF rules as every cookie-authenticated change.
	router.use('/session', (request, _response, next) => next(csrfRefusal(request) ?? undefined));

	router.post('/session', express.json({ limit: 8 * 1024 }), (request, response) => {
		const client = clientKey(request.socket.remoteAddress);
		const waitMs = signIns.retryAfterMs(client);
		if (waitMs > 0) {
			const seconds = Math.ceil(waitMs / 1000);
			response.setHeader('retry-after', String(seconds));
			throw new ApiError(429, 'too_many_sign_ins', `too many wrong API keys from this address: try again in ${seconds} s`);
		}
		const { apiKey } = validateCreate(request.body);
		if (!matchesDigest(apiKey, context.apiKeyHash())) {
			if (signIns.recordFailure(client)) {
				logger.warn(
					{ event: 'console.sign_in_limited', client },
					`console sign-in from ${client} refused for a while: too many wrong API keys`,
				);
			}
			throw new ApiError(401, 'unauthorized', 'that is not the admin API key');
		}
		signIns.clear(client);
		const previous = readSessionCookie(request.headers.cookie);
		if (previous !== null) sessions.revoke(previous);
		const { token, info, maxAgeSeconds } = sessions.create();
		response.setHeader('set-cookie', sessionCookie(request, token, maxAgeSeconds));
		response.setHeader('cache-control', 'no-store');
		response.status(201).json(answer(info));
	});

	router.get('/session', (request, response) => {
		const token = readSessionCookie(request.headers.cookie);
		const info = token === null ? null : sessions.touch(token);
		if (info === null) throw new ApiError(401, 'unauthorized', 'no console session; sign in with the API key');
		response.setHeader('cache-control', 'no-store');
		response.json(answer(info));
	});

	router.delete('/session', (request, response) => {
		const token = readSessionCookie(request.headers.cookie);
		if (token !== null) sessions.revoke(token);
		response.setHeader('set-cookie', clearedSessionCookie(request));
		response.status(204).end();
	});

	return router;
}

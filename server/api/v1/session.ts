/**
 * The console's sign-in: `POST /v1/session` exchanges the API key for an HttpOnly session cookie,
 * `GET /v1/session` describes the live session, `DELETE /v1/session` signs out. Mounted before the
 * API-key check: these routes are how a browser gets past it.
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
import { compileValidator } from '../../http/validation';
import { type SessionCreateBody, sessionCreateSchema } from '../schemas/session';

export function sessionRouter(context: DispatcherContext): Router {
	const router = Router();
	const { sessions } = context;
	const validateCreate = compileValidator<SessionCreateBody>(sessionCreateSchema);
	const answer = (info: SessionInfo) => ({ ...info, allowHttp: context.guard.allowsHttp });

	// Sign-in and sign-out pass the same CSRF rules as every cookie-authenticated change.
	router.use('/session', (request, _response, next) => next(csrfRefusal(request) ?? undefined));

	router.post('/session', express.json({ limit: 8 * 1024 }), (request, response) => {
		const { apiKey } = validateCreate(request.body);
		if (!matchesDigest(apiKey, context.apiKeyHash())) throw new ApiError(401, 'unauthorized', 'that is not the admin API key');
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

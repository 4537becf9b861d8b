/**
 * Serves the web console (`server/console/`, built by `npm run build:console` into
 * `server/dist/console/`): the page shell for `/` and every console route, its hashed assets under
 * `/assets/`. Console routes need a session: without one the server answers with a redirect to
 * `/sign-in` and the shell is the sign-in form; the data only ever comes from `/v1`, which refuses
 * a request without the key or a session.
 *
 * Every console answer carries a strict Content-Security-Policy: scripts and styles only from
 * this origin (no inline script, no eval), requests only to this origin, no framing.
 */
import fs from 'node:fs';
import path from 'node:path';
import express, { type RequestHandler, Router } from 'express';
import { type SessionStore, readSessionCookie } from './session';

export const CONTENT_SECURITY_POLICY = [
	"default-src 'none'",
	"script-src 'self'",
	"style-src 'self'",
	"img-src 'self' data:",
	"font-src 'self'",
	"connect-src 'self'",
	"manifest-src 'self'",
	"base-uri 'none'",
	"form-action 'self'",
	"frame-ancestors 'none'",
	"object-src 'none'",
].join('; ');

/** The page that needs no session. */
export const SIGN_IN_PATH = '/sign-in';

/**
 * First path segments of the console's screens (`server/console/src/sections.tsx`, plus the
 * sign-in page). Anything else is not the console's: it falls through to the API's 404.
 */
const CONSOLE_SECTIONS = new Set(['sign-in', 'webhooks', 'profiles', 'sources', 'deliveries', 'catalog']);

/**
 * `server/dist/console` (written by `npm run build:console`) seen from the compiled server
 * (`server/dist/server/http`) or from the sources (`server/http`, under vitest).
 */
export function findConsoleDirectory(): string {
	const candidates = [path.resolve(__dirname, '../../console'), path.resolve(__dirname, '../dist/console')];
	return candidates.find((dir) => fs.existsSync(path.join(dir, 'index.html'))) ?? (candidates[1] as string);
}

const securityHeaders: RequestHandler = (_request, response, next) => {
	response.setHeader('content-security-policy', CONTENT_SECURITY_POLICY);
	response.setHeader('x-content-type-options', 'nosniff');
	response.setHeader('x-frame-options', 'DENY');
	response.setHeader('referrer-policy', 'no-referrer');
	response.setHeader('cross-origin-opener-policy', 'same-origin');
	response.setHeader('cross-origin-resource-policy', 'same-origin');
	next();
};

/** `/`, `/sign-in`, `/webhooks/wh_1`, `/catalog/device.enrolled`: a console route the shell renders. */
export function isConsolePath(pathname: string): boolean {
	if (pathname === '/') return true;
	return CONSOLE_SECTIONS.has(pathname.split('/')[1] ?? '');
}

export function consoleRouter(sessions: SessionStore, directory = findConsoleDirectory()): Router {
	const router = Router();
	router.use(
		'/assets',
		securityHeaders,
		express.static(path.join(directory, 'assets'), { index: false, immutable: true, maxAge: '365d', dotfiles: 'ignore' }),
	);

	let shell: Buffer | null = null;
	router.use((request, response, next) => {
		if ((request.method !== 'GET' && request.method !== 'HEAD') || !isConsolePath(request.path)) return next();
		const token = readSessionCookie(request.headers.cookie);
		const signedIn = token !== null && sessions.touch(token) !== null;
		if (!signedIn && request.path !== SIGN_IN_PATH) {
			const query = request.originalUrl === '/' ? '' : `?next=${encodeURIComponent(request.originalUrl)}`;
			response.setHeader('cache-control', 'no-store');
			response.redirect(303, `${SIGN_IN_PATH}${query}`);
			return;
		}
		try {
			shell ??= fs.readFileSync(path.join(directory, 'index.html'));
		} catch {
			response.status(503).type('text/plain').send('The console is not built: run `npm run build`.\n');
			return;
		}
		securityHeaders(request, response, () => {
			response.setHeader('cache-control', 'no-store');
			response.type('html').send(shell);
		});
	});
	return router;
}

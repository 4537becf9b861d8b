/**
 * Console sessions. The web console signs in once with the admin API key and gets, in exchange, a
 * random session token in an `HttpOnly`, `SameSite=Strict` cookie: the key itself is never kept
 * by the browser. The API accepts that cookie wherever it accepts `Authorization: Bearer`.
 *
 * CSRF: a cookie travels with any request the browser makes, so a change (POST, PUT, PATCH,
 * DELETE) authenticated by the cookie must also carry the `X-MDM-Console` header, which a
 * cross-site form cannot send and a cross-site script cannot add without a CORS preflight the
 * dispatcher never grants, and must not come from another origin (`Origin`, `Sec-Fetch-Site`).
 * `SameSite=Strict` already keeps the cookie off cross-site requests in current browsers; the
 * header check holds where it does not.
 *
 * Sessions live in this process's memory: a restart signs every console out, and several
 * dispatchers behind one load balancer do not share them. `SessionStore` is the seam a shared
 * backend replaces.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { digestSecret } from '../domain/secretDigest';
import { ApiError } from './errors';

export const SESSION_COOKIE = 'mdm_session';
/** The header a cookie-authenticated change must carry (any value but empty; the console sends `1`). */
export const CONSOLE_HEADER = 'x-mdm-console';

/** A session ends after this long without a request… */
export const SESSION_IDLE_MS = 8 * 60 * 60 * 1000;
/** …and at the latest this long after sign-in. */
export const SESSION_MAX_AGE_MS = 24 * 60 * 60 * 1000;
/** Signing in past this many live sessions ends the oldest one. */
export const MAX_SESSIONS = 1000;

export interface SessionOptions {
	idleMs?: number;
	maxAgeMs?: number;
	maxSessions?: number;
	/** Clock in ms (tests move it). */
	now?: () => number;
}

export interface SessionInfo {
	createdAt: string;
	/** When the session ends at the latest (the cookie's expiry). */
	expiresAt: string;
	/** When it ends if no request comes first. */
	idleExpiresAt: string;
}

interface Session {
	createdAtMs: number;
	lastSeenMs: number;
}

export class SessionStore {
	/** sha256 of the token → session: a heap dump does not hand out usable tokens. */
	private readonly sessions = new Map<string, Session>();
	private readonly idleMs: number;
	private readonly maxAgeMs: number;
	private readonly maxSessions: number;
	private readonly now: () => number;

	constructor(options: SessionOptions = {}) {
		this.idleMs = options.idleMs ?? SESSION_IDLE_MS;
		this.maxAgeMs = options.maxAgeMs ?? SESSION_MAX_AGE_MS;
		this.maxSessions = options.maxSessions ?? MAX_SESSIONS;
		this.now = options.now ?? Date.now;
	}

	get size(): number {
		return this.sessions.size;
	}

	/** A new session (the caller has checked the API key). */
	create(): { token: string; info: SessionInfo; maxAgeSeconds: number } {
		const now = this.now();
		this.sweep(now);
		while (this.sessions.size >= this.maxSessions) {
			const oldest = this.sessions.keys().next().value as string;
			this.sessions.delete(oldest);
		}
		const token = randomBytes(32).toString('base64url');
		const session = { createdAtMs: now, lastSeenMs: now };
		this.sessions.set(digestSecret(token), session);
		return { token, info: this.describe(session), maxAgeSeconds: Math.floor(this.maxAgeMs / 1000) };
	}

	/** The live session for `token`, its idle timer restarted; null when unknown or expired. */
	touch(token: string): SessionInfo | null {
		const key = digestSecret(token);
		const session = this.sessions.get(key);
		if (!session) return null;
		const now = this.now();
		if (this.expired(session, now)) {
			this.sessions.delete(key);
			return null;
		}
		session.lastSeenMs = now;
		return this.describe(session);
	}

	revoke(token: string): void {
		this.sessions.delete(digestSecret(token));
	}

	private expired(session: Session, now: number): boolean {
		return now - session.lastSeenMs >= this.idleMs || now - session.createdAtMs >= this.maxAgeMs;
	}

	private sweep(now: number): void {
		for (const [key, session] of this.sessions) if (this.expired(session, now)) this.sessions.delete(key);
	}

	private describe(session: Session): SessionInfo {
		return {
			createdAt: new Date(session.createdAtMs).toISOString(),
			expiresAt: new Date(session.createdAtMs + this.maxAgeMs).toISOString(),
			idleExpiresAt: new Date(Math.min(session.lastSeenMs + this.idleMs, session.createdAtMs + this.maxAgeMs)).toISOString(),
		};
	}
}

/** The session token in a `Cookie` header, or null. */
export function readSessionCookie(header: string | undefined): string | null {
	if (!header) return null;
	for (const part of header.split(';')) {
		const eq = part.indexOf('=');
		if (eq > 0 && part.slice(0, eq).trim() === SESSION_COOKIE) {
			const value = part.slice(eq + 1).trim();
			return value.length > 0 ? value : null;
		}
	}
	return null;
}

type RequestLike = Pick<IncomingMessage, 'method' | 'headers'> & { secure?: boolean };

/** `Secure` when the request came over TLS, directly or through a proxy that says so. */
function isHttps(request: RequestLike): boolean {
	return request.secure === true || String(request.headers['x-forwarded-proto'] ?? '').split(',')[0].trim() === 'https';
}

export function sessionCookie(request: RequestLike, token: string, maxAgeSeconds: number): string {
	return [
		`${SESSION_COOKIE}=${token}`,
		'Path=/',
		`Max-Age=${maxAgeSeconds}`,
		'HttpOnly',
		'SameSite=Strict',
		...(isHttps(request) ? ['Secure'] : []),
	].join('; ');
}

export function clearedSessionCookie(request: RequestLike): string {
	return sessionCookie(request, '', 0);
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Whether a request that changes something may use the cookie: it names the console header and
 * comes from this origin. Returns the refusal, or null.
 */
export function csrfRefusal(request: RequestLike): ApiError | null {
	if (SAFE_METHODS.has(request.method ?? 'GET')) return null;
	const header = request.headers[CONSOLE_HEADER];
	if (typeof header !== 'string' || header.length === 0) {
		return new ApiError(403, 'csrf_rejected', 'a change made with the session cookie needs the X-MDM-Console header');
	}
	const site = request.headers['sec-fetch-site'];
	const origin = request.headers.origin;
	// The scheme is not compared: behind a TLS-terminating proxy the browser says https, the dispatcher sees http.
	if ((site !== undefined && site !== 'same-origin' && site !== 'none') || (origin !== undefined && originHost(origin) !== request.headers.host)) {
		return new ApiError(403, 'csrf_rejected', 'a change made with the session cookie must come from the console itself');
	}
	return null;
}

/** `host[:port]` of an `Origin` header; null for `null` (opaque origins) or garbage. */
function originHost(origin: string): string | null {
	try {
		return origin === 'null' ? null : new URL(origin).host;
	} catch {
		return null;
	}
}

/**
 * Authenticates a request by its session cookie: null when it may go on, else the refusal
 * (401 without a live session, 403 for a change that fails the CSRF rules).
 */
export function authorizeSession(request: RequestLike, sessions: SessionStore): ApiError | null {
	const token = readSessionCookie(request.headers.cookie);
	if (token === null || sessions.touch(token) === null) {
		return new ApiError(401, 'unauthorized', 'the console session has ended; sign in again');
	}
	return csrfRefusal(request);
}

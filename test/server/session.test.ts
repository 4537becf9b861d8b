/**
 * The console's session cookie: the API key exchanged once at `POST /v1/session` for an HttpOnly,
 * SameSite=Strict cookie that the API accepts like the key; CSRF rules for changes made with it;
 * sign-out; expiry. And the console routes: refused (redirected to sign-in) without a session,
 * served with a strict CSP with one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../server/http/console';
import { SessionStore, readSessionCookie } from '../../server/http/session';
import { TEST_API_KEY, type TestDispatcher, startTestDispatcher } from '../helpers/dispatcher';
import { type Receiver, startReceiver } from '../helpers/receiver';

let dispatcher: TestDispatcher;
let target: Receiver;
beforeAll(async () => {
	dispatcher = await startTestDispatcher();
	target = await startReceiver();
});
afterAll(async () => {
	await dispatcher.close();
	await target.close();
});

const CONSOLE = { 'x-mdm-console': '1' };

async function call(method: string, path: string, headers: Record<string, string> = {}, body?: unknown) {
	const response = await fetch(`${dispatcher.baseUrl}${path}`, {
		method,
		redirect: 'manual',
		headers: { ...headers, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
		body: body !== undefined ? JSON.stringify(body) : undefined,
	});
	const text = await response.text();
	let json: { error?: { code: string; message: string } } & Record<string, unknown> = {};
	try {
		json = text ? JSON.parse(text) : {};
	} catch {
		// HTML or empty
	}
	return { status: response.status, headers: response.headers, text, json };
}

async function signIn(): Promise<string> {
	const answer = await call('POST', '/v1/session', CONSOLE, { apiKey: TEST_API_KEY });
	expect(answer.status, answer.text).toBe(201);
	const cookie = answer.headers.get('set-cookie') ?? '';
	const token = readSessionCookie(cookie.split(';')[0]);
	expect(token).not.toBeNull();
	return `mdm_session=${token}`;
}

describe('POST /v1/session', () => {
	it('sets an HttpOnly, SameSite=Strict cookie for the right key, which is not the key', async () => {
		const answer = await call('POST', '/v1/session', CONSOLE, { apiKey: TEST_API_KEY });
		expect(answer.status).toBe(201);
		const cookie = answer.headers.get('set-cookie') ?? '';
		expect(cookie).toMatch(/^mdm_session=[A-Za-z0-9_-]{43}; Path=\/; Max-Age=86400; HttpOnly; SameSite=Strict$/);
		expect(cookie).not.toContain(TEST_API_KEY);
		expect(answer.text).not.toContain(TEST_API_KEY);
		expect(answer.headers.get('cache-control')).toBe('no-store');
		expect(answer.json).toMatchObject({ allowHttp: true, expiresAt: expect.any(String), idleExpiresAt: expect.any(String) });
	});

	it('marks the cookie Secure behind a TLS proxy', async () => {
		const answer = await call('POST', '/v1/session', { ...CONSOLE, 'x-forwarded-proto': 'https' }, { apiKey: TEST_API_KEY });
		expect(answer.headers.get('set-cookie')).toMatch(/; Secure$/);
	});

	it('refuses a wrong key with 401 and no cookie, a bad body with 422', async () => {
		const wrong = await call('POST', '/v1/session', CONSOLE, { apiKey: 'not-the-key' });
		expect(wrong.status).toBe(401);
		expect(wrong.headers.get('set-cookie')).toBeNull();
		const missing = await call('POST', '/v1/session', CONSOLE, {});
		expect(missing.status).toBe(422);
		expect(missing.text).toContain('apiKey');
		const extra = await call('POST', '/v1/session', CONSOLE, { apiKey: TEST_API_KEY, remember: true });
		expect(extra.status).toBe(422);
	});

	it('needs the console header and this origin (no login CSRF)', async () => {
		const noHeader = await call('POST', '/v1/session', {}, { apiKey: TEST_API_KEY });
		expect(noHeader.status).toBe(403);
		expect(noHeader.json.error?.code).toBe('csrf_rejected');
		const foreign = await call('POST', '/v1/session', { ...CONSOLE, origin: 'https://evil.example' }, { apiKey: TEST_API_KEY });
		expect(foreign.status).toBe(403);
		expect(foreign.headers.get('set-cookie')).toBeNull();
	});
});

describe('the session cookie on /v1', () => {
	it('reads like the key; without key or cookie every call is 401', async () => {
		const cookie = await signIn();
		for (const path of ['/v1/webhooks', '/v1/profiles', '/v1/deliveries', '/v1/deliveries/summary', '/v1/event-types', '/v1/sources', '/v1/session']) {
			expect((await call('GET', path, { cookie })).status, path).toBe(200);
			expect((await call('GET', path)).status, path).toBe(401);
			expect((await call('GET', path, { cookie: 'mdm_session=forged-token' })).status, path).toBe(401);
		}
		expect((await call('POST', '/v1/events', {}, { type: 'device.lost', data: { device: { id: 'd1' } } })).status).toBe(401);
	});

	it('changes need the X-MDM-Console header and a same-origin request', async () => {
		const cookie = await signIn();
		const body = { name: 'cookie-made', url: target.url };
		const noHeader = await call('POST', '/v1/webhooks', { cookie }, body);
		expect(noHeader.status).toBe(403);
		expect(noHeader.json.error?.code).toBe('csrf_rejected');
		const crossSite = await call('POST', '/v1/webhooks', { cookie, ...CONSOLE, 'sec-fetch-site': 'cross-site' }, body);
		expect(crossSite.status).toBe(403);
		const otherOrigin = await call('POST', '/v1/webhooks', { cookie, ...CONSOLE, origin: 'http://127.0.0.1:1' }, body);
		expect(otherOrigin.status).toBe(403);
		const nullOrigin = await call('POST', '/v1/webhooks', { cookie, ...CONSOLE, origin: 'null' }, body);
		expect(nullOrigin.status).toBe(403);
		expect((await dispatcher.api.get('/v1/webhooks')).body.data.map((w: { name: string }) => w.name)).not.toContain('cookie-made');

		const origin = dispatcher.baseUrl;
		const made = await call('POST', '/v1/webhooks', { cookie, ...CONSOLE, origin, 'sec-fetch-site': 'same-origin' }, body);
		expect(made.status, made.text).toBe(201);
		const id = made.json.id as string;
		expect((await call('PATCH', `/v1/webhooks/${id}`, { cookie, ...CONSOLE, origin }, { enabled: false })).status).toBe(200);
		expect((await call('DELETE', `/v1/webhooks/${id}`, { cookie })).status).toBe(403);
		expect((await call('DELETE', `/v1/webhooks/${id}`, { cookie, ...CONSOLE })).status).toBe(204);
	});

	it('a Bearer key needs no console header, and a wrong Authorization is not rescued by a cookie', async () => {
		const cookie = await signIn();
		const made = await dispatcher.api.post('/v1/webhooks', { name: 'bearer-made', url: target.url });
		expect(made.status).toBe(201);
		const wrongKey = await call('GET', '/v1/webhooks', { cookie, authorization: 'Bearer wrong' });
		expect(wrongKey.status).toBe(401);
	});

	it('events posted with the cookie go through the general route, not the bearer-only fast path', async () => {
		const cookie = await signIn();
		const answer = await call('POST', '/v1/events', { cookie, ...CONSOLE }, { type: 'device.lost', data: { device: { id: 'd-cookie' } } });
		expect(answer.status, answer.text).toBe(202);
	});
});

describe('DELETE /v1/session', () => {
	it('ends the session and clears the cookie', async () => {
		const cookie = await signIn();
		const out = await call('DELETE', '/v1/session', { cookie, ...CONSOLE });
		expect(out.status).toBe(204);
		expect(out.headers.get('set-cookie')).toMatch(/^mdm_session=; Path=\/; Max-Age=0; HttpOnly; SameSite=Strict/);
		expect((await call('GET', '/v1/webhooks', { cookie })).status).toBe(401);
		expect((await call('GET', '/v1/session', { cookie })).status).toBe(401);
	});

	it('needs the console header too', async () => {
		const cookie = await signIn();
		expect((await call('DELETE', '/v1/session', { cookie })).status).toBe(403);
		expect((await call('GET', '/v1/webhooks', { cookie })).status).toBe(200);
	});

	it('signing in again replaces the session the browser had', async () => {
		const first = await signIn();
		const again = await call('POST', '/v1/session', { cookie: first, ...CONSOLE }, { apiKey: TEST_API_KEY });
		expect(again.status).toBe(201);
		expect((await call('GET', '/v1/webhooks', { cookie: first })).status).toBe(401);
	});
});

describe('SessionStore', () => {
	it('ends a session after the idle time, and at the latest after the maximum age', () => {
		let now = Date.parse('2026-01-01T00:00:00Z');
		const sessions = new SessionStore({ idleMs: 1000, maxAgeMs: 5000, now: () => now });
		const { token, info } = sessions.create();
		expect(info.expiresAt).toBe('2026-01-01T00:00:05.000Z');
		now += 900;
		expect(sessions.touch(token)?.idleExpiresAt).toBe('2026-01-01T00:00:01.900Z');
		now += 900;
		expect(sessions.touch(token)).not.toBeNull(); // touched 900 ms ago: still alive
		now += 1000;
		expect(sessions.touch(token)).toBeNull(); // idle for 1000 ms
		const second = sessions.create();
		for (let i = 0; i < 6; i++) {
			now += 900;
			if (i < 5) expect(sessions.touch(second.token), `step ${i}`).not.toBeNull();
		}
		expect(sessions.touch(second.token)).toBeNull(); // 5400 ms after sign-in
		expect(sessions.size).toBe(0);
	});

	it('keeps at most maxSessions, dropping the oldest; keeps only token digests', () => {
		const sessions = new SessionStore({ maxSessions: 2 });
		const a = sessions.create();
		const b = sessions.create();
		const c = sessions.create();
		expect(sessions.size).toBe(2);
		expect(sessions.touch(a.token)).toBeNull();
		expect(sessions.touch(b.token)).not.toBeNull();
		expect(sessions.touch(c.token)).not.toBeNull();
		expect(JSON.stringify([...(sessions as unknown as { sessions: Map<string, unknown> }).sessions.keys()])).not.toContain(c.token);
	});
});

describe('console routes', () => {
	it('redirect to sign-in without a session, keeping where the admin was going', async () => {
		for (const path of ['/', '/webhooks', '/webhooks/new', '/profiles/prf_1', '/sources/src_1', '/deliveries?status=failed', '/catalog/device.enrolled']) {
			const answer = await call('GET', path);
			expect(answer.status, path).toBe(303);
			const location = answer.headers.get('location');
			expect(location, path).toBe(path === '/' ? '/sign-in' : `/sign-in?next=${encodeURIComponent(path)}`);
			expect(answer.text).not.toContain('<script');
		}
		const forged = await call('GET', '/webhooks', { cookie: 'mdm_session=forged' });
		expect(forged.status).toBe(303);
	});

	it('serve the shell with a strict CSP: no inline script, no eval, no framing', async () => {
		const signInPage = await call('GET', '/sign-in');
		expect(signInPage.status).toBe(200);
		const policy = signInPage.headers.get('content-security-policy') ?? '';
		expect(policy).toBe(CONTENT_SECURITY_POLICY);
		expect(policy).toContain("script-src 'self'");
		expect(policy).toContain("frame-ancestors 'none'");
		expect(policy).not.toContain('unsafe-inline');
		expect(policy).not.toContain('unsafe-eval');
		expect(signInPage.headers.get('x-content-type-options')).toBe('nosniff');
		expect(signInPage.headers.get('cache-control')).toBe('no-store');
		// The page has no inline script: only a module script from /assets.
		const scripts = [...signInPage.text.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
		expect(scripts.length).toBe(1);
		expect(scripts[0][1]).toMatch(/type="module" src="\/assets\/app-[A-Z0-9]+\.js"/);
		expect(scripts[0][2].trim()).toBe('');
		expect(signInPage.text).not.toMatch(/\son[a-z]+=/i);

		const cookie = await signIn();
		const screen = await call('GET', '/deliveries/dlv_x', { cookie });
		expect(screen.status).toBe(200);
		expect(screen.text).toBe(signInPage.text);
	});

	it('serve hashed assets as immutable, with the CSP; no directory listing, no API route swallowed', async () => {
		const page = await call('GET', '/sign-in');
		const script = /src="(\/assets\/app-[A-Z0-9]+\.js)"/.exec(page.text)?.[1] as string;
		const asset = await call('GET', script);
		expect(asset.status).toBe(200);
		expect(asset.headers.get('content-type')).toMatch(/^text\/javascript|^application\/javascript/);
		expect(asset.headers.get('cache-control')).toContain('immutable');
		expect(asset.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
		expect(asset.text).not.toContain(TEST_API_KEY);
		expect((await call('GET', '/assets/')).status).toBe(404);
		expect((await call('GET', '/assets/../package.json')).status).toBe(404);
		const api404 = await call('GET', '/v1/nothing-here', { authorization: `Bearer ${TEST_API_KEY}` });
		expect(api404.status).toBe(404);
		expect(api404.json.error?.code).toBe('not_found');
		expect((await call('GET', '/robots.txt')).status).toBe(404);
		expect((await call('POST', '/webhooks')).status).toBe(404);
		// Only the console's sections are console routes: another path is the API's 404, signed in or not.
		const cookie = await signIn();
		for (const path of ['/v2/events', '/admin', '/webhooks-old']) {
			const answer = await call('GET', path, { cookie });
			expect(answer.status, path).toBe(404);
			expect(answer.json.error?.code, path).toBe('not_found');
		}
	});
});

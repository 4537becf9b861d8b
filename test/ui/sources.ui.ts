/**
 * The console's Ingest sources screen, in Debian's Chromium against a real dispatcher process
 * (built `dist/server/main.js`): create sources through the form for a vendor that signs
 * (Scalefusion: the secret's live check, then a generated secret), one with Basic auth (Hexnode),
 * one with only the URL token (Kobiton) and a generic one whose JSONata the API refuses with its
 * position; the ingest URL and secret shown once, copied, gone after Done and after a reload,
 * masked everywhere else; real vendor payloads posted to the URL shown, and the counts, the last
 * request and the last error changing on the screen; the Active switch; rotation (the old URL and
 * secret keep working, the new ones are shown once); an edit that keeps the stored secret;
 * delete; a tablet width; and the sign-in's limit on wrong keys. Screenshots go to docs/console/.
 */
import { createHmac } from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, type Json, TEST_API_KEY, tempDataFile } from '../helpers/dispatcher';
import { type DispatcherProcess, spawnDispatcher } from '../helpers/dispatcherProcess';
import { KOBITON_SEED_BODY, scalefusionLockedBody, scalefusionSignature } from '../helpers/vendorBodies';
import { type ConsoleBrowser, TABLET, clipboard, eventually, launchConsoleBrowser, pageStorage, section, shot, text } from './consoleBrowser';

let dispatcher: DispatcherProcess;
let base: string;
let api: ApiClient;
let ui: ConsoleBrowser;
let page: Page;

/** What the screens showed once, per source. */
const shown: Record<string, { id: string; url: string; secret?: string }> = {};

beforeAll(async () => {
	dispatcher = await spawnDispatcher(tempDataFile(), { env: { DISPATCHER_ALLOW_HTTP: 'false' } });
	base = `http://127.0.0.1:${dispatcher.port}`;
	api = dispatcher.api;
	ui = await launchConsoleBrowser();
	({ page } = await ui.newPage());
});

afterAll(async () => {
	await ui?.close();
	await dispatcher?.stop('SIGTERM');
});

/** A vendor's webhook to an ingest URL, from outside the browser (as the MDM sends it). */
async function deliver(url: string, body: string, headers: Record<string, string> = {}): Promise<{ status: number; body: Json }> {
	const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
	return { status: response.status, body: await response.json() };
}

const count = (scope: ReturnType<Page['locator']>, name: string) => text(scope.locator(`[data-count="${name}"]`));
const idFromUrl = () => decodeURIComponent(new URL(page.url()).pathname.split('/')[2] ?? '');
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

describe('console: ingest sources', () => {
	it('signs in and lists no sources yet', async () => {
		await page.goto(`${base}/sources`);
		expect(page.url()).toBe(`${base}/sign-in?next=%2Fsources`);
		await page.locator('#apiKey').fill(TEST_API_KEY);
		await page.keyboard.press('Enter');
		await page.waitForURL(`${base}/sources`);
		await page.getByRole('heading', { level: 1, name: 'Ingest sources' }).waitFor();
		await eventually(async () => expect(await text(page.locator('.notice.info'))).toContain('No ingest sources yet'));
	});

	it('creates a Scalefusion source: the secret checked as you type, the generated URL and secret shown once and copied', async () => {
		await page.getByRole('link', { name: 'New source' }).click();
		await page.waitForURL(`${base}/sources/new`);
		expect(await page.getByRole('radio', { name: /^Mender/ }).isChecked()).toBe(true);
		await page.getByRole('radio', { name: /^Scalefusion/ }).check();
		await page.locator('#src-name').fill('Scalefusion field tablets');
		await page.locator('#src-description').fill('Field sales, EU tenant');
		await page.locator('#src-secret').fill('short');
		await eventually(async () => expect(await text(page.locator('#src-secret-error'))).toBe('The secret is 8 to 256 characters.'));
		expect(await page.locator('#src-secret').getAttribute('type')).toBe('password');
		expect(await page.getByRole('button', { name: 'Create source' }).isDisabled()).toBe(true);
		// Kobiton and Hexnode have no secret: choosing them changes the fields.
		await page.getByRole('radio', { name: /^Hexnode/ }).check();
		expect(await page.locator('#src-secret').count()).toBe(0);
		expect(await page.locator('#src-auth').inputValue()).toBe('bearer');
		await page.getByRole('radio', { name: /^Scalefusion/ }).check();
		await page.locator('#src-secret').fill('');
		await eventually(async () => expect(await page.locator('#src-secret-error').count()).toBe(0));
		await shot(page, 'source-new', true);

		await page.getByRole('button', { name: 'Create source' }).click();
		await page.waitForURL(/\/sources\/src_/);
		const id = idFromUrl();
		const panel = page.getByRole('region', { name: 'Ingest URL: shown once' });
		const url = await text(panel.locator('.ingest-url'));
		const secret = await text(panel.locator('.source-secret'));
		expect(url).toMatch(new RegExp(`^${base}/ingest/${id}/[A-Za-z0-9_-]{43}$`));
		expect(secret).toMatch(/^whsec_[A-Za-z0-9+/=]{20,}$/);
		shown.scalefusion = { id, url, secret };
		await panel.getByRole('button', { name: 'Copy URL' }).click();
		await eventually(async () => expect(await clipboard(page)).toBe(url));
		await panel.getByRole('button', { name: 'Copy secret' }).click();
		await eventually(async () => expect(await clipboard(page)).toBe(secret));
		expect(await text(page.locator('.setup'))).toContain('Scalefusion: Integrations → Webhooks → Configure');
		await shot(page, 'source-secret-once');

		// Everywhere else the token and secret are masked: the API, the form, the page after Done.
		const stored = (await api.get(`/v1/sources/${id}`)).body;
		expect(stored).toMatchObject({ vendor: 'scalefusion', name: 'Scalefusion field tablets', secret: 'whsec_********', ingestUrl: `${base}/ingest/${id}/********` });
		expect(await page.locator('#src-secret').inputValue()).toBe('');
		expect(await page.locator('#src-secret').getAttribute('placeholder')).toBe('whsec_********');
		expect(await text(page.locator('.ingest-url-masked'))).toBe(`${base}/ingest/${id}/********`);
		await panel.getByRole('button', { name: 'Done' }).click();
		const body = (await page.locator('body').textContent()) ?? '';
		expect(body).not.toContain(secret.slice(6));
		expect(body).not.toContain(url.split('/').pop());
		expect(JSON.stringify(await pageStorage(page))).not.toContain(secret.slice(6));
	});

	it("counts what Scalefusion posts to the URL shown: accepted with its two devices' events, then a bad signature", async () => {
		const { id, url, secret } = shown.scalefusion as { id: string; url: string; secret: string };
		const traffic = page.getByRole('region', { name: 'Received' });
		expect(await count(traffic, 'received')).toBe('0');
		expect(await text(traffic.locator('.last-error-cell'))).toBe('None');

		const locked = scalefusionLockedBody();
		const accepted = await deliver(url, locked, { 'x-sf-signature': scalefusionSignature(locked, secret) });
		expect(accepted.status).toBe(202);
		expect(accepted.body.events).toHaveLength(2);
		await traffic.getByRole('button', { name: 'Refresh' }).click();
		await eventually(async () => expect(await count(traffic, 'received')).toBe('1'));
		expect(await count(traffic, 'accepted')).toBe('1');
		expect(await count(traffic, 'events')).toBe('2');
		expect(await count(traffic, 'rejected')).toBe('0');
		expect(await text(traffic.locator('dd').first())).not.toBe('Nothing yet');

		const forged = scalefusionLockedBody();
		expect((await deliver(url, forged, { 'x-sf-signature': scalefusionSignature(forged, 'not-the-secret') })).status).toBe(401);
		await traffic.getByRole('button', { name: 'Refresh' }).click();
		await eventually(async () => expect(await count(traffic, 'rejected')).toBe('1'));
		expect(await text(traffic.locator('.last-error-cell'))).toMatch(/^401 invalid_signature /);
		expect((await api.get(`/v1/sources/${id}`)).body.stats).toMatchObject({ received: 2, accepted: 1, rejected: 1, events: 2 });
	});

	it('creates a Hexnode source with Basic auth, shown once; its masked password stays stored on save', async () => {
		await section(page, 'Ingest sources').click();
		await page.getByRole('link', { name: 'New source' }).click();
		await page.getByRole('radio', { name: /^Hexnode/ }).check();
		await page.locator('#src-name').fill('Hexnode HQ');
		await page.locator('#src-auth').selectOption('basic');
		await page.locator('#src-username').fill('hexnode');
		await page.locator('#src-password').fill('correct horse battery');
		await page.getByRole('button', { name: 'Create source' }).click();
		await page.waitForURL(/\/sources\/src_/);
		const panel = page.getByRole('region', { name: 'Ingest URL: shown once' });
		const url = await text(panel.locator('.ingest-url'));
		expect(await text(panel.locator('.source-password'))).toBe('correct horse battery');
		expect(await panel.locator('.source-secret').count()).toBe(0);
		shown.hexnode = { id: idFromUrl(), url };
		await panel.getByRole('button', { name: 'Done' }).click();
		expect(await page.locator('#src-password').inputValue()).toBe('********');

		await page.locator('#src-description').fill('Reception iPads');
		await page.getByRole('button', { name: 'Save changes' }).click();
		await eventually(async () => expect(await text(page.locator('.notice.success'))).toBe('Saved.'));
		expect((await api.get(`/v1/sources/${shown.hexnode.id}`)).body).toMatchObject({
			description: 'Reception iPads',
			auth: { type: 'basic', username: 'hexnode', password: '********' },
		});
		const enrolled = JSON.stringify({ alert_name: 'New Device Enrolled', device: { id: 'hx-77', device_name: 'iPad-Reception', platform: 'iPadOS' } });
		expect((await deliver(url, enrolled, { authorization: basic('hexnode', 'wrong') })).status).toBe(401);
		expect((await deliver(url, enrolled, { authorization: basic('hexnode', 'correct horse battery') })).status).toBe(202);
	});

	it('creates a Kobiton source (the URL token is its only credential) and a generic one whose JSONata error is shown at its position', async () => {
		await page.goto(`${base}/sources/new`);
		await page.getByRole('radio', { name: /^Kobiton/ }).check();
		expect(await text(page.locator('fieldset', { hasText: 'Authentication' }).locator('.notice'))).toContain('the token in the ingest URL is the credential');
		await page.locator('#src-name').fill('Kobiton device lab');
		await page.getByRole('button', { name: 'Create source' }).click();
		await page.waitForURL(/\/sources\/src_/);
		const url = await text(page.locator('.ingest-url'));
		shown.kobiton = { id: idFromUrl(), url };
		expect(await page.locator('.source-secret, .source-token, .source-password').count()).toBe(0);
		expect((await deliver(url, KOBITON_SEED_BODY)).status).toBe(202);

		await page.goto(`${base}/sources/new`);
		await page.getByRole('radio', { name: /^Generic/ }).check();
		await page.locator('#src-name').fill('In-house agent');
		await page.getByRole('checkbox', { name: /Check an HMAC signature/ }).check();
		await page.locator('#src-hmac-header').fill('X-Hub-Signature-256');
		await page.locator('#src-hmac-prefix').fill('sha256=');
		await page.locator('#src-mapping').fill('{ "type": "device." & state, "data": { "device": { "id": serial } }');
		await page.getByRole('button', { name: 'Create source' }).click();
		const error = page.locator('#src-mapping-error');
		await eventually(async () => expect(await text(error.locator('.error-position'))).toMatch(/^\(line 1, column \d+\)$/));
		expect(new URL(page.url()).pathname).toBe('/sources/new');
		await page.locator('#src-mapping').fill('{ "type": "device." & state, "id": eventId, "data": { "device": { "id": serial } } }');
		await eventually(async () => expect(await page.locator('#src-mapping-error').count()).toBe(0));
		await page.getByRole('button', { name: 'Create source' }).click();
		await page.waitForURL(/\/sources\/src_/);
		const agentUrl = await text(page.locator('.ingest-url'));
		const agentSecret = await text(page.locator('.source-secret'));
		const body = JSON.stringify({ state: 'offline', eventId: 'agent-1', serial: 'SN-9' });
		const signature = `sha256=${createHmac('sha256', agentSecret).update(body).digest('hex')}`;
		expect((await deliver(agentUrl, body, { 'x-hub-signature-256': signature })).status).toBe(202);
		expect((await deliver(agentUrl, body, { 'x-hub-signature-256': signature })).status).toBe(200); // the same event: a duplicate
	});

	it('lists every source with its counts, last request and last error; the switch turns one off, and what it is sent is refused and counted', async () => {
		await section(page, 'Ingest sources').click();
		const row = (name: string) => page.locator(`tr[data-source="${name}"]`);
		await eventually(async () => expect(await page.locator('tr[data-source]').count()).toBe(4));
		const scalefusion = row('Scalefusion field tablets');
		expect(await count(scalefusion, 'received')).toBe('2');
		expect(await count(scalefusion, 'events')).toBe('2');
		expect(await text(scalefusion.locator('.last-error-cell'))).toMatch(/^401 invalid_signature/);
		const urlCell = scalefusion.locator('td.ingest-path');
		expect(await text(urlCell)).toBe(`/ingest/${shown.scalefusion?.id}/********`);
		expect(await urlCell.getAttribute('title')).toBe(`${base}/ingest/${shown.scalefusion?.id}/********`);
		expect(await count(row('In-house agent'), 'duplicates')).toBe('1');

		const kobiton = row('Kobiton device lab');
		expect(await count(kobiton, 'accepted')).toBe('1');
		const toggle = kobiton.getByRole('switch');
		expect(await toggle.getAttribute('aria-checked')).toBe('true');
		await toggle.click();
		await eventually(async () => expect(await toggle.getAttribute('aria-checked')).toBe('false'));
		expect(await text(kobiton.locator('.state'))).toBe('Off: its URL answers 404');
		expect((await api.get(`/v1/sources/${shown.kobiton?.id}`)).body.enabled).toBe(false);
		const refused = await deliver(shown.kobiton?.url as string, KOBITON_SEED_BODY);
		expect(refused).toMatchObject({ status: 404, body: { error: { code: 'source_disabled' } } });

		await page.getByRole('button', { name: 'Refresh' }).click();
		await eventually(async () => expect(await count(kobiton, 'rejected')).toBe('1'));
		expect(await text(kobiton.locator('.last-error-cell'))).toMatch(/^404 source_disabled .*this ingest source is disabled$/);
		const visible = (await page.locator('main').textContent()) ?? '';
		for (const secret of Object.values(shown)) expect(visible).not.toContain(secret.url.split('/').pop());
		await shot(page, 'sources');
	});

	it('rotates the URL and secret: the new ones shown once, the old ones still accepted for 24 hours', async () => {
		const before = shown.scalefusion as { id: string; url: string; secret: string };
		await page.locator('tr[data-source="Scalefusion field tablets"]').getByRole('link', { name: 'Scalefusion field tablets' }).click();
		await page.waitForURL(`${base}/sources/${before.id}`);
		await page.getByRole('button', { name: 'Rotate URL and secret' }).click();
		await page.getByRole('dialog').getByRole('button', { name: 'Rotate', exact: true }).click();
		const panel = page.getByRole('region', { name: 'New ingest URL: shown once' });
		await eventually(async () => expect(await text(panel.locator('.ingest-url'))).toMatch(/\/ingest\/src_/));
		const url = await text(panel.locator('.ingest-url'));
		const secret = await text(panel.locator('.source-secret'));
		expect(url).not.toBe(before.url);
		expect(secret).not.toBe(before.secret);
		expect(await text(panel)).toContain('The previous URL and secret keep working for 24 hours');
		await eventually(async () => expect(await text(page.locator('.previous-credentials'))).toMatch(/^The previous URL and secret keep working until /));
		await shot(page, 'source-editor', true);

		const oldBody = scalefusionLockedBody();
		expect((await deliver(before.url, oldBody, { 'x-sf-signature': scalefusionSignature(oldBody, before.secret) })).status).toBe(202);
		const newBody = scalefusionLockedBody();
		expect((await deliver(url, newBody, { 'x-sf-signature': scalefusionSignature(newBody, secret) })).status).toBe(202);

		// An edit sends no masked secret back: the rotated one still verifies afterwards.
		await panel.getByRole('button', { name: 'Done' }).click();
		await page.locator('#src-name').fill('Scalefusion tablets');
		// Reading the counters again keeps what the admin has typed and not saved yet.
		const traffic = page.getByRole('region', { name: 'Received' });
		await traffic.getByRole('button', { name: 'Refresh' }).click();
		await eventually(async () => expect(await traffic.getByRole('button', { name: 'Refresh' }).isDisabled()).toBe(false));
		expect(await page.locator('#src-name').inputValue()).toBe('Scalefusion tablets');
		await page.getByRole('button', { name: 'Save changes' }).click();
		await eventually(async () => expect(await text(page.locator('.notice.success'))).toBe('Saved.'));
		const afterEdit = scalefusionLockedBody();
		expect((await deliver(url, afterEdit, { 'x-sf-signature': scalefusionSignature(afterEdit, secret) })).status).toBe(202);
		await traffic.getByRole('button', { name: 'Refresh' }).click();
		await eventually(async () => expect(await count(traffic, 'accepted')).toBe('4'));
		expect(await count(traffic, 'events')).toBe('8');

		await page.reload();
		await page.getByRole('heading', { level: 1, name: 'Scalefusion tablets' }).waitFor();
		expect(await page.locator('.secret-once').count()).toBe(0);
		expect((await page.locator('body').textContent()) ?? '').not.toContain(secret.slice(6));
	});

	it('deletes a source after a confirmation: its URL answers 404 from then on', async () => {
		const kobiton = shown.kobiton as { id: string; url: string };
		await page.goto(`${base}/sources/${kobiton.id}`);
		await page.getByRole('button', { name: 'Delete source' }).click();
		const dialog = page.getByRole('dialog');
		expect(await text(dialog.locator('h2'))).toBe('Delete Kobiton device lab?');
		await dialog.getByRole('button', { name: 'Delete', exact: true }).click();
		await page.waitForURL(`${base}/sources`);
		await eventually(async () => expect(await page.locator('tr[data-source]').count()).toBe(3));
		expect(await page.locator('tr[data-source="Kobiton device lab"]').count()).toBe(0);
		expect((await api.get(`/v1/sources/${kobiton.id}`)).status).toBe(404);
		expect((await deliver(kobiton.url, KOBITON_SEED_BODY)).status).toBe(404);
	});

	it('fits a tablet', async () => {
		const tablet = await ui.newPage({ viewport: TABLET });
		await tablet.ctx.addCookies(await page.context().cookies());
		for (const route of ['/sources', '/sources/new', `/sources/${shown.scalefusion?.id}`, `/sources/${shown.hexnode?.id}`]) {
			await tablet.page.goto(`${base}${route}`);
			await tablet.page.locator('main h1').waitFor();
			await tablet.page.waitForLoadState('networkidle');
			const overflow = await tablet.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
			expect(overflow, `${route} is wider than a tablet`).toBeLessThanOrEqual(0);
		}
		await tablet.ctx.close();
	});

	it('limits wrong API keys at sign-in: the 11th within a minute is refused with a wait', async () => {
		const { ctx, page: anonymous } = await ui.newPage();
		await anonymous.goto(`${base}/sign-in`);
		for (let i = 0; i < 10; i++) {
			await anonymous.locator('#apiKey').fill(`wrong-${i}`);
			await anonymous.getByRole('button', { name: 'Sign in' }).click();
			await eventually(async () => expect(await text(anonymous.locator('#apiKey-error'))).toBe('That is not the admin API key.'));
			await eventually(async () => expect(await anonymous.getByRole('button', { name: 'Sign in' }).isDisabled()).toBe(false));
		}
		await anonymous.locator('#apiKey').fill(TEST_API_KEY);
		await anonymous.getByRole('button', { name: 'Sign in' }).click();
		await eventually(async () =>
			expect(await text(anonymous.locator('#apiKey-error'))).toMatch(/^Too many wrong API keys from this address: try again in \d+ s\.$/),
		);
		expect(new URL(anonymous.url()).pathname).toBe('/sign-in');
		expect(await ctx.cookies()).toEqual([]);
		await ctx.close();
		// A session made before keeps working.
		expect(await page.evaluate(async () => (await fetch('/v1/sources', { headers: { 'x-mdm-console': '1' } })).status)).toBe(200);
	});

	it('raised no page error and logged no unexpected console error', () => {
		expect(ui.pageErrors).toEqual([]);
		expect(ui.consoleErrors).toEqual([]);
	});
});

/**
 * Acceptance of the web console, in Debian's Chromium against a real dispatcher process (built
 * `dist/server/main.js`, https only, as in production) and HTTPS receivers on 127.0.0.1:
 * sign in; create a Slack webhook through the form, test it, see the receiver get it; the http and
 * 61 s field errors; toggle off and on; a profile with a bad JSONata condition (error with its
 * position), fixed, and its sample request; find a failed delivery by response code, open its
 * payload, retry it; replay what matches; a blocked delete names the profile. Without a session
 * everything is refused; the key never reaches page storage; the CSP runs no inline script.
 * Screenshots of each screen go to docs/console/ (shown in docs/console.md).
 */
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getEventType } from '../../core';
import { CONTENT_SECURITY_POLICY } from '../../server/http/console';
import { type ApiClient, TEST_API_KEY, tempDataFile } from '../helpers/dispatcher';
import { type DispatcherProcess, spawnDispatcher } from '../helpers/dispatcherProcess';
import { type Receiver, startReceiverWith } from '../helpers/receiver';
import { loopbackCertificate } from '../helpers/tls';
import { type ConsoleBrowser, TABLET, clipboard, eventually, launchConsoleBrowser, pageStorage, section, shot, text } from './consoleBrowser';

let dispatcher: DispatcherProcess;
let base: string;
let api: ApiClient;
let slack: Receiver;
let ops: Receiver;
let gone: Receiver;
let ui: ConsoleBrowser;
let context: BrowserContext;
let page: Page;

const ids: { slack?: string; ops?: string; profile?: string; failed?: string; secret?: string } = {};

beforeAll(async () => {
	const tls = loopbackCertificate();
	slack = await startReceiverWith({ tls }, { status: 200, body: 'ok' });
	ops = await startReceiverWith({ tls }, { status: 503, body: 'maintenance' });
	gone = await startReceiverWith({ tls }, { status: 410, body: 'this channel was archived' });
	dispatcher = await spawnDispatcher(tempDataFile(), {
		env: {
			// As in production: https only. The receivers' certificate is trusted through NODE_EXTRA_CA_CERTS.
			DISPATCHER_ALLOW_HTTP: 'false',
			NODE_EXTRA_CA_CERTS: tls.certFile,
			DISPATCHER_RETRY_SCHEDULE: '0.2,0.2',
		},
	});
	base = `http://127.0.0.1:${dispatcher.port}`;
	api = dispatcher.api;
	ui = await launchConsoleBrowser();
	({ ctx: context, page } = await ui.newPage());
});

afterAll(async () => {
	await ui?.close();
	await dispatcher?.stop('SIGTERM');
	await slack?.close();
	await ops?.close();
	await gone?.close();
});

describe('web console', () => {
	it('refuses every console route and /v1 call without a session; the shell only signs in', async () => {
		const { ctx, page: anonymous } = await ui.newPage();
		for (const route of ['/', '/webhooks', '/webhooks/new', '/profiles', '/sources', '/sources/new', '/deliveries?status=failed', '/catalog']) {
			const response = await fetch(`${base}${route}`, { redirect: 'manual' });
			expect(response.status, route).toBe(303);
			await anonymous.goto(`${base}${route}`);
			expect(new URL(anonymous.url()).pathname, route).toBe('/sign-in');
			await anonymous.locator('#apiKey').waitFor();
			expect(await anonymous.locator('main .page-header, nav.sections').count(), route).toBe(0);
		}
		const statuses = await anonymous.evaluate(async () => {
			const out: Record<string, number> = {};
			for (const [method, url] of [
				['GET', '/v1/webhooks'],
				['GET', '/v1/profiles'],
				['GET', '/v1/deliveries'],
				['GET', '/v1/event-types'],
				['GET', '/v1/session'],
				['GET', '/v1/sources'],
				['POST', '/v1/events'],
				['POST', '/v1/deliveries/retry'],
			]) {
				const response = await fetch(url, { method, headers: { 'x-mdm-console': '1', 'content-type': 'application/json' }, body: method === 'POST' ? '{}' : undefined });
				out[`${method} ${url}`] = response.status;
			}
			return out;
		});
		expect(Object.values(statuses).every((status) => status === 401), JSON.stringify(statuses)).toBe(true);
		await ctx.close();
	});

	it('serves a CSP that runs no inline script', async () => {
		const response = await page.goto(`${base}/sign-in`);
		const policy = response?.headers()['content-security-policy'] ?? '';
		expect(policy).toBe(CONTENT_SECURITY_POLICY);
		expect(policy).toMatch(/script-src 'self'(;|$)/);
		expect(policy).not.toContain('unsafe-inline');
		expect(policy).not.toContain('unsafe-eval');
		await page.locator('#apiKey').waitFor();
		const outcome = await page.evaluate(async () => {
			const violations: string[] = [];
			document.addEventListener('securitypolicyviolation', (event) => violations.push(event.violatedDirective));
			const script = document.createElement('script');
			script.textContent = 'window.__injected = "script ran"';
			document.head.append(script);
			const image = document.createElement('img');
			image.setAttribute('onerror', 'window.__handler = "handler ran"');
			image.src = 'data:,not-an-image';
			document.body.append(image);
			await new Promise((resolve) => setTimeout(resolve, 200));
			const w = window as unknown as { __injected?: string; __handler?: string };
			return { injected: w.__injected ?? null, handler: w.__handler ?? null, violations };
		});
		expect(outcome.injected).toBeNull();
		expect(outcome.handler).toBeNull();
		expect(outcome.violations).toContain('script-src-elem');
		expect(outcome.violations).toContain('script-src-attr');
	});

	it('signs in with the API key, keeping only an HttpOnly SameSite=Strict cookie', async () => {
		await page.goto(`${base}/deliveries`);
		expect(page.url()).toBe(`${base}/sign-in?next=%2Fdeliveries`);
		await shot(page, 'sign-in');
		await page.locator('#apiKey').fill('not-the-admin-key');
		await page.getByRole('button', { name: 'Sign in' }).click();
		await eventually(async () => expect(await text(page.locator('#apiKey-error'))).toBe('That is not the admin API key.'));
		await page.locator('#apiKey').fill(TEST_API_KEY);
		await page.keyboard.press('Enter');
		await page.waitForURL(`${base}/deliveries`);
		await page.getByRole('heading', { level: 1, name: 'Delivery log' }).waitFor();

		const storage = await pageStorage(page);
		expect(storage.local).not.toContain(TEST_API_KEY);
		expect(storage.session).not.toContain(TEST_API_KEY);
		expect(storage.cookie).not.toContain(TEST_API_KEY);
		expect(storage.cookie).not.toContain('mdm_session'); // HttpOnly: scripts cannot read it
		expect(await page.locator('#apiKey').count()).toBe(0);
		const [cookie] = await context.cookies();
		expect(cookie).toMatchObject({ name: 'mdm_session', httpOnly: true, sameSite: 'Strict', path: '/' });
		expect(cookie?.value).not.toContain(TEST_API_KEY);
	});

	it('creates a Slack webhook through the form: field errors as you type, Test, Validate & save', async () => {
		await section(page, 'Webhooks').click();
		await page.getByRole('link', { name: 'New webhook' }).click();
		await page.waitForURL(`${base}/webhooks/new`);
		expect(await page.getByRole('radio', { name: /^Slack/ }).isChecked()).toBe(true);
		expect(await page.locator('#wh-rate').inputValue()).toBe('1'); // Slack's default
		expect(await page.locator('#wh-timeout').inputValue()).toBe('30');

		await page.locator('#wh-name').fill('Provisioning Slack');
		await page.locator('#wh-url').fill('http://hooks.example.com/services/T0/B0/x');
		await page.locator('#wh-timeout').fill('61');
		await eventually(async () => expect(await text(page.locator('#wh-url-error'))).toContain('must use https://'));
		await eventually(async () => expect(await text(page.locator('#wh-timeout-error'))).toContain('from 0 to 60'));
		expect(await page.locator('#wh-url').getAttribute('aria-invalid')).toBe('true');
		expect(await page.getByRole('button', { name: 'Validate & save' }).isDisabled()).toBe(true);
		expect(await page.getByRole('button', { name: 'Test', exact: true }).isDisabled()).toBe(true);
		await page.locator('#wh-url').scrollIntoViewIfNeeded();
		await shot(page, 'webhook-field-errors');

		await page.locator('#wh-url').fill(slack.url);
		await page.locator('#wh-timeout').fill('10');
		await eventually(async () => expect(await page.locator('#wh-url-error, #wh-timeout-error').count()).toBe(0));
		await page.getByRole('checkbox', { name: /^device\.enrolled\b/ }).check();

		await page.getByRole('button', { name: 'Test', exact: true }).click();
		const result = page.locator('section.test-result');
		await eventually(async () => expect(await result.getAttribute('data-ok')).toBe('true'));
		expect(await text(result.locator('.test-status'))).toBe('200');
		const [tested] = await slack.waitFor(1);
		const slackBody = JSON.parse(tested?.body ?? '{}');
		expect(typeof slackBody.text).toBe('string');
		expect(Array.isArray(slackBody.blocks)).toBe(true);
		expect(tested?.headers['content-type']).toContain('application/json');
		await shot(page, 'webhook-test', true);

		await page.getByRole('button', { name: 'Validate & save' }).click();
		await page.waitForURL(/\/webhooks\/wh_/);
		await slack.waitFor(2); // validate & save sent its own webhook.test first
		ids.slack = decodeURIComponent(new URL(page.url()).pathname.split('/')[2] ?? '');
		await page.getByRole('heading', { level: 1, name: 'Provisioning Slack' }).waitFor();
		const saved = (await api.get(`/v1/webhooks/${ids.slack}`)).body;
		expect(saved).toMatchObject({
			name: 'Provisioning Slack',
			template: 'slack',
			url: slack.url,
			timeoutSeconds: 10,
			rateLimitPerSecond: 1,
			events: ['device.enrolled'],
			enabled: true,
			signing: { scheme: 'none' },
		});
	});

	it('creates a signed custom webhook: credentials masked, secret shown once with a copy button', async () => {
		await page.goto(`${base}/webhooks/new`);
		await page.getByRole('radio', { name: /^Custom/ }).check();
		expect(await page.locator('#wh-scheme').inputValue()).toBe('standard');
		expect(await page.locator('#wh-rate').inputValue()).toBe('');
		await page.locator('#wh-name').fill('Ops endpoint');
		await page.locator('#wh-url').fill(ops.url);
		await page.locator('#wh-auth').selectOption('basic');
		await page.locator('#wh-username').fill('mdm');
		await page.locator('#wh-password').fill('s3cret-password');
		expect(await page.locator('#wh-password').getAttribute('type')).toBe('password');
		await page.getByRole('button', { name: 'Add header' }).click();
		await page.getByLabel('Header 1 name').fill('X-Tenant');
		await page.getByLabel('Header 1 value').fill('acme');
		// Header values are secret (masked in answers) unless the admin says otherwise.
		expect(await page.getByLabel('Keep header 1 secret').isChecked()).toBe(true);
		await page.getByLabel('Keep header 1 secret').uncheck();
		await page.getByRole('button', { name: 'Add header' }).click();
		await page.getByLabel('Header 2 name').fill('X-Gateway-Key');
		await page.getByLabel('Header 2 value').fill('gw-key-123');
		await page.getByRole('checkbox', { name: 'All Compliance events' }).check();
		await page.getByRole('button', { name: 'Save without testing' }).click();
		await page.waitForURL(/\/webhooks\/wh_/);
		ids.ops = decodeURIComponent(new URL(page.url()).pathname.split('/')[2] ?? '');

		const secret = await text(page.locator('.secret-value'));
		expect(secret).toMatch(/^whsec_[A-Za-z0-9+/=]{20,}$/);
		ids.secret = secret;
		await page.getByRole('button', { name: 'Copy secret' }).click();
		await eventually(async () => expect(await clipboard(page)).toBe(secret));
		await shot(page, 'webhook-secret-once');
		const stored = (await api.get(`/v1/webhooks/${ids.ops}`)).body;
		expect(stored).toMatchObject({
			template: 'custom',
			auth: { type: 'basic', username: 'mdm', password: '********' },
			headers: { 'X-Tenant': 'acme', 'X-Gateway-Key': '********' },
			nonSecretHeaders: ['X-Tenant'],
			events: ['compliance.violated', 'compliance.restored'],
			rateLimitPerSecond: null,
			signing: { scheme: 'standard', secret: 'whsec_********' },
		});
		expect(await page.locator('#wh-password').inputValue()).toBe('********');

		// Reloading does not show it again: it was only ever in memory.
		await page.reload();
		await page.getByRole('heading', { level: 1, name: 'Ops endpoint' }).waitFor();
		expect(await page.locator('.secret-value').count()).toBe(0);
		expect(JSON.stringify(await pageStorage(page))).not.toContain(secret.slice(6));
	});

	it('toggles a webhook off and on from the list (mouse, then keyboard)', async () => {
		await section(page, 'Webhooks').click();
		const row = page.locator('tr[data-webhook="Provisioning Slack"]');
		const toggle = row.getByRole('switch');
		await eventually(async () => expect(await toggle.getAttribute('aria-checked')).toBe('true'));
		await toggle.click();
		await eventually(async () => expect(await toggle.getAttribute('aria-checked')).toBe('false'));
		expect(await text(row.locator('.state'))).toBe('Paused by an admin');
		expect((await api.get(`/v1/webhooks/${ids.slack}`)).body).toMatchObject({ enabled: false, disabledReason: 'manual' });

		await toggle.focus();
		await page.keyboard.press('Space');
		await eventually(async () => expect(await toggle.getAttribute('aria-checked')).toBe('true'));
		expect(await text(row.locator('.state'))).toBe('Active');
		expect((await api.get(`/v1/webhooks/${ids.slack}`)).body).toMatchObject({ enabled: true, disabledReason: null });
	});

	it('creates an alert profile: a bad JSONata condition shows its position, the fixed one saves, the sample request is exact', async () => {
		await section(page, 'Alert profiles').click();
		await page.getByRole('link', { name: 'New alert profile' }).click();
		await page.locator('#pr-name').fill('iOS enrollments');
		await page.getByRole('checkbox', { name: /^device\.enrolled\b/ }).check();
		await page.getByRole('checkbox', { name: /^Provisioning Slack/ }).check();
		await page.locator('#pr-condition').fill('data.device.platform == "ios"');
		await page.getByRole('button', { name: 'Create profile' }).click();
		const error = page.locator('#pr-condition-error');
		await eventually(async () => expect(await text(error)).toContain('at position 23'));
		expect(await text(error.locator('.error-position'))).toBe('(line 1, column 23)');
		expect(await text(error.locator('.error-snippet'))).toBe('data.device.platform == "ios" ^');
		await page.getByRole('button', { name: 'Go to error' }).click();
		expect(await page.evaluate(() => (document.activeElement as HTMLTextAreaElement).selectionStart)).toBe(22);
		await page.locator('#pr-condition').scrollIntoViewIfNeeded();
		await shot(page, 'profile-jsonata-error');
		expect((await api.get('/v1/profiles')).body.data).toEqual([]);

		await page.locator('#pr-condition').fill('data.device.platform = "ios"');
		expect(await page.locator('#pr-condition-error').count()).toBe(0);
		await page.getByRole('button', { name: 'Create profile' }).click();
		await page.waitForURL(/\/profiles\/prf_/);
		ids.profile = decodeURIComponent(new URL(page.url()).pathname.split('/')[2] ?? '');

		const sample = page.getByRole('article', { name: 'Sample request for Provisioning Slack' });
		await eventually(async () => expect(await text(sample.locator('.request-line'))).toBe(`POST ${slack.url}`));
		const preview = (await api.get(`/v1/profiles/${ids.profile}/preview?event=device.enrolled&webhookId=${ids.slack}`)).body;
		// Each preview builds the type's sample event anew, with a fresh event id: compare the rest.
		const withoutEventIds = (body: string) => body.replace(/evt_[0-9A-Z]{26}/g, 'evt_…');
		expect(withoutEventIds((await sample.locator('pre code').textContent()) ?? '')).toBe(withoutEventIds(JSON.stringify(preview.body, null, 2)));
		for (const [name, value] of Object.entries(preview.headers as Record<string, string>)) {
			if (/timestamp|signature|webhook-id/.test(name)) continue; // fresh per preview
			expect(await text(sample.locator('tr', { hasText: name }).locator('td'))).toBe(value);
		}
		await sample.getByRole('button', { name: 'Copy body' }).click();
		await eventually(async () => expect(withoutEventIds(await clipboard(page))).toBe(withoutEventIds(JSON.stringify(preview.body, null, 2))));
		await shot(page, 'profile-sample-request');
	});

	it('shows why a webhook was disabled and since when one is failing', async () => {
		const teams = await api.post('/v1/webhooks', { name: 'Old Teams channel', template: 'teams', url: gone.url, events: ['compliance.violated'] });
		expect(teams.status, teams.text).toBe(201);
		const enrolled = getEventType('device.enrolled')?.sample as { device: Record<string, unknown> };
		const ios = { ...enrolled, device: { ...enrolled.device, platform: 'ios', name: 'iPad of Alice' } };
		expect((await api.post('/v1/events', { type: 'device.enrolled', data: ios })).status).toBe(202);
		expect((await api.post('/v1/events', { type: 'device.enrolled', data: enrolled })).status).toBe(202);
		const violated = await api.post('/v1/events', { type: 'compliance.violated', data: getEventType('compliance.violated')?.sample });
		expect(violated.status).toBe(202);
		ids.failed = (violated.body.deliveries as { id: string; webhookId: string }[]).find((d) => d.webhookId === ids.ops)?.id;
		const failed = await api.waitForDelivery(ids.failed as string);
		expect(failed).toMatchObject({ status: 'failed', responseCode: 503, attemptCount: 3 });
		await eventually(async () => expect((await api.get('/v1/deliveries/summary')).body.pending).toBe(0), 15_000);
		expect((await api.get(`/v1/webhooks/${teams.body.id}`)).body).toMatchObject({ enabled: false, disabledReason: 'gone' });

		await section(page, 'Webhooks').click();
		const teamsRow = page.locator('tr[data-webhook="Old Teams channel"]');
		await eventually(async () => expect(await text(teamsRow.locator('.state'))).toBe('Disabled: the endpoint answered 410 Gone'));
		expect(await teamsRow.getByRole('switch').getAttribute('aria-checked')).toBe('false');
		const opsRow = page.locator('tr[data-webhook="Ops endpoint"]');
		expect(await text(opsRow.locator('.health .badge'))).toBe('Failed');
		expect(await text(opsRow.locator('.failing'))).toMatch(/^Failing since /);
		await shot(page, 'webhooks');
	});

	it('finds a failed delivery by response code, opens its payload, retries it', async () => {
		await section(page, 'Delivery log').click();
		const summary = (await api.get('/v1/deliveries/summary')).body;
		await eventually(async () => expect(await text(page.locator('[data-summary="total"]'))).toBe(String(summary.total)));
		expect(await text(page.locator('[data-summary="failed"]'))).toBe(String(summary.failed));
		expect(await text(page.locator('[data-summary="succeeded"]'))).toBe(String(summary.succeeded));

		await page.getByLabel('Response code').fill('503');
		await page.getByRole('button', { name: 'Apply filters' }).click();
		await page.waitForURL(`${base}/deliveries?responseCode=503`);
		const rows = page.locator('tr[data-delivery]');
		await eventually(async () => expect(await rows.count()).toBe(1));
		expect(await rows.first().getAttribute('data-delivery')).toBe(ids.failed);
		await shot(page, 'delivery-log');

		await rows.first().getByRole('link', { name: /Payload and attempts/ }).click();
		await page.waitForURL(`${base}/deliveries/${ids.failed}`);
		await eventually(async () => expect(await page.locator('table.attempts tbody tr').count()).toBe(3));
		expect(await text(page.locator('table.attempts tbody tr').first().locator('td').nth(2))).toBe('503');
		const detail = (await api.get(`/v1/deliveries/${ids.failed}`)).body;
		await page.getByRole('button', { name: 'Copy payload' }).click();
		await eventually(async () => expect(await clipboard(page)).toBe(JSON.stringify(JSON.parse(detail.request.body), null, 2)));
		expect(await text(page.locator('.request-line'))).toBe(`POST ${ops.url}`);
		expect(await text(page.locator('table.headers tr', { hasText: 'authorization' }).locator('td'))).not.toContain('s3cret');
		await shot(page, 'delivery-detail', true);

		ops.respondWith({ status: 204 });
		const before = ops.requests.length;
		await page.getByRole('button', { name: 'Retry' }).click();
		await eventually(async () => expect(await text(page.locator('.badge').first())).toBe('Succeeded'), 15_000);
		expect(await text(page.locator('.delivery-code'))).toBe('204');
		const [retried] = (await ops.waitFor(before + 1)).slice(before);
		expect(retried?.headers['webhook-id']).toBe(ids.failed);
	});

	it('replays every delivery that matches the filter after a confirmation stating how many', async () => {
		await page.goto(`${base}/deliveries?webhookId=${ids.slack}&status=succeeded`);
		const matching = (await api.get(`/v1/deliveries/summary?webhookId=${ids.slack}&status=succeeded`)).body.succeeded as number;
		expect(matching).toBeGreaterThanOrEqual(2);
		await page.getByRole('button', { name: 'Replay matching…' }).click();
		const dialog = page.getByRole('dialog');
		await eventually(async () => expect(await text(dialog.locator('.replay-count'))).toContain(`${matching} finished deliveries match these filters`));
		await shot(page, 'delivery-replay');
		const before = slack.requests.length;
		await dialog.getByRole('button', { name: `Replay ${matching}` }).click();
		await eventually(async () => expect(await text(page.locator('.notice.success'))).toBe(`Re-queued ${matching} deliveries.`));
		await slack.waitFor(before + matching, 15_000);
	});

	it('a blocked delete names the alert profile that links the webhook, with a link to it', async () => {
		await page.goto(`${base}/webhooks/${ids.slack}`);
		await page.getByRole('button', { name: 'Delete webhook' }).click();
		const dialog = page.getByRole('dialog');
		await dialog.getByRole('button', { name: 'Delete', exact: true }).click();
		await eventually(async () => expect(await text(dialog.locator('h2'))).toBe('This webhook is in use'));
		const link = dialog.getByRole('link', { name: 'iOS enrollments' });
		expect(await link.getAttribute('href')).toBe(`/profiles/${ids.profile}`);
		await shot(page, 'webhook-delete-blocked');
		expect((await api.get(`/v1/webhooks/${ids.slack}`)).status).toBe(200);
		await link.click();
		await page.waitForURL(`${base}/profiles/${ids.profile}`);
		await page.getByRole('heading', { level: 1, name: 'iOS enrollments' }).waitFor();
		await section(page, 'Alert profiles').click();
		await page.locator('tr[data-profile="iOS enrollments"]').waitFor();
		await shot(page, 'profiles');
	});

	it('shows the catalog with copyable schema and sample, and sends a mock event of any type', async () => {
		await section(page, 'Event catalog').click();
		await page.getByRole('link', { name: 'compliance.violated' }).click();
		await page.waitForURL(`${base}/catalog/compliance.violated`);
		await page.getByRole('heading', { name: 'compliance.violated' }).waitFor();
		await page.getByRole('button', { name: 'Copy sample' }).click();
		const catalog = (await api.get('/v1/event-types')).body.data as { type: string; sample: unknown; schema: unknown }[];
		const entry = catalog.find((candidate) => candidate.type === 'compliance.violated');
		await eventually(async () => expect(JSON.parse(await clipboard(page))).toEqual({ type: 'compliance.violated', data: entry?.sample }));
		await page.getByRole('button', { name: 'Copy schema' }).click();
		await eventually(async () => expect(JSON.parse(await clipboard(page))).toEqual(entry?.schema));
		await shot(page, 'event-catalog');

		await page.goto(`${base}/webhooks/${ids.ops}`);
		await page.locator('#wh-mock').selectOption('device.lost');
		const before = ops.requests.length;
		await page.getByRole('button', { name: 'Send mock event' }).click();
		await eventually(async () => expect(await page.locator('section.test-result').getAttribute('data-ok')).toBe('true'));
		const [mocked] = (await ops.waitFor(before + 1)).slice(before);
		expect(JSON.parse(mocked?.body ?? '{}').type).toBe('device.lost');
		expect(mocked?.headers['webhook-signature']).toMatch(/^v1,/);
		expect(mocked?.headers['x-tenant']).toBe('acme');
		expect(mocked?.headers['x-gateway-key']).toBe('gw-key-123');
		await shot(page, 'webhook-editor', true);

		// Rotation: a new secret, shown once; the old one keeps signing alongside for 24 h.
		await page.getByRole('button', { name: 'Rotate secret' }).click();
		await page.getByRole('dialog').getByRole('button', { name: 'Rotate', exact: true }).click();
		await eventually(async () => expect(await text(page.locator('.secret-value'))).toMatch(/^whsec_/));
		const rotated = await text(page.locator('.secret-value'));
		expect(rotated).not.toBe(ids.secret);
		await eventually(async () => expect(await text(page.locator('form'))).toContain('The previous secret signs too until'));
		await page.getByRole('button', { name: 'Send mock event' }).click();
		const [signedTwice] = (await ops.waitFor(before + 2)).slice(before + 1);
		expect(String(signedTwice?.headers['webhook-signature']).split(' ')).toHaveLength(2);
	});

	it('reads in dark mode and fits a tablet', async () => {
		const cookies = await context.cookies();
		const dark = await ui.newPage({ colorScheme: 'dark' });
		await dark.ctx.addCookies(cookies);
		await dark.page.goto(`${base}/deliveries`);
		await eventually(async () => expect(await dark.page.locator('tr[data-delivery]').count()).toBeGreaterThan(0));
		const background = await dark.page.evaluate(() => getComputedStyle(document.body).backgroundColor);
		expect(background).toBe('rgb(15, 18, 22)');
		await shot(dark.page, 'delivery-log-dark');
		await dark.page.goto(`${base}/profiles/${ids.profile}`);
		await dark.page.getByRole('article', { name: 'Sample request for Provisioning Slack' }).locator('.request-line').waitFor();
		await shot(dark.page, 'profile-dark');
		await dark.ctx.close();

		const tablet = await ui.newPage({ viewport: TABLET });
		await tablet.ctx.addCookies(cookies);
		for (const route of ['/webhooks', `/webhooks/${ids.ops}`, '/deliveries', `/profiles/${ids.profile}`, '/catalog']) {
			await tablet.page.goto(`${base}${route}`);
			await tablet.page.locator('main h1').waitFor();
			await tablet.page.waitForLoadState('networkidle');
			const overflow = await tablet.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
			expect(overflow, `${route} is wider than a tablet`).toBeLessThanOrEqual(0);
		}
		await tablet.page.goto(`${base}/webhooks`);
		await tablet.page.locator('tr[data-webhook]').first().waitFor();
		await shot(tablet.page, 'webhooks-tablet');
		await tablet.ctx.close();
	});

	it('is keyboard navigable: skip link, sections, and every control reachable by Tab', async () => {
		await page.goto(`${base}/webhooks`);
		await page.locator('tr[data-webhook]').first().waitFor();
		await page.keyboard.press('Tab');
		expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
		const reached = new Set<string>();
		for (let i = 0; i < 12; i++) {
			await page.keyboard.press('Tab');
			reached.add(await page.evaluate(() => (document.activeElement?.getAttribute('aria-label') ?? document.activeElement?.textContent ?? '').trim()));
		}
		for (const name of ['Webhooks', 'Alert profiles', 'Ingest sources', 'Delivery log', 'Event catalog', 'Sign out', 'New webhook', 'Provisioning Slack active']) {
			expect([...reached], name).toContain(name);
		}
		await section(page, 'Delivery log').focus();
		await page.keyboard.press('Enter');
		await page.waitForURL(`${base}/deliveries`);
		await eventually(async () => expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('H1'));
	});

	it('signs out: the cookie no longer opens anything', async () => {
		await page.getByRole('button', { name: 'Sign out' }).click();
		await page.waitForURL(`${base}/sign-in`);
		expect(await page.evaluate(async () => (await fetch('/v1/webhooks', { headers: { 'x-mdm-console': '1' } })).status)).toBe(401);
		await page.goto(`${base}/webhooks`);
		expect(page.url()).toBe(`${base}/sign-in?next=%2Fwebhooks`);
		expect(JSON.stringify(await pageStorage(page))).not.toContain(TEST_API_KEY);
		expect(await context.cookies()).toEqual([]);
	});

	it('raised no page error and logged no unexpected console error', () => {
		expect(ui.pageErrors).toEqual([]);
		expect(ui.consoleErrors).toEqual([]);
	});
});

/**
 * `GET /docs`, the API reference, in Debian's Chromium against a real dispatcher process: the page
 * renders the served OpenAPI document (operations by tag, the outgoing webhooks), every request it
 * makes stays on the dispatcher's origin (no CDN), and its CSP runs no inline script. A screenshot
 * goes to docs/api-reference.png.
 */
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/browser';
import { tempDataFile } from '../helpers/dispatcher';
import { type DispatcherProcess, spawnDispatcher } from '../helpers/dispatcherProcess';

let dispatcher: DispatcherProcess;
let browser: Browser;
beforeAll(async () => {
	dispatcher = await spawnDispatcher(tempDataFile());
	browser = await launchChromium();
});
afterAll(async () => {
	await browser?.close();
	await dispatcher?.stop('SIGTERM');
});

describe('GET /docs', () => {
	it('renders every tag, the operations and the outgoing webhooks from this origin only', async () => {
		const origin = `http://127.0.0.1:${dispatcher.port}`;
		const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
		const requested: string[] = [];
		const problems: string[] = [];
		page.on('request', (request) => requested.push(request.url()));
		page.on('pageerror', (error) => problems.push(error.message));
		page.on('console', (message) => {
			if (message.type() === 'error') problems.push(message.text());
		});
		const answer = await page.goto(`${origin}/docs`);
		expect(answer?.status()).toBe(200);
		expect(answer?.headers()['content-security-policy']).toContain("script-src 'self'");
		await page.waitForSelector('#operations-Events-ingestEvent', { timeout: 30_000 });

		const tags = await page.locator('.opblock-tag').allTextContents();
		for (const tag of ['Events', 'Webhooks', 'Deliveries', 'Operations']) expect(tags.join(' ')).toContain(tag);
		for (const id of ['getEvent', 'listDeliveries', 'summarizeDeliveries', 'getMetrics', 'createWebhook']) {
			expect(await page.locator(`[id$="-${id}"]`).count(), id).toBe(1);
		}
		const content = (await page.textContent('body')) ?? '';
		expect(content).toContain('Webhooks');
		expect(content).toContain('webhook.disabled');
		expect(content).toContain(origin);

		expect(requested.length).toBeGreaterThanOrEqual(3);
		expect(requested.filter((url) => !url.startsWith(origin) && !url.startsWith('data:'))).toEqual([]);
		expect(requested).toContain(`${origin}/openapi.json`);
		expect(problems).toEqual([]);
		await page.screenshot({ path: path.resolve(__dirname, '../../docs/api-reference.png'), animations: 'disabled' });
		await page.close();
	});
});

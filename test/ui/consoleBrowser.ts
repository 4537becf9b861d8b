/**
 * What the console's browser tests share: Chromium pages that record page errors and unexpected
 * console errors, screenshots into docs/console/, polling for asynchronous UI updates, and a look
 * at what the page could have stored.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { launchChromium } from '../helpers/browser';

export const SHOTS = path.resolve(__dirname, '../../docs/console');
export const LAPTOP = { width: 1280, height: 860 };
export const TABLET = { width: 820, height: 1180 };

/** Polls until `check` stops throwing (UI updates are asynchronous). */
export async function eventually<T>(check: () => Promise<T> | T, timeoutMs = 10_000): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		try {
			return await check();
		} catch (error) {
			if (Date.now() > deadline) throw error;
			await new Promise((resolve) => setTimeout(resolve, 50));
		}
	}
}

/** A locator's text with whitespace collapsed. */
export async function text(locator: Locator): Promise<string> {
	return ((await locator.textContent()) ?? '').replace(/\s+/g, ' ').trim();
}

/** A screenshot of `target` to docs/console/<name>.png. */
export async function shot(target: Page, name: string, fullPage = false): Promise<void> {
	await target.evaluate(() => document.fonts.ready);
	// A whole-page shot taken while scrolled would draw the sticky top bar in the middle.
	if (fullPage) await target.evaluate(() => window.scrollTo(0, 0));
	await target.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage, animations: 'disabled', caret: 'hide' });
}

/** Everything the page could keep across loads: localStorage, sessionStorage, readable cookies. */
export async function pageStorage(target: Page): Promise<{ local: string; session: string; cookie: string }> {
	return target.evaluate(() => ({
		local: JSON.stringify(Object.entries(localStorage)),
		session: JSON.stringify(Object.entries(sessionStorage)),
		cookie: document.cookie,
	}));
}

/** A link of the sections bar (Webhooks, Alert profiles, …). */
export function section(target: Page, name: string): Locator {
	return target.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name, exact: true });
}

export async function clipboard(target: Page): Promise<string> {
	return target.evaluate(() => navigator.clipboard.readText());
}

export interface ConsoleBrowser {
	browser: Browser;
	/** Uncaught errors in any page opened here. */
	pageErrors: string[];
	/** Console errors other than the expected 4xx answers and CSP refusals. */
	consoleErrors: string[];
	newPage(options?: { colorScheme?: 'light' | 'dark'; viewport?: { width: number; height: number } }): Promise<{ ctx: BrowserContext; page: Page }>;
	close(): Promise<void>;
}

export async function launchConsoleBrowser(): Promise<ConsoleBrowser> {
	fs.mkdirSync(SHOTS, { recursive: true });
	const browser = await launchChromium();
	const pageErrors: string[] = [];
	const consoleErrors: string[] = [];
	return {
		browser,
		pageErrors,
		consoleErrors,
		async newPage(options = {}) {
			const ctx = await browser.newContext({
				viewport: options.viewport ?? LAPTOP,
				colorScheme: options.colorScheme ?? 'light',
				locale: 'en-US',
				timezoneId: 'UTC',
				permissions: ['clipboard-read', 'clipboard-write'],
			});
			const page = await ctx.newPage();
			page.on('pageerror', (error) => pageErrors.push(error.message));
			page.on('console', (message) => {
				// 4xx answers are expected (signed-out checks, refused fields, blocked deletes) and shown in
				// the page; the CSP's refusals are counted where they are provoked. Anything else is a defect.
				if (message.type() === 'error' && !/status of 4\d\d|Content Security Policy/.test(message.text())) consoleErrors.push(message.text());
			});
			return { ctx, page };
		},
		close: () => browser.close(),
	};
}

/**
 * The built package as n8n loads it: n8n-core's PackageDirectoryLoader (what n8n uses for an
 * installed community package) reads package.json's `n8n` section from the repo root and
 * requires the compiled files in dist/. `npm test` builds first; run `npm run build` before
 * running this file alone.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

import { PackageDirectoryLoader } from 'n8n-core';
import type { Icon, Themed } from 'n8n-workflow';
import { beforeAll, describe, expect, it } from 'vitest';

import * as sourceCore from '../../core';

const ROOT = path.resolve(__dirname, '../..');
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
	name: string;
	keywords: string[];
	peerDependencies: Record<string, string>;
	n8n: { n8nNodesApiVersion: number; credentials: string[]; nodes: string[] };
};

/** `icons/<package>/dist/…` as the loader rewrites `file:` icons, back to a path on disk. */
function iconFiles(iconUrl: Themed<string> | undefined): string[] {
	if (!iconUrl) return [];
	const urls = typeof iconUrl === 'string' ? [iconUrl] : [iconUrl.light, iconUrl.dark];
	return urls.map((url) => path.join(ROOT, url.replace(`icons/${pkg.name}/`, '')));
}

describe('package: dist as n8n loads it', () => {
	let loader: PackageDirectoryLoader;

	beforeAll(async () => {
		const missing = [...pkg.n8n.credentials, ...pkg.n8n.nodes].filter((f) => !fs.existsSync(path.join(ROOT, f)));
		expect(missing, 'run `npm run build` first (npm test does)').toEqual([]);
		loader = new PackageDirectoryLoader(ROOT);
		await loader.loadAll();
	});

	it('package.json is a community node package', () => {
		expect(pkg.keywords).toContain('n8n-community-node-package');
		expect(pkg.peerDependencies).toEqual({ 'n8n-workflow': '*' });
		expect(pkg.n8n.n8nNodesApiVersion).toBe(1);
	});

	it('loads the four nodes and three credentials under their contract names', () => {
		expect(loader.packageName).toBe(pkg.name);
		expect(Object.keys(loader.nodeTypes).sort()).toEqual(['mdmEventTrigger', 'mdmVendorEvent', 'sendWebhook', 'verifySignature']);
		expect(Object.keys(loader.credentialTypes).sort()).toEqual([
			'destinationAuthApi',
			'mdmDispatcherApi',
			'webhookSigningSecretApi',
		]);
		const names = Object.fromEntries(loader.types.nodes.map((d) => [d.name, d.displayName]));
		expect(names).toEqual({
			mdmEventTrigger: 'MDM Event Trigger',
			mdmVendorEvent: 'MDM Vendor Event',
			sendWebhook: 'Send Webhook',
			verifySignature: 'Verify Signature',
		});
		const creds = Object.fromEntries(loader.types.credentials.map((c) => [c.name, c.displayName]));
		expect(creds).toEqual({
			mdmDispatcherApi: 'MDM Dispatcher API',
			webhookSigningSecretApi: 'Webhook Signing Secret API',
			destinationAuthApi: 'Destination Auth API',
		});
	});

	it('every node and credential icon (light and dark) is in dist/', () => {
		const files = [...loader.types.nodes, ...loader.types.credentials].flatMap((t) => {
			const described = t as { iconUrl?: Themed<string>; icon?: Icon };
			expect(described.iconUrl, `${t.name} has an icon`).toBeDefined();
			return iconFiles(described.iconUrl);
		});
		expect(files.length).toBe(14);
		for (const file of files) {
			expect(file.startsWith(path.join(ROOT, 'dist')), file).toBe(true);
			expect(fs.readFileSync(file, 'utf8'), file).toMatch(/^<svg[\s\S]*<\/svg>\s*$/);
		}
	});

	it('every node has its codex beside it', () => {
		for (const description of loader.types.nodes) {
			const codex = (description as { codex?: { categories?: string[] } }).codex;
			expect(codex?.categories?.length, description.name).toBeGreaterThan(0);
		}
	});

	it('the compiled nodes import the compiled core (nothing is written twice)', () => {
		const send = fs.readFileSync(path.join(ROOT, 'dist/nodes/SendWebhook/SendWebhook.node.js'), 'utf8');
		expect(send).toMatch(/require\("\.\.\/\.\.\/core"\)/);
		expect(fs.existsSync(path.join(ROOT, 'dist/core/index.js'))).toBe(true);
	});
});

describe('package: the bundled core (dist/core/index.js) as the nodes load it', () => {
	// The node pack's own copy of the core: jsonata inlined, ajv replaced by validators precompiled
	// at build time (scripts/build/precompiledAjv.mjs). It must answer exactly as the source does.
	const bundled = createRequire(__filename)(path.join(ROOT, 'dist/core/index.js')) as typeof sourceCore;

	/** Variants of a valid sample that break it in the ways a mapping can. */
	function brokenVariants(sample: Record<string, unknown>): unknown[] {
		const device = (sample.device ?? {}) as Record<string, unknown>;
		return [
			{},
			{ ...sample, device: 'not an object' },
			{ ...sample, device: { ...device, id: '' } },
			{ ...sample, device: { ...device, platform: 'plan9' } },
			{ ...sample, unexpectedField: true },
			Object.fromEntries(Object.entries(sample).map(([k, v]) => [k, typeof v === 'string' ? 42 : v])),
		];
	}

	it('validates every catalog sample, and every broken variant, with the same field errors as the source core', () => {
		let invalid = 0;
		for (const def of sourceCore.EVENT_CATALOG) {
			const sample = def.sample as Record<string, unknown>;
			expect(bundled.validateEventData(def.type, sample), def.type).toEqual([]);
			for (const variant of brokenVariants(sample)) {
				const expected = sourceCore.validateEventData(def.type, variant);
				expect(bundled.validateEventData(def.type, variant), def.type).toEqual(expected);
				if (expected.length > 0) invalid++;
			}
		}
		// At least the first four variants break every type's schema (missing / wrong device).
		expect(invalid).toBeGreaterThanOrEqual(sourceCore.EVENT_CATALOG.length * 4);
	});

	it('validates envelopes like the source core', () => {
		const good = sourceCore.sampleEnvelope('device.enrolled');
		expect(bundled.validateEnvelope(good)).toEqual([]);
		for (const bad of [{}, { ...good, type: 'no.such.type' }, { ...good, timestamp: 'yesterday' }, { ...good, extra: 1 }]) {
			expect(bundled.validateEnvelope(bad)).toEqual(sourceCore.validateEnvelope(bad));
			expect(bundled.validateEnvelope(bad).length).toBeGreaterThan(0);
		}
	});

	it('runs JSONata, including the functions that need Buffer ($base64encode)', async () => {
		expect(await bundled.evaluateMapping('$base64encode("MDM") & "|" & $base64decode("TURN")', {})).toBe('TURN|MDM');
	});

	it('carries the release version, written in at build time', () => {
		const { version } = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
		expect(bundled.PACKAGE_VERSION).toBe(version);
		expect(bundled.USER_AGENT).toBe(`n8n-nodes-mdm-webhooks/${version}`);
	});

	it('ships no Function constructor, no ajv and no jsonata require', () => {
		const text = fs.readFileSync(path.join(ROOT, 'dist/core/index.js'), 'utf8');
		expect(text).not.toMatch(/\bnew Function\(|[^.\w]Function\(/);
		expect(text).not.toMatch(/require\("(ajv|ajv-formats|jsonata)"\)/);
	});
});

describe('packages: one version', () => {
	it('the dispatcher package is released with the node pack\'s version', () => {
		const read = (f: string) => JSON.parse(fs.readFileSync(path.join(ROOT, f), 'utf8')) as { version: string };
		expect(read('server/package.json').version).toBe(read('package.json').version);
	});
});

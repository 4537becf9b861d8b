import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);
const { version } = require('./package.json') as { version: string };

export default defineConfig({
	// The release version, written into core/version.ts as the builds do (scripts/build/common.mjs).
	define: { __MDM_WEBHOOKS_VERSION__: JSON.stringify(version) },
	resolve: {
		// n8n-core requires n8n-workflow as CommonJS; tests must load that same copy, not the ESM
		// build, or n8n's classes (NodeApiError, …) would exist twice and `instanceof` would lie.
		alias: { 'n8n-workflow': require.resolve('n8n-workflow') },
	},
	test: {
		include: ['test/**/*.test.ts'],
		testTimeout: 30_000,
		hookTimeout: 60_000,
		// Real servers, real files: two cores, so at most two test files at once.
		maxWorkers: 2,
		pool: 'forks',
	},
});

import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

export default defineConfig({
	resolve: {
		// n8n-core requires n8n-workflow as CommonJS; tests must load that same copy, not the ESM
		// build, or n8n's classes (NodeApiError, …) would exist twice and `instanceof` would lie.
		alias: { 'n8n-workflow': require.resolve('n8n-workflow') },
	},
	test: {
		// One real PostgreSQL for the run: the conformance suite and the scale-out tests use it.
		globalSetup: ['test/helpers/postgresServer.ts'],
		// The release version for core/version.ts, which the builds write in with esbuild's `define`.
		setupFiles: ['test/helpers/version.ts'],
		testTimeout: 30_000,
		hookTimeout: 60_000,
		// Real servers, real files: two cores, so at most two test files at once.
		maxWorkers: 2,
		pool: 'forks',
		projects: [
			{ extends: true, test: { name: 'lowdb', include: ['test/**/*.test.ts'] } },
			{
				// The conformance half: the same API tests against PostgreSQL (startTestDispatcher).
				extends: true,
				test: {
					name: 'postgres',
					include: [
						'test/server/{retries,deliveryLog,security,routing,eventIngest,validation,lostUpdate,sources,vendorIngest}.test.ts',
						'test/nodes/{mdmEventTrigger,sendWebhook}.test.ts',
					],
					env: { TEST_BACKEND: 'postgres' },
				},
			},
		],
	},
});

import { defineConfig } from 'vitest/config';

// `npm run test:ui`: the web console in a real Chromium against a real dispatcher process.
export default defineConfig({
	test: {
		include: ['test/ui/**/*.ui.ts'],
		testTimeout: 60_000,
		hookTimeout: 60_000,
		maxWorkers: 1,
		pool: 'forks',
	},
});

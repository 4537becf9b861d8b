/**
 * vitest global setup: one real PostgreSQL 18 for the whole run (scripts/postgres/embedded.mjs),
 * stopped at the end. Test files get its admin URL with `inject('postgresUrl')` and create a
 * database each (`postgres.ts`).
 */
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres } from '../../scripts/postgres/embedded.mjs';

declare module 'vitest' {
	export interface ProvidedContext {
		postgresUrl: string;
	}
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
	const server = await startEmbeddedPostgres();
	project.provide('postgresUrl', server.url);
	return server.stop;
}

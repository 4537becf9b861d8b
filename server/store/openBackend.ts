/**
 * Which backend a dispatcher uses: PostgreSQL when `databaseUrl` is set
 * (`DISPATCHER_DATABASE_URL=postgres://…`), else the embedded lowdb files at `dataFile`.
 */
import type { StoreBackend } from './ports/backend';
import { LowdbBackend } from './lowdb/LowdbBackend';
import { PostgresBackend } from './postgres/PostgresBackend';

export interface BackendSettings {
	databaseUrl: string | null;
	dataFile: string;
	syncWrites: boolean;
	compactAfterBytes?: number;
}

export async function openBackend(settings: BackendSettings): Promise<StoreBackend> {
	const backend: StoreBackend = settings.databaseUrl
		? new PostgresBackend(settings.databaseUrl)
		: new LowdbBackend({ file: settings.dataFile, sync: settings.syncWrites, compactAfterBytes: settings.compactAfterBytes });
	await backend.open();
	return backend;
}

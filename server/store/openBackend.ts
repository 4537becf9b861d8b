/**
 * Which backend a dispatcher uses: PostgreSQL when `databaseUrl` is set
 * (`DISPATCHER_DATABASE_URL=postgres://…`), else the embedded lowdb files at `dataFile`.
 */
import type { StoreFiles } from './lowdb/files';
import { LowdbBackend } from './lowdb/LowdbBackend';
import type { StoreBackend } from './ports/backend';
import { PostgresBackend } from './postgres/PostgresBackend';

export interface BackendSettings {
	databaseUrl: string | null;
	dataFile: string;
	syncWrites: boolean;
	compactAfterBytes?: number;
	/** lowdb's file layer (tests inject faults through it). */
	files?: StoreFiles;
}

export async function openBackend(settings: BackendSettings): Promise<StoreBackend> {
	const backend: StoreBackend = settings.databaseUrl
		? new PostgresBackend(settings.databaseUrl)
		: new LowdbBackend({
				file: settings.dataFile,
				sync: settings.syncWrites,
				compactAfterBytes: settings.compactAfterBytes,
				files: settings.files,
			});
	await backend.open();
	return backend;
}

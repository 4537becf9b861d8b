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
	/** Told how long each durable write waited for the disk or the database, in seconds (metrics). */
	onCommit?: (seconds: number) => void;
}

export async function openBackend(settings: BackendSettings): Promise<StoreBackend> {
	const backend: StoreBackend = settings.databaseUrl
		? new PostgresBackend(settings.databaseUrl, settings.onCommit)
		: new LowdbBackend({
				file: settings.dataFile,
				sync: settings.syncWrites,
				compactAfterBytes: settings.compactAfterBytes,
				files: settings.files,
				onCommit: settings.onCommit,
			});
	await backend.open();
	return backend;
}

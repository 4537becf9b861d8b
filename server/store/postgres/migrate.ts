/**
 * Applies the migrations a database lacks, in one transaction under an advisory lock, so that
 * dispatchers starting together against a new database do not race.
 */
import type { Pool } from 'pg';
import { MIGRATIONS, type Migration } from './migrations';

/** Any constant: the lock key of "migrating this schema". */
const MIGRATION_LOCK = 4_711_0011;

export async function migrate(pool: Pool, migrations: readonly Migration[] = MIGRATIONS): Promise<number[]> {
	const client = await pool.connect();
	try {
		await client.query('BEGIN');
		await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
		await client.query(
			'CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())',
		);
		const { rows } = await client.query<{ version: number }>('SELECT version FROM schema_migrations');
		const applied = new Set(rows.map((row) => row.version));
		const newest = Math.max(0, ...applied);
		const known = Math.max(0, ...migrations.map((m) => m.version));
		if (newest > known) {
			throw new Error(`the database schema is at version ${newest}, newer than this dispatcher knows (${known}): upgrade the dispatcher`);
		}
		const done: number[] = [];
		for (const migration of migrations) {
			if (applied.has(migration.version)) continue;
			await client.query(migration.sql);
			await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [migration.version, migration.name]);
			done.push(migration.version);
		}
		await client.query('COMMIT');
		return done;
	} catch (error) {
		await client.query('ROLLBACK').catch(() => undefined);
		throw error;
	} finally {
		client.release();
	}
}

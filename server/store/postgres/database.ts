/**
 * The connection pool, transactions, and what a lost connection means: every query that fails
 * because PostgreSQL cannot be reached throws StoreUnavailableError (ingest answers 503, the
 * worker backs off), never a generic 500. Connection strings are shown with the password masked.
 */
import pg from 'pg';
import { StoreUnavailableError } from '../../domain/errors';

export type Queryable = Pick<pg.PoolClient, 'query'>;

/** Errors that mean "cannot reach the server" rather than "the statement was wrong". */
const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);

export function isConnectionError(error: unknown): boolean {
	const code = (error as { code?: string }).code;
	if (code && (CONNECTION_CODES.has(code) || code.startsWith('08') || code.startsWith('57P'))) return true;
	const message = (error as Error).message ?? '';
	return /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|not queryable|Connection ended/i.test(
		message,
	);
}

/** `postgres://user:secret@host/db` → `postgres://user:***@host/db`. */
export function maskConnectionString(url: string): string {
	try {
		const parsed = new URL(url);
		if (parsed.password) parsed.password = '***';
		return parsed.toString();
	} catch {
		return 'postgres://…';
	}
}

export class Database {
	readonly pool: pg.Pool;

	constructor(readonly url: string) {
		this.pool = new pg.Pool({
			connectionString: url,
			max: 10,
			connectionTimeoutMillis: 5000,
			idleTimeoutMillis: 30_000,
			application_name: 'mdm-dispatcher',
		});
		// An idle client losing its connection must not crash the process; the next query reports it.
		this.pool.on('error', () => undefined);
	}

	async query<R extends pg.QueryResultRow>(text: string, values?: unknown[]): Promise<pg.QueryResult<R>> {
		try {
			return await this.pool.query<R>(text, values);
		} catch (error) {
			throw translate(error);
		}
	}

	/** Runs `work` in one transaction; rolled back when it throws. */
	async transaction<T>(work: (client: Queryable) => Promise<T>): Promise<T> {
		let client: pg.PoolClient;
		try {
			client = await this.pool.connect();
		} catch (error) {
			throw translate(error);
		}
		try {
			await client.query('BEGIN');
			const result = await work(client);
			await client.query('COMMIT');
			return result;
		} catch (error) {
			await client.query('ROLLBACK').catch(() => undefined);
			throw translate(error);
		} finally {
			client.release();
		}
	}

	close(): Promise<void> {
		return this.pool.end();
	}
}

function translate(error: unknown): unknown {
	if (error instanceof StoreUnavailableError || !isConnectionError(error)) return error;
	return new StoreUnavailableError(`PostgreSQL: ${(error as Error).message || (error as { code?: string }).code}`);
}

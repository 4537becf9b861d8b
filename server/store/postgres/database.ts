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

/**
 * Two pools: `pool` commits durably (what a 202 or a config answer promises), `relaxed` with
 * `synchronous_commit = off` for the queue's bookkeeping (claims, attempt records, deferrals,
 * rate buckets): a crash of the database can lose the last of those, which only repeats an
 * attempt (at-least-once, as the lowdb journal's deferred attempt lines), and they no longer wait
 * for a WAL flush each.
 */
export class Database {
	readonly pool: pg.Pool;
	private readonly relaxed: pg.Pool;

	/** `onCommit`: told how long each transaction took to commit, in seconds (metrics). */
	constructor(
		readonly url: string,
		private readonly onCommit?: (seconds: number) => void,
	) {
		const settings = { connectionString: url, connectionTimeoutMillis: 5000, idleTimeoutMillis: 30_000 };
		this.pool = new pg.Pool({ ...settings, max: 8, application_name: 'mdm-dispatcher' });
		this.relaxed = new pg.Pool({
			...settings,
			max: 8,
			application_name: 'mdm-dispatcher-queue',
			options: '-c synchronous_commit=off',
		});
		// An idle client losing its connection must not crash the process; the next query reports it.
		this.pool.on('error', () => undefined);
		this.relaxed.on('error', () => undefined);
	}

	async query<R extends pg.QueryResultRow>(text: string, values?: unknown[]): Promise<pg.QueryResult<R>> {
		try {
			return await this.pool.query<R>(text, values);
		} catch (error) {
			throw translate(error);
		}
	}

	/** A statement whose commit may be lost in a database crash without losing an accepted event. */
	async queueQuery<R extends pg.QueryResultRow>(text: string, values?: unknown[]): Promise<pg.QueryResult<R>> {
		try {
			return await this.relaxed.query<R>(text, values);
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
			const started = performance.now();
			await client.query('BEGIN');
			const result = await work(client);
			await client.query('COMMIT');
			this.onCommit?.((performance.now() - started) / 1000);
			return result;
		} catch (error) {
			await client.query('ROLLBACK').catch(() => undefined);
			throw translate(error);
		} finally {
			client.release();
		}
	}

	async close(): Promise<void> {
		await Promise.all([this.pool.end(), this.relaxed.end()]);
	}
}

function translate(error: unknown): unknown {
	if (error instanceof StoreUnavailableError || !isConnectionError(error)) return error;
	return new StoreUnavailableError(`PostgreSQL: ${(error as Error).message || (error as { code?: string }).code}`);
}

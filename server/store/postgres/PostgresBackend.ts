/**
 * The PostgreSQL backend (`DISPATCHER_DATABASE_URL=postgres://…`): several dispatchers share one
 * configuration, one queue, one log and one set of rate limits. At open the server must be
 * reachable (else a clear error, and `npm start` exits 1) and the schema is migrated.
 */
import type { StoreBackend } from '../ports/backend';
import { Database, maskConnectionString } from './database';
import { CONFIG_CHANNEL, NotificationListener, WORK_CHANNEL } from './listener';
import { migrate } from './migrate';
import { PgConfigStore } from './PgConfigStore';
import { PgDeliveryLog } from './PgDeliveryLog';
import { PgDeliveryQueue } from './PgDeliveryQueue';
import { PgRateLimiter } from './PgRateLimiter';

export class PostgresBackend implements StoreBackend {
	readonly kind = 'postgres';
	private readonly db: Database;
	readonly config: PgConfigStore;
	readonly log: PgDeliveryLog;
	readonly queue: PgDeliveryQueue;
	readonly rateLimiter: PgRateLimiter;
	private readonly listener: NotificationListener;

	constructor(
		private readonly url: string,
		onCommit?: (seconds: number) => void,
	) {
		this.db = new Database(url, onCommit);
		this.config = new PgConfigStore(this.db);
		this.log = new PgDeliveryLog(this.db);
		this.queue = new PgDeliveryQueue(this.db);
		this.rateLimiter = new PgRateLimiter(this.db);
		this.listener = new NotificationListener(url, {
			onNotification: (channel, payload) => {
				if (channel === WORK_CHANNEL) this.queue.wake();
				else if (channel === CONFIG_CHANNEL) {
					this.config.onNotification(payload).catch(() => undefined); // reloaded on reconnect
				}
			},
			onReconnect: () => {
				this.config.reloadAll().then(
					() => this.queue.wake(),
					() => undefined,
				);
			},
		});
	}

	async open(): Promise<void> {
		try {
			await this.db.pool.query('SELECT 1');
		} catch (error) {
			await this.db.close().catch(() => undefined);
			throw new Error(`cannot connect to PostgreSQL at ${maskConnectionString(this.url)}: ${(error as Error).message || String(error)}`);
		}
		await migrate(this.db.pool);
		await this.listener.start();
		await this.config.reloadAll();
	}

	async close(): Promise<void> {
		await this.listener.stop();
		await this.db.close();
	}
}

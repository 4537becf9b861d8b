/** The token buckets in PostgreSQL (`book_rate_token`): one limit over every dispatcher. */
import type { Booking, RateLimiter } from '../ports/rateLimiter';
import type { Database } from './database';

export class PgRateLimiter implements RateLimiter {
	constructor(private readonly db: Database) {}

	async book(webhookId: string, ratePerSecond: number, horizonMs: number): Promise<Booking> {
		const { rows } = await this.db.queueQuery<{ reserved: boolean; wait_ms: number }>(
			'SELECT reserved, wait_ms FROM book_rate_token($1, $2, $3)',
			[webhookId, ratePerSecond, horizonMs],
		);
		return { reserved: rows[0].reserved, waitMs: Number(rows[0].wait_ms) };
	}
}

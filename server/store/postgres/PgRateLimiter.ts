/** The token buckets in PostgreSQL (`take_rate_token`): one limit over every dispatcher. */
import type { RateLimiter } from '../ports/rateLimiter';
import type { Database } from './database';

export class PgRateLimiter implements RateLimiter {
	constructor(private readonly db: Database) {}

	async reserve(webhookId: string, ratePerSecond: number): Promise<number> {
		const { rows } = await this.db.query<{ wait: number }>('SELECT take_rate_token($1, $2) AS wait', [webhookId, ratePerSecond]);
		return Number(rows[0].wait);
	}
}

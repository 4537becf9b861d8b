/**
 * The embedded default backend (`npm start`, nothing else to run): one LowdbStore is the config
 * store, the delivery log and the delivery queue; rate limits are token buckets in memory.
 */
import type { StoreBackend } from '../ports/backend';
import type { Booking, RateLimiter } from '../ports/rateLimiter';
import { LowdbStore, type LowdbStoreOptions } from './LowdbStore';
import { WebhookThrottle } from './tokenBuckets';

class MemoryRateLimiter implements RateLimiter {
	private readonly buckets = new WebhookThrottle();

	async book(webhookId: string, ratePerSecond: number, horizonMs: number): Promise<Booking> {
		return this.buckets.book(webhookId, ratePerSecond, horizonMs);
	}
}

export class LowdbBackend implements StoreBackend {
	readonly kind = 'lowdb';
	readonly store: LowdbStore;
	readonly rateLimiter: RateLimiter = new MemoryRateLimiter();

	constructor(options: LowdbStoreOptions) {
		this.store = new LowdbStore(options);
	}

	get config(): LowdbStore {
		return this.store;
	}

	get log(): LowdbStore {
		return this.store;
	}

	get queue(): LowdbStore {
		return this.store;
	}

	open(): Promise<void> {
		return this.store.open();
	}

	close(): Promise<void> {
		return this.store.close();
	}
}

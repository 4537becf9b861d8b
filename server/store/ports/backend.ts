/**
 * A store backend: the three ports (config store, delivery log, delivery queue) and the rate
 * limiter, opened and closed together. `lowdb/` is the embedded default; `postgres/` is shared by
 * several dispatchers. `openBackend` (`../openBackend.ts`) picks one from the settings.
 */
import type { ConfigStore } from './configStore';
import type { DeliveryLog } from './deliveryLog';
import type { DeliveryQueue } from './deliveryQueue';
import type { RateLimiter } from './rateLimiter';

export interface StoreBackend {
	readonly kind: 'lowdb' | 'postgres';
	readonly config: ConfigStore;
	readonly log: DeliveryLog;
	readonly queue: DeliveryQueue;
	readonly rateLimiter: RateLimiter;
	open(): Promise<void>;
	/** Flushes pending writes and releases files or connections. */
	close(): Promise<void>;
}

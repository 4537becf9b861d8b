/**
 * The per-webhook rate limit, as a token bucket (`rate` per second, burst `max(1, rate)`). A
 * shared backend keeps the bucket where every dispatcher takes from it, so N instances together
 * send no more than one would.
 */
export interface Booking {
	/** true: a token is booked, send after `waitMs`; false: none taken, ask again after `waitMs`. */
	reserved: boolean;
	waitMs: number;
}

export interface RateLimiter {
	/** Books a token available now or within `horizonMs`; beyond that, takes nothing. */
	book(webhookId: string, ratePerSecond: number, horizonMs: number): Promise<Booking>;
}

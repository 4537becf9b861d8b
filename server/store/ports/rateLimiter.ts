/**
 * The per-webhook rate limit, as a token bucket (`rate` per second, burst `max(1, rate)`). A
 * shared backend keeps the bucket where every dispatcher takes from it, so N instances together
 * send no more than one would.
 */
export interface RateLimiter {
	/** Takes a token and returns 0 (send now), or returns the ms until one will be and takes nothing. */
	reserve(webhookId: string, ratePerSecond: number): Promise<number>;
}

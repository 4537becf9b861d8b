/**
 * Per-webhook rate limit, as a token bucket: a receiver such as Slack (about 1 message/s per
 * incoming webhook) or Teams gets at most `rate` requests per second on average and at most
 * `max(1, rate)` at once. In memory: after a restart every bucket starts full, which at worst
 * allows one extra burst.
 */

interface Bucket {
	tokens: number;
	lastMs: number;
}

export class WebhookThrottle {
	readonly #buckets = new Map<string, Bucket>();

	/**
	 * Takes a token when one is available and returns 0 (send now). Otherwise returns the ms until
	 * one will be and takes nothing: the caller waits and asks again, so a delivery that is
	 * rescheduled or dropped meanwhile does not hold a slot. `ratePerSecond` null/undefined (or not
	 * a positive number) means unlimited.
	 */
	reserve(webhookId: string, ratePerSecond: number | null | undefined, nowMs: number = Date.now()): number {
		if (ratePerSecond == null || !(ratePerSecond > 0) || ratePerSecond === Infinity) return 0;
		const burst = Math.max(1, ratePerSecond);
		let bucket = this.#buckets.get(webhookId);
		if (!bucket) {
			bucket = { tokens: burst, lastMs: nowMs };
			this.#buckets.set(webhookId, bucket);
		}
		// A clock that steps back refills nothing rather than draining the bucket.
		const elapsedMs = Math.max(0, nowMs - bucket.lastMs);
		// Clamping to the current burst also applies a lowered rate at once.
		bucket.tokens = Math.min(burst, bucket.tokens + (elapsedMs * ratePerSecond) / 1000);
		bucket.lastMs = Math.max(bucket.lastMs, nowMs);
		if (bucket.tokens >= 1) {
			bucket.tokens -= 1;
			return 0;
		}
		return Math.ceil(((1 - bucket.tokens) * 1000) / ratePerSecond);
	}

	/** Drops a webhook's bucket (deleted webhook), so the map does not grow without bound. */
	forget(webhookId: string): void {
		this.#buckets.delete(webhookId);
	}
}

/**
 * Per-webhook rate limit, as a token bucket: a receiver such as Slack (about 1 message/s per
 * incoming webhook) or Teams gets at most `rate` requests per second on average and at most
 * `max(1, rate)` at once. In memory: after a restart every bucket starts full, which at worst
 * allows one extra burst.
 */

interface Bucket {
	tokens: number;
	lastMs: number;
	/** Where the next refused booking is told to come back (one 1/rate apart per refusal). */
	nextSlotMs: number;
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
		return this.book(webhookId, ratePerSecond, 0, nowMs).waitMs;
	}

	/**
	 * Like `reserve`, but a token that will be there within `horizonMs` is booked now (the bucket
	 * goes into debt): `reserved` with the wait before sending. Beyond the horizon nothing is
	 * taken and `waitMs` says when to ask again: the next free slot, one 1/rate apart per refusal,
	 * so a backlog comes back spread at the rate rather than all at once.
	 */
	book(
		webhookId: string,
		ratePerSecond: number | null | undefined,
		horizonMs: number,
		nowMs: number = Date.now(),
	): { reserved: boolean; waitMs: number } {
		if (ratePerSecond == null || !(ratePerSecond > 0) || ratePerSecond === Infinity) return { reserved: true, waitMs: 0 };
		const burst = Math.max(1, ratePerSecond);
		let bucket = this.#buckets.get(webhookId);
		if (!bucket) {
			bucket = { tokens: burst, lastMs: nowMs, nextSlotMs: 0 };
			this.#buckets.set(webhookId, bucket);
		}
		// A clock that steps back refills nothing rather than draining the bucket.
		const elapsedMs = Math.max(0, nowMs - bucket.lastMs);
		// Clamping to the current burst also applies a lowered rate at once.
		bucket.tokens = Math.min(burst, bucket.tokens + (elapsedMs * ratePerSecond) / 1000);
		bucket.lastMs = Math.max(bucket.lastMs, nowMs);
		if (bucket.tokens >= 1) {
			bucket.tokens -= 1;
			return { reserved: true, waitMs: 0 };
		}
		const waitMs = Math.ceil(((1 - bucket.tokens) * 1000) / ratePerSecond);
		if (waitMs <= horizonMs) {
			bucket.tokens -= 1;
			return { reserved: true, waitMs };
		}
		if (horizonMs <= 0) return { reserved: false, waitMs };
		const slot = Math.max(bucket.nextSlotMs, nowMs + waitMs - horizonMs);
		bucket.nextSlotMs = slot + 1000 / ratePerSecond;
		return { reserved: false, waitMs: Math.ceil(slot - nowMs) };
	}

	/** Drops a webhook's bucket (deleted webhook), so the map does not grow without bound. */
	forget(webhookId: string): void {
		this.#buckets.delete(webhookId);
	}
}

/**
 * Failed console sign-ins, per client address: after `limit` wrong API keys within `windowMs`
 * (10 a minute), `POST /v1/session` from that address answers `429` with `Retry-After` until the
 * oldest of those failures is a window old; the key is not even checked meanwhile, so guessing
 * stays at 10 tries a minute. A sign-in that succeeds clears the address's count.
 *
 * The address is the TCP peer's: IPv4 as it is (an IPv4-mapped IPv6 peer counts as its IPv4), IPv6
 * by its /64 (one host is usually given a whole /64, so single addresses would be free to spray).
 * `X-Forwarded-For` is not read: a client could write anything there. Behind a reverse proxy every
 * browser therefore shares the proxy's count.
 *
 * Kept in memory, like the sessions: a restart forgets the counts. At most `maxAddresses` are
 * tracked; past that the longest-tracked one is dropped.
 */
import { formatIp, parseIp } from '../delivery/cidr';

export const SIGN_IN_FAILURE_LIMIT = 10;
export const SIGN_IN_WINDOW_MS = 60 * 1000;
export const MAX_TRACKED_ADDRESSES = 10_000;

export interface SignInLimiterOptions {
	limit?: number;
	windowMs?: number;
	maxAddresses?: number;
	/** Clock in ms (tests move it). */
	now?: () => number;
}

const LOW_32 = 0xffffffffn;
const LOW_64 = (1n << 64n) - 1n;

/** The key an address counts under: IPv4 as is, an IPv4-mapped IPv6 as its IPv4, IPv6 by its /64. */
export function clientKey(address: string | undefined): string {
	const ip = parseIp(address ?? '');
	if (!ip) return address ?? 'unknown';
	if (ip.family === 4) return formatIp(ip);
	if (ip.value >> 32n === 0xffffn) return formatIp({ family: 4, value: ip.value & LOW_32 });
	return `${formatIp({ family: 6, value: ip.value & ~LOW_64 })}/64`;
}

export class SignInLimiter {
	/** Client key → times (ms) of its failures in the window, oldest first, at most `limit`. */
	private readonly failures = new Map<string, number[]>();
	private readonly limit: number;
	private readonly windowMs: number;
	private readonly maxAddresses: number;
	private readonly now: () => number;

	constructor(options: SignInLimiterOptions = {}) {
		this.limit = options.limit ?? SIGN_IN_FAILURE_LIMIT;
		this.windowMs = options.windowMs ?? SIGN_IN_WINDOW_MS;
		this.maxAddresses = options.maxAddresses ?? MAX_TRACKED_ADDRESSES;
		this.now = options.now ?? Date.now;
	}

	get size(): number {
		return this.failures.size;
	}

	/** How long (ms) `key` must wait before it may try again; 0 when it may try now. */
	retryAfterMs(key: string): number {
		const times = this.recent(key, this.now());
		if (times.length < this.limit) return 0;
		return Math.max(1, (times[0] as number) + this.windowMs - this.now());
	}

	/** A wrong key from `key`. Returns true when this failure used up the address's tries. */
	recordFailure(key: string): boolean {
		const now = this.now();
		const times = this.recent(key, now);
		times.push(now);
		if (times.length > this.limit) times.shift();
		this.failures.delete(key); // re-inserted last: the Map's order is "longest tracked first"
		this.failures.set(key, times);
		while (this.failures.size > this.maxAddresses) this.failures.delete(this.failures.keys().next().value as string);
		return times.length >= this.limit;
	}

	/** A successful sign-in from `key`: its failures are forgotten. */
	clear(key: string): void {
		this.failures.delete(key);
	}

	/** The failures of `key` still in the window (older ones are dropped). */
	private recent(key: string, now: number): number[] {
		const times = this.failures.get(key) ?? [];
		while (times.length > 0 && (times[0] as number) <= now - this.windowMs) times.shift();
		if (times.length === 0) this.failures.delete(key);
		return times;
	}
}

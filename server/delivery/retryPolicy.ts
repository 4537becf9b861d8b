/**
 * What an attempt's result means for its delivery, and when the next attempt may go out.
 */
import type { AttemptResult } from './httpClient';

export type AttemptOutcome = 'succeeded' | 'retry' | 'failed' | 'gone';

/**
 * A complete 2xx → succeeded; a 2xx whose body did not arrive in time (or broke off), no
 * response (network error, timeout) and 408, 429, 5xx → retry (the receiver
 * may recover); 410 → gone (the receiver says the endpoint is removed: disable the webhook); other
 * 4xx, 1xx and 3xx (redirects are not followed) → failed at once. A destination refused by the
 * guard → failed: retrying would only hit the same refusal. `refused` defaults to `result.refused`.
 */
export function classifyAttempt(result: AttemptResult, refused: boolean = result.refused === true): AttemptOutcome {
	if (refused) return 'failed';
	const status = result.statusCode;
	if (status === null) return 'retry';
	if (status >= 200 && status < 300) return result.error === null ? 'succeeded' : 'retry';
	if (status === 410) return 'gone';
	if (status === 408 || status === 429 || (status >= 500 && status < 600)) return 'retry';
	return 'failed';
}

export const DEFAULT_RETRY_SCHEDULE_SECONDS: readonly number[] = Object.freeze([5, 300, 1800, 7200, 18000, 36000, 36000]);

/**
 * Upper bound on a receiver's Retry-After. Without it one response could park a delivery for
 * days (or forever); an hour is long enough for a rate-limit window, and the schedule's own
 * delays still apply when they are longer.
 */
export const MAX_RETRY_AFTER_SECONDS = 3600;

/** ±20 %: spreads retries of deliveries that failed together so they do not return in lockstep. */
export const RETRY_JITTER = 0.2;

/**
 * Delay in ms before the next attempt after `attemptsMade` (≥ 1) attempts, or null when the
 * schedule is exhausted (the delivery has failed for good). The scheduled delay gets uniform
 * ±20 % jitter; a Retry-After (bounded to MAX_RETRY_AFTER_SECONDS) replaces it when larger, and is
 * used as given, since the receiver asked for at least that long.
 */
export function nextAttemptDelayMs(
	attemptsMade: number,
	scheduleSeconds: readonly number[],
	retryAfterSeconds: number | null,
	random: () => number = Math.random,
): number | null {
	if (!Number.isInteger(attemptsMade) || attemptsMade < 1) {
		throw new RangeError(`attemptsMade must be an integer ≥ 1, got ${attemptsMade}`);
	}
	const scheduled = scheduleSeconds[attemptsMade - 1];
	if (scheduled === undefined) return null;
	const jittered = scheduled * 1000 * (1 + (random() * 2 - 1) * RETRY_JITTER);
	if (retryAfterSeconds !== null && Number.isFinite(retryAfterSeconds) && retryAfterSeconds > 0) {
		const requested = Math.min(retryAfterSeconds, MAX_RETRY_AFTER_SECONDS) * 1000;
		if (requested > jittered) return Math.round(requested);
	}
	return Math.round(jittered);
}

/**
 * Parses `DISPATCHER_RETRY_SCHEDULE`: comma-separated delays in seconds (decimals allowed), one
 * per retry. Throws an Error naming the first bad entry.
 */
export function parseRetrySchedule(value: string): number[] {
	const entries = value.split(',').map((entry) => entry.trim());
	if (entries.length === 1 && entries[0] === '') {
		throw new Error('DISPATCHER_RETRY_SCHEDULE is empty: give comma-separated delays in seconds, e.g. "5,300,1800"');
	}
	return entries.map((entry, index) => {
		// A strict pattern rather than Number(): Number('') is 0, Number('1e3') and Number('0x10') pass.
		if (!/^(\d+(\.\d*)?|\.\d+)$/.test(entry)) {
			throw new Error(
				`DISPATCHER_RETRY_SCHEDULE entry ${index + 1} (${JSON.stringify(entry)}) is not a non-negative number of seconds; expected e.g. "5,300,1800"`,
			);
		}
		return Number(entry);
	});
}

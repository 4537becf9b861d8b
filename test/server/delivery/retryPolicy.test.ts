import { describe, expect, it } from 'vitest';
import type { AttemptResult } from '../../../server/delivery/httpClient';
import {
	DEFAULT_RETRY_SCHEDULE_SECONDS,
	MAX_RETRY_AFTER_SECONDS,
	classifyAttempt,
	nextAttemptDelayMs,
	parseRetrySchedule,
} from '../../../server/delivery/retryPolicy';

function attempt(statusCode: number | null, extra: Partial<AttemptResult> = {}): AttemptResult {
	return { statusCode, durationMs: 12.5, error: null, response: null, retryAfterSeconds: null, ...extra };
}

describe('classifyAttempt', () => {
	it.each([
		[200, 'succeeded'],
		[201, 'succeeded'],
		[204, 'succeeded'],
		[299, 'succeeded'],
		[null, 'retry'],
		[408, 'retry'],
		[429, 'retry'],
		[500, 'retry'],
		[502, 'retry'],
		[503, 'retry'],
		[504, 'retry'],
		[599, 'retry'],
		[410, 'gone'],
		[400, 'failed'],
		[401, 'failed'],
		[403, 'failed'],
		[404, 'failed'],
		[409, 'failed'],
		[413, 'failed'],
		[422, 'failed'],
		[100, 'failed'],
		[301, 'failed'],
		[302, 'failed'],
		[304, 'failed'],
		[307, 'failed'],
	] as const)('%s → %s', (status, outcome) => {
		expect(classifyAttempt(attempt(status))).toBe(outcome);
	});

	it('fails a refused destination at once, whether flagged on the result or passed in', () => {
		expect(classifyAttempt(attempt(null, { error: 'destination refused: …', refused: true }))).toBe('failed');
		expect(classifyAttempt(attempt(null), true)).toBe('failed');
		expect(classifyAttempt(attempt(null, { refused: true }), false)).toBe('retry'); // the argument wins
		expect(classifyAttempt(attempt(null, { error: 'timeout after 30 s' }))).toBe('retry');
		// A 2xx status line whose body never finished is not a success.
		expect(classifyAttempt(attempt(200, { error: 'timeout after 2 s' }))).toBe('retry');
	});
});

describe('nextAttemptDelayMs', () => {
	const middle = () => 0.5; // no jitter

	it('follows the default schedule and ends when it is exhausted', () => {
		expect(DEFAULT_RETRY_SCHEDULE_SECONDS).toEqual([5, 300, 1800, 7200, 18000, 36000, 36000]);
		const delays = [1, 2, 3, 4, 5, 6, 7, 8].map((n) => nextAttemptDelayMs(n, DEFAULT_RETRY_SCHEDULE_SECONDS, null, middle));
		expect(delays).toEqual([5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000, null]);
	});

	it('applies ±20 % jitter at the extremes', () => {
		expect(nextAttemptDelayMs(1, [10], null, () => 0)).toBe(8_000);
		expect(nextAttemptDelayMs(1, [10], null, () => 0.999999)).toBe(12_000);
		expect(nextAttemptDelayMs(1, [10], null, () => 0.25)).toBe(9_000);
		expect(nextAttemptDelayMs(1, [0.5], null, middle)).toBe(500); // decimals
	});

	it('keeps jitter within bounds and roughly uniform over many draws', () => {
		const draws = Array.from({ length: 5000 }, () => nextAttemptDelayMs(1, [300], null) as number);
		expect(Math.min(...draws)).toBeGreaterThanOrEqual(240_000);
		expect(Math.max(...draws)).toBeLessThanOrEqual(360_000);
		const mean = draws.reduce((a, b) => a + b, 0) / draws.length;
		expect(mean).toBeGreaterThan(296_000);
		expect(mean).toBeLessThan(304_000);
		// Both halves of the range are used.
		expect(draws.some((d) => d < 260_000)).toBe(true);
		expect(draws.some((d) => d > 340_000)).toBe(true);
	});

	it('lets a larger Retry-After replace the scheduled delay, bounded to an hour', () => {
		expect(nextAttemptDelayMs(1, [5], 120, middle)).toBe(120_000);
		expect(nextAttemptDelayMs(2, [5, 300], 120, middle)).toBe(300_000); // the schedule is longer
		expect(nextAttemptDelayMs(1, [5], 0, middle)).toBe(5_000);
		expect(MAX_RETRY_AFTER_SECONDS).toBe(3600);
		expect(nextAttemptDelayMs(1, [5], 86_400, middle)).toBe(3_600_000);
		expect(nextAttemptDelayMs(5, [5, 5, 5, 5, 18_000], 86_400, middle)).toBe(18_000_000);
		expect(nextAttemptDelayMs(2, [5], 120, middle)).toBeNull(); // Retry-After does not add attempts
	});

	it('rejects an attempt count below 1', () => {
		expect(() => nextAttemptDelayMs(0, [5], null)).toThrow(RangeError);
	});
});

describe('parseRetrySchedule', () => {
	it('parses comma-separated seconds with decimals and spaces', () => {
		expect(parseRetrySchedule('5,300,1800')).toEqual([5, 300, 1800]);
		expect(parseRetrySchedule(' 0.5 , 1.25,2., .75 ,0')).toEqual([0.5, 1.25, 2, 0.75, 0]);
		expect(parseRetrySchedule('5,300,1800,7200,18000,36000,36000')).toEqual([...DEFAULT_RETRY_SCHEDULE_SECONDS]);
	});

	it.each([
		['5,abc,10', /entry 2 \("abc"\)/],
		['5,,10', /entry 2 \(""\)/],
		['5,-1', /entry 2 \("-1"\)/],
		['1e3', /entry 1 \("1e3"\)/],
		['0x10', /entry 1 \("0x10"\)/],
		['5,Infinity', /entry 2 \("Infinity"\)/],
		['5,', /entry 2 \(""\)/],
		['', /DISPATCHER_RETRY_SCHEDULE is empty/],
		['  ', /DISPATCHER_RETRY_SCHEDULE is empty/],
	])('refuses %j naming the bad entry', (value, message) => {
		expect(() => parseRetrySchedule(value)).toThrow(message);
	});
});

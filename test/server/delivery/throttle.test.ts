import { describe, expect, it } from 'vitest';
import { WebhookThrottle } from '../../../server/store/lowdb/tokenBuckets';

describe('WebhookThrottle', () => {
	it('rate 1: the second send waits about a second', () => {
		const throttle = new WebhookThrottle();
		expect(throttle.reserve('wh_1', 1, 0)).toBe(0);
		expect(throttle.reserve('wh_1', 1, 0)).toBe(1000);
		// Asking again does not push the slot further out: a wait takes no token.
		expect(throttle.reserve('wh_1', 1, 400)).toBe(600);
		expect(throttle.reserve('wh_1', 1, 1000)).toBe(0);
		expect(throttle.reserve('wh_1', 1, 1000)).toBe(1000);
	});

	it('rate 4: a burst of four, then one every 250 ms', () => {
		const throttle = new WebhookThrottle();
		expect([0, 0, 0, 0].map((t) => throttle.reserve('wh_t', 4, t))).toEqual([0, 0, 0, 0]);
		expect(throttle.reserve('wh_t', 4, 0)).toBe(250);
		expect(throttle.reserve('wh_t', 4, 250)).toBe(0);
		expect(throttle.reserve('wh_t', 4, 250)).toBe(250);
		expect(throttle.reserve('wh_t', 4, 500)).toBe(0);
		// An idle second refills the whole burst, and no more.
		expect([1500, 1500, 1500, 1500, 1500].map((t) => throttle.reserve('wh_t', 4, t))).toEqual([0, 0, 0, 0, 250]);
	});

	it('sustains the rate over a long run', () => {
		const throttle = new WebhookThrottle();
		let now = 0;
		let sent = 0;
		while (now < 10_000) {
			const wait = throttle.reserve('wh_s', 3, now);
			if (wait === 0) sent++;
			else now += wait;
		}
		// 3 burst + 3/s for 10 s, give or take the last slot.
		expect(sent).toBeGreaterThanOrEqual(32);
		expect(sent).toBeLessThanOrEqual(34);
	});

	it('fractional rates allow one send at a time', () => {
		const throttle = new WebhookThrottle();
		expect(throttle.reserve('wh_f', 0.5, 0)).toBe(0);
		expect(throttle.reserve('wh_f', 0.5, 0)).toBe(2000);
	});

	it('is unlimited when no rate is set', () => {
		const throttle = new WebhookThrottle();
		for (let i = 0; i < 1000; i++) {
			expect(throttle.reserve('wh_u', null, 0)).toBe(0);
			expect(throttle.reserve('wh_u', undefined, 0)).toBe(0);
		}
	});

	it('keeps webhooks independent, and forget() resets one', () => {
		const throttle = new WebhookThrottle();
		expect(throttle.reserve('a', 1, 0)).toBe(0);
		expect(throttle.reserve('b', 1, 0)).toBe(0);
		expect(throttle.reserve('a', 1, 0)).toBe(1000);
		expect(throttle.reserve('b', 1, 0)).toBe(1000);
		throttle.forget('a');
		expect(throttle.reserve('a', 1, 0)).toBe(0);
		expect(throttle.reserve('b', 1, 0)).toBe(1000);
	});

	it('applies a changed rate at once and survives a clock stepping back', () => {
		const throttle = new WebhookThrottle();
		expect([0, 0, 0, 0].map(() => throttle.reserve('wh_c', 4, 0))).toEqual([0, 0, 0, 0]);
		expect(throttle.reserve('wh_c', 1, 0)).toBe(1000); // slowed to 1/s
		expect(throttle.reserve('wh_c', 1, -5000)).toBe(1000); // clock went back: no refill, no crash
		expect(throttle.reserve('wh_c', 1, 1000)).toBe(0);
	});

	it('uses the real clock by default', () => {
		const throttle = new WebhookThrottle();
		expect(throttle.reserve('wh_r', 1)).toBe(0);
		const wait = throttle.reserve('wh_r', 1);
		expect(wait).toBeGreaterThan(900);
		expect(wait).toBeLessThanOrEqual(1000);
	});
});

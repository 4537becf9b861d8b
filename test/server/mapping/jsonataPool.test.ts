/**
 * The JSONata pool with real worker threads: a backtracking regex is stopped at the deadline and
 * its thread replaced, the main thread's event loop stays free meanwhile, the other thread keeps
 * answering, and results over the size limit are refused in the thread.
 */
import { performance } from 'node:perf_hooks';
import { afterAll, describe, expect, it } from 'vitest';
import { JsonataEvaluationError } from '../../../core';
import { GRACE_MS, JsonataPool } from '../../../server/mapping/jsonataPool';

const REDOS = '$contains(name, /^(a+)+$/)';
const POISON = { name: `${'a'.repeat(27)}!` };

describe('JsonataPool', () => {
	const pool = new JsonataPool({ timeoutMs: 600 });
	afterAll(() => pool.close());

	it('evaluates conditions and mappings off the main thread', async () => {
		expect(await pool.condition('data.severity = "high"', { data: { severity: 'high' } })).toBe(true);
		expect(await pool.condition('data.nothing', { data: {} })).toBe(false);
		expect(await pool.mapping('{"name": data.device.name, "n": $count(data.list)}', { data: { device: { name: 'x' }, list: [1, 2] } })).toEqual({
			name: 'x',
			n: 2,
		});
		expect(await pool.mapping('data.nothing', { data: {} })).toBeUndefined();
	});

	it('stops a backtracking regex at the deadline without blocking the event loop, then works again', async () => {
		let maxGapMs = 0;
		let last = performance.now();
		const ticker = setInterval(() => {
			const now = performance.now();
			maxGapMs = Math.max(maxGapMs, now - last);
			last = now;
		}, 5);
		const started = performance.now();
		const error = await pool.condition(REDOS, POISON).catch((e: unknown) => e);
		const took = performance.now() - started;
		clearInterval(ticker);
		expect(error).toBeInstanceOf(JsonataEvaluationError);
		expect((error as JsonataEvaluationError).code).toBe('MDM_TIMEOUT');
		expect(took).toBeGreaterThanOrEqual(600);
		expect(took).toBeLessThan(600 + GRACE_MS + 700);
		// A loop blocked by the regex would show one gap as long as the deadline.
		expect(maxGapMs).toBeLessThan(300);
		expect(await pool.condition('1 + 1 = 2', {})).toBe(true);
	});

	it('keeps answering on the other thread while one is stuck', async () => {
		const stuck = pool.condition(REDOS, POISON).catch((e: unknown) => e);
		const fast: boolean[] = [];
		for (let i = 0; i < 20; i++) fast.push(await pool.condition('x > 1', { x: i }));
		expect(fast.filter(Boolean)).toHaveLength(18);
		expect(((await stuck) as JsonataEvaluationError).code).toBe('MDM_TIMEOUT');
	});

	it('refuses a mapping result over the size limit in the thread', async () => {
		const small = new JsonataPool({ maxOutputBytes: 1000 });
		try {
			const error = (await small.mapping('$pad("x", 2000)', {}).catch((e: unknown) => e)) as JsonataEvaluationError;
			expect(error.code).toBe('MDM_TOO_LARGE');
			expect(error.message).toContain('2002 bytes of JSON, over the limit of 1000 bytes');
			expect(await small.mapping('$pad("x", 10, "-")', {})).toBe('x---------');
		} finally {
			await small.close();
		}
	});

	it('passes runtime errors and the core time box through with their codes', async () => {
		const typeError = (await pool.condition('"a" + 1', {}).catch((e: unknown) => e)) as JsonataEvaluationError;
		expect(typeError).toBeInstanceOf(JsonataEvaluationError);
		expect(typeError.code).toBe('T2001');
		const loop = (await pool.condition('($f := function() { $f() }; $f())', {}).catch((e: unknown) => e)) as JsonataEvaluationError;
		expect(loop.code).toBe('MDM_TIMEOUT');
	});

	it('fails queued work when closed', async () => {
		const closing = new JsonataPool();
		const pending = closing.condition(REDOS, POISON).catch((e: unknown) => e);
		await closing.close();
		expect(((await pending) as Error).message).toBe('JSONata pool closed');
		await expect(closing.condition('true', {})).rejects.toThrow('closed');
	});
});

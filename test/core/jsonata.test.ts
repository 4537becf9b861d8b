import { describe, expect, it, vi } from 'vitest';
import {
	JsonataCompileError,
	JsonataEvaluationError,
	checkJsonata,
	compileJsonata,
	evaluateCondition,
	evaluateMapping,
	jsonataCacheSize,
	sampleEnvelope,
} from '../../core';

const event = sampleEnvelope('compliance.violated');

describe('compileJsonata', () => {
	it('compiles, evaluates and caches by source', async () => {
		const a = compileJsonata('data.device.name & " (" & data.device.platform & ")"');
		expect(compileJsonata('data.device.name & " (" & data.device.platform & ")"')).toBe(a);
		expect(await a.evaluate(event)).toBe('Galaxy Note 8 (android)');
		expect(a.source).toContain('data.device.name');
	});

	it('keeps the cache bounded', () => {
		for (let i = 0; i < 700; i++) compileJsonata(`${i} + 1`);
		expect(jsonataCacheSize()).toBeLessThanOrEqual(500);
	});

	it('reports syntax errors with their position', () => {
		let error: unknown;
		try {
			compileJsonata('data.device.{ "name": }');
		} catch (e) {
			error = e;
		}
		expect(error).toBeInstanceOf(JsonataCompileError);
		expect(error).toBeInstanceOf(Error);
		const e = error as JsonataCompileError;
		expect(e.position).toBeGreaterThan(0);
		expect(e.message).toMatch(/^JSONata syntax error at position \d+: /);
		expect(e.message).toContain(String(e.position));

		const unclosed = (() => {
			try {
				compileJsonata('$count(data.violations');
			} catch (err) {
				return err as JsonataCompileError;
			}
		})();
		expect(unclosed).toBeInstanceOf(JsonataCompileError);
		expect(unclosed!.position).toBe(22); // JSONata reports the offset where it gave up
		expect(checkJsonata('data.severity = "high"')).toBeUndefined();
		expect(checkJsonata('data.severity = = "high"')).toMatchObject({ position: expect.any(Number) });
	});
});

describe('evaluation guard rails', () => {
	it('times out an infinite loop (tail recursion) with a clear error', async () => {
		const expr = compileJsonata('($loop := function($n) { $loop($n + 1) }; $loop(0))');
		const started = Date.now();
		const err = await expr.evaluate({}, { timeoutMs: 150 }).catch((e: unknown) => e);
		expect(err).toBeInstanceOf(JsonataEvaluationError);
		expect((err as Error).message).toContain('timed out after 150 ms');
		expect(Date.now() - started).toBeLessThan(1500);
	});

	it('stops runaway (non-tail) recursion by depth', async () => {
		const expr = compileJsonata('($f := function($n) { 1 + $f($n + 1) }; $f(0))');
		const err = await expr.evaluate({}, { timeoutMs: 5000 }).catch((e: unknown) => e);
		expect(err).toBeInstanceOf(JsonataEvaluationError);
		expect((err as Error).message).toMatch(/maximum depth of 500/);
	});

	it('uses the default 1000 ms limit', async () => {
		// Let the clock jump instead of really waiting a second.
		const realNow = Date.now.bind(Date);
		let calls = 0;
		const spy = vi.spyOn(Date, 'now').mockImplementation(() => realNow() + (++calls > 3 ? 1001 : 0));
		try {
			const expr = compileJsonata('($loop := function() { $loop() }; $loop())');
			const err = await expr.evaluate({}).catch((e: unknown) => e);
			expect((err as Error).message).toContain('timed out after 1000 ms');
			// the same jump is fine with a larger limit
			calls = 0;
			expect(await compileJsonata('$sum([1, 2, 3])').evaluate({}, { timeoutMs: 5000 })).toBe(6);
		} finally {
			spy.mockRestore();
		}
	});

	it('guards concurrent evaluations of one cached expression independently', async () => {
		const expr = compileJsonata('$n > 0 ? ($loop := function() { $loop() }; $loop()) : "done"');
		const [slow, fast] = await Promise.allSettled([
			expr.evaluate({}, { timeoutMs: 100, bindings: { n: 1 } }),
			expr.evaluate({}, { timeoutMs: 100, bindings: { n: 0 } }),
		]);
		expect(slow.status).toBe('rejected');
		expect(fast).toEqual({ status: 'fulfilled', value: 'done' });
		// and a later evaluation is not affected by the earlier timeout
		expect(await expr.evaluate({}, { bindings: { n: 0 } })).toBe('done');
	});

	it('allows legitimate recursion', async () => {
		const expr = compileJsonata('($fact := function($n) { $n <= 1 ? 1 : $n * $fact($n - 1) }; $fact(20))');
		expect(await expr.evaluate({})).toBe(2432902008176640000);
	});

	it('wraps runtime errors', async () => {
		const err = await compileJsonata('"a" + 1').evaluate({}).catch((e: unknown) => e);
		expect(err).toBeInstanceOf(JsonataEvaluationError);
		expect((err as JsonataEvaluationError).code).toBe('T2001');
		expect((err as Error).message).toMatch(/^JSONata evaluation error at position \d+: /);
	});
});

describe('conditions and mappings', () => {
	it('evaluates conditions with JSONata truthiness', async () => {
		expect(await evaluateCondition('data.severity in ["high", "critical"]', event)).toBe(true);
		expect(await evaluateCondition('data.severity = "low"', event)).toBe(false);
		expect(await evaluateCondition('data.nothing', event)).toBe(false);
		expect(await evaluateCondition('data.device.name', event)).toBe(true);
		expect(await evaluateCondition('""', event)).toBe(false);
		expect(await evaluateCondition('0', event)).toBe(false);
		expect(await evaluateCondition('null', event)).toBe(false);
		expect(await evaluateCondition('[]', event)).toBe(false);
		expect(await evaluateCondition('{}', event)).toBe(false);
		expect(await evaluateCondition('$count(data.violations) > 1', event)).toBe(true);
		expect(await evaluateCondition(compileJsonata('type = "compliance.violated"'), event)).toBe(true);
		expect(await evaluateCondition('$x', event, { bindings: { x: 'yes' } })).toBe(true);
	});

	it('builds payloads as plain JSON', async () => {
		const body = await evaluateMapping(
			'{ "text": "Violation on " & data.device.name, "rules": data.violations.rule, "id": id }',
			event,
		);
		expect(body).toEqual({
			text: 'Violation on Galaxy Note 8',
			rules: ['os_version_minimum', 'device_encryption'],
			id: event.id,
		});
		expect(Array.isArray(await evaluateMapping('data.violations.rule', event))).toBe(true);
		expect(await evaluateMapping('data.nothing', event)).toBeUndefined();
	});
});

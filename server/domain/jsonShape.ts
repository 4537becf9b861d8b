/**
 * Structural limits of JSON input, checked right after parsing and before anything else reads
 * the value: nesting depth (a body 5,000 levels deep overflows the stack of `JSON.stringify` in
 * the journal, and a pretty-printed snapshot grows with the square of the depth) and keys that
 * reach for an object's prototype (`__proto__`, `constructor.prototype`: the same rule as
 * fastify's secure JSON parsing). The walk is iterative, so any depth is measured safely.
 */
import type { FieldError } from '../../core/types';
import { escapePointerToken } from '../../core';
import { InvalidError } from './errors';

/** Deepest nesting of objects and arrays accepted in a body (the body itself is level 1). */
export const MAX_JSON_DEPTH = 64;

interface Frame {
	value: object;
	depth: number;
	parent: Frame | null;
	key: string;
}

function pointer(frame: Frame, basePath: string): string {
	const tokens: string[] = [];
	for (let at: Frame | null = frame; at && at.parent; at = at.parent) tokens.push(escapePointerToken(at.key));
	return basePath + tokens.reverse().map((token) => `/${token}`).join('');
}

/**
 * The first structural problem of a parsed JSON value, or null. Paths are JSON Pointers,
 * prefixed with `basePath`; `depth` is the level of `value` itself (an event's `data`, checked on
 * its own, is level 2 of the body it came in).
 */
export function checkJsonShape(value: unknown, basePath = '', depth = 1, maxDepth = MAX_JSON_DEPTH): FieldError | null {
	if (typeof value !== 'object' || value === null) return null;
	const stack: Frame[] = [{ value, depth, parent: null, key: '' }];
	while (stack.length > 0) {
		const frame = stack.pop() as Frame;
		if (frame.depth > maxDepth) {
			return { path: pointer(frame, basePath), message: `nested deeper than the limit of ${maxDepth} levels` };
		}
		const isArray = Array.isArray(frame.value);
		for (const key of Object.keys(frame.value)) {
			if (!isArray && key === '__proto__') {
				return { path: pointer({ ...frame, parent: frame, key }, basePath), message: 'the key "__proto__" is not allowed' };
			}
			const child = (frame.value as Record<string, unknown>)[key];
			if (typeof child !== 'object' || child === null) continue;
			if (!isArray && key === 'constructor' && !Array.isArray(child) && Object.hasOwn(child, 'prototype')) {
				return {
					path: `${pointer({ ...frame, parent: frame, key }, basePath)}/prototype`,
					message: 'the key "constructor.prototype" is not allowed',
				};
			}
			stack.push({ value: child, depth: frame.depth + 1, parent: frame, key });
		}
	}
	return null;
}

/** Throws an `InvalidError` (the API's 422) for a parsed value that breaks a structural limit. */
export function assertJsonShape(value: unknown, basePath = '', depth = 1): void {
	const problem = checkJsonShape(value, basePath, depth);
	if (problem) throw new InvalidError([problem]);
}

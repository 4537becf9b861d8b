/**
 * Event type patterns used by webhook subscriptions and alert profiles:
 * - an exact type: `device.enrolled`;
 * - a prefix wildcard: `device.*` matches every type under `device.` at any depth
 *   (`device.enrolled`, `device.a.b`), but not `device` itself;
 * - `*`: every type.
 */
import { EVENT_TYPE_NAMES } from './catalog';

const SEGMENT = '[a-z0-9]+(?:_[a-z0-9]+)*';
const PATTERN_SYNTAX = new RegExp(`^(?:\\*|${SEGMENT}(?:\\.${SEGMENT})*(?:\\.\\*)?)$`);

export function matchesEventPattern(pattern: string, type: string): boolean {
	const p = pattern.trim();
	if (p === '*') return true;
	if (p.endsWith('.*')) {
		const prefix = p.slice(0, -1); // keeps the trailing dot
		return type.length > prefix.length && type.startsWith(prefix);
	}
	return p === type;
}

/** Whether any of `patterns` matches `type`. */
export function matchesAnyEventPattern(patterns: readonly string[], type: string): boolean {
	return patterns.some((p) => matchesEventPattern(p, type));
}

/** A known type, or a syntactically valid wildcard that matches at least one known type. */
export function isValidEventPattern(pattern: string): boolean {
	if (typeof pattern !== 'string' || !PATTERN_SYNTAX.test(pattern)) return false;
	if (!pattern.includes('*')) return EVENT_TYPE_NAMES.includes(pattern);
	return EVENT_TYPE_NAMES.some((t) => matchesEventPattern(pattern, t));
}

/** The known event types that `pattern` covers (catalog order). */
export function expandEventPattern(pattern: string): string[] {
	return EVENT_TYPE_NAMES.filter((t) => matchesEventPattern(pattern, t));
}

/**
 * The class of a failed attempt, as operators sort them: timeout, connection refused, another
 * network error, 4xx, 5xx, other. The delivery summary counts by it, metrics label by it,
 * operational events and log lines carry it. A closed vocabulary (`FAILURE_CLASSES`), so it is
 * safe as a metric label. Read from what every attempt record keeps (its status code and error
 * text, as `httpClient` words it), so a stored attempt classifies the same as a live one.
 */
import type { FAILURE_CLASSES } from '../../core';

export type FailureClass = (typeof FAILURE_CLASSES)[number];

/** The class of an attempt that did not succeed (null for a 2xx). */
export function failureClass(attempt: { statusCode: number | null; error: string | null }): FailureClass | null {
	const status = attempt.statusCode;
	if (status !== null) {
		if (status >= 200 && status < 300) return attempt.error === null ? null : 'other';
		if (status >= 500 && status < 600) return 'http_5xx';
		if (status >= 400 && status < 500) return 'http_4xx';
		return 'other';
	}
	const error = attempt.error ?? '';
	if (/^(connect )?timeout\b/.test(error)) return 'timeout';
	if (error.startsWith('connection refused')) return 'connection_refused';
	if (error.startsWith('destination refused') || error.startsWith('payload mapping failed') || error === '') return 'other';
	return 'network';
}

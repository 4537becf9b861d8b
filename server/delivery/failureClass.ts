/**
 * The class of a failed attempt, as operators sort them: timeout, connection refused, another
 * network error, 4xx, 5xx. The delivery summary counts by it, metrics label by it, operational
 * events carry it. A bounded vocabulary (`FAILURE_CLASSES`), so it is safe as a metric label.
 */
import type { FAILURE_CLASSES } from '../../core';
import type { AttemptResult } from './httpClient';

export type FailureClass = (typeof FAILURE_CLASSES)[number];

/** The class of an attempt that did not succeed (null for a 2xx). */
export function failureClass(result: Pick<AttemptResult, 'statusCode' | 'refused' | 'errorKind'>): FailureClass | null {
	const status = result.statusCode;
	if (status !== null) {
		if (status >= 200 && status < 300) return null;
		if (status >= 500 && status < 600) return 'http_5xx';
		if (status >= 400 && status < 500) return 'http_4xx';
		return 'other';
	}
	if (result.refused) return 'other';
	return result.errorKind ?? 'network';
}

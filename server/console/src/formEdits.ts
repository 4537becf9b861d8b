/**
 * A form's edits, as the editors share them: which fields the admin has touched (their live
 * checks show from then on, or for every field after a refused submit), the API's field errors
 * from the last answer (dropped from a field, and the fields below it, once it is edited again),
 * and the one error to show on each field.
 */
import { useState } from 'preact/hooks';
import { fieldErrors } from './api';
import type { FieldError } from './types';

export interface FormEdits {
	/** The API's errors by JSON Pointer path. */
	apiErrors: Record<string, FieldError>;
	/** After an edit of `paths`: they are touched, and the API's errors on them are stale. */
	edited(paths: readonly string[]): void;
	/** The live check's message at `path` once touched, else the API's, else null. */
	errorFor(path: string, live: Record<string, string>): string | null;
	/** A submit refused by the live checks: show them all. */
	touchAll(): void;
	/** The API refused: its field errors. */
	failed(error: unknown): void;
	/** Saved: nothing touched, no errors. */
	reset(): void;
}

export function useFormEdits(): FormEdits {
	const [touched, setTouched] = useState<Set<string>>(new Set());
	const [apiErrors, setApiErrors] = useState<Record<string, FieldError>>({});
	const under = (key: string, path: string) => key === path || key.startsWith(`${path}/`);
	return {
		apiErrors,
		edited(paths) {
			setTouched(new Set([...touched, ...paths]));
			if (Object.keys(apiErrors).some((key) => paths.some((path) => under(key, path)))) {
				setApiErrors(Object.fromEntries(Object.entries(apiErrors).filter(([key]) => !paths.some((path) => under(key, path)))));
			}
		},
		errorFor(path, live) {
			return ((touched.has(path) || touched.has('*')) && live[path]) || apiErrors[path]?.message || null;
		},
		touchAll: () => setTouched(new Set(['*'])),
		failed: (error) => setApiErrors(fieldErrors(error)),
		reset() {
			setTouched(new Set());
			setApiErrors({});
		},
	};
}

/**
 * An editor's record and its form: the saved record loaded by id (none for a new one), the form
 * as the admin changes it, and the form as saved (`original`), to tell what changed. When the
 * record is read again (a refresh, after a switch was flipped) the form follows it, except for
 * the admin's unsaved changes, which stay.
 */
import { useEffect, useState } from 'preact/hooks';
import { type Resource, useResource } from './hooks';

export interface EditedRecord<R, F> {
	existing: Resource<R | null>;
	/** null while the saved record loads. */
	form: F | null;
	setForm: (form: F) => void;
	original: F | null;
	/** A record as saved (an answer to a change): both the form and the original become it. */
	saved: (form: F) => void;
}

export function useEditedRecord<R, F>(id: string | null, load: (id: string) => Promise<R>, toForm: (record: R) => F, empty: () => F): EditedRecord<R, F> {
	const existing = useResource(() => (id ? load(id) : Promise.resolve(null)), [id]);
	const [form, setForm] = useState<F | null>(() => (id ? null : empty()));
	const [original, setOriginal] = useState<F | null>(null);
	const saved = (next: F) => {
		setForm(next);
		setOriginal(next);
	};
	useEffect(() => {
		if (!existing.data) return;
		const next = toForm(existing.data);
		const unsaved = form !== null && original !== null && JSON.stringify(form) !== JSON.stringify(original);
		if (unsaved) setOriginal(next);
		else saved(next);
	}, [existing.data]);
	return { existing, form, setForm, original, saved };
}

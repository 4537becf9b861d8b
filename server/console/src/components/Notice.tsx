/** A banner: an error from the API, or a confirmation. */
import type { ComponentChildren } from 'preact';
import { ApiFailure } from '../api';

export function Notice({ kind, children }: { kind: 'error' | 'success' | 'info' | 'warning'; children: ComponentChildren }) {
	return (
		<div class={`notice ${kind}`} role={kind === 'error' ? 'alert' : 'status'}>
			{children}
		</div>
	);
}

export function ErrorNotice({ error }: { error: unknown }) {
	if (!error) return null;
	const message = error instanceof Error ? error.message : String(error);
	const code = error instanceof ApiFailure ? error.code : null;
	return (
		<Notice kind="error">
			{message}
			{code && code !== 'validation_failed' && <span class="muted"> ({code})</span>}
		</Notice>
	);
}

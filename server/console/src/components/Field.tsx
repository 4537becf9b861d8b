/** A labelled form field with its hint and its error (from the live checks or from the API). */
import type { ComponentChildren } from 'preact';

interface Props {
	id: string;
	label: string;
	hint?: ComponentChildren;
	error?: string | null;
	children: ComponentChildren;
	required?: boolean;
}

export function Field({ id, label, hint, error, children, required }: Props) {
	return (
		<div class={`field${error ? ' invalid' : ''}`}>
			<label for={id}>
				{label}
				{required && <span class="required" aria-hidden="true"> *</span>}
			</label>
			{children}
			{error ? (
				<p class="field-error" id={`${id}-error`} role="alert">
					{error}
				</p>
			) : (
				hint && (
					<p class="hint" id={`${id}-hint`}>
						{hint}
					</p>
				)
			)}
		</div>
	);
}

/** `aria-describedby`/`aria-invalid` for the input inside a Field. */
export function describedBy(id: string, error: string | null | undefined, hasHint = true) {
	return {
		id,
		'aria-invalid': error ? true : undefined,
		'aria-describedby': error ? `${id}-error` : hasHint ? `${id}-hint` : undefined,
	};
}

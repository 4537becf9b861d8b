/**
 * A JSONata expression editor. When the API refuses the expression, its error is shown with the
 * position the API reports: line and column, the line itself with a caret under the spot, and a
 * button that puts the cursor there.
 */
import { useRef } from 'preact/hooks';
import type { FieldError } from '../types';

interface Props {
	id: string;
	label: string;
	value: string;
	onChange: (next: string) => void;
	error?: FieldError | null;
	hint?: string;
	placeholder?: string;
	rows?: number;
}

/** 1-based line and column of a character offset. */
function lineAndColumn(text: string, offset: number): { line: number; column: number; lineText: string } {
	const before = text.slice(0, Math.max(0, offset));
	const lines = before.split('\n');
	const line = lines.length;
	const column = (lines[lines.length - 1] ?? '').length;
	return { line, column: Math.max(1, column), lineText: text.split('\n')[line - 1] ?? '' };
}

export function JsonataEditor({ id, label, value, onChange, error, hint, placeholder, rows = 4 }: Props) {
	const area = useRef<HTMLTextAreaElement>(null);
	const where = error?.position !== undefined && error.position > 0 ? lineAndColumn(value, error.position) : null;
	const goTo = () => {
		if (!area.current || error?.position === undefined) return;
		area.current.focus();
		area.current.setSelectionRange(Math.max(0, error.position - 1), error.position);
	};
	return (
		<div class={`field jsonata${error ? ' invalid' : ''}`}>
			<label for={id}>{label}</label>
			<textarea
				id={id}
				ref={area}
				class="mono"
				rows={rows}
				spellcheck={false}
				autocomplete="off"
				placeholder={placeholder}
				value={value}
				aria-invalid={error ? true : undefined}
				aria-describedby={error ? `${id}-error` : `${id}-hint`}
				onInput={(event) => onChange(event.currentTarget.value)}
			/>
			{error ? (
				<div class="field-error jsonata-error" id={`${id}-error`} role="alert">
					<p>
						{error.message}
						{where && (
							<>
								{' '}
								<span class="error-position">
									(line {where.line}, column {where.column})
								</span>{' '}
								<button type="button" class="button small" onClick={goTo}>
									Go to error
								</button>
							</>
						)}
					</p>
					{where && (
						<pre class="error-snippet" aria-hidden="true">
							{where.lineText}
							{'\n'}
							{' '.repeat(where.column - 1)}^
						</pre>
					)}
				</div>
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

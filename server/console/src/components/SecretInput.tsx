/** A credential input, masked unless the admin asks to see it. */
import { useState } from 'preact/hooks';

interface Props {
	id: string;
	value: string;
	onInput: (value: string) => void;
	invalid?: boolean;
	describedBy?: string;
	placeholder?: string;
}

export function SecretInput({ id, value, onInput, invalid, describedBy, placeholder }: Props) {
	const [shown, setShown] = useState(false);
	const common = {
		id,
		value,
		placeholder,
		class: 'mono',
		autocomplete: 'new-password',
		spellcheck: false,
		'aria-invalid': invalid ? true : undefined,
		'aria-describedby': describedBy,
		onInput: (event: Event) => onInput((event.currentTarget as HTMLInputElement).value),
	};
	return (
		<div class="with-button">
			{shown ? <input {...common} type="text" /> : <input {...common} type="password" />}
			<button type="button" class="button small" aria-pressed={shown} aria-label={shown ? 'Hide' : 'Show'} onClick={() => setShown(!shown)}>
				{shown ? 'Hide' : 'Show'}
			</button>
		</div>
	);
}

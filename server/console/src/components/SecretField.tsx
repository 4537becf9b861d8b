/** A labelled credential field: masked unless the admin asks to see it, with its hint or error. */
import { Field } from './Field';
import { SecretInput } from './SecretInput';

interface Props {
	id: string;
	label: string;
	value: string;
	onInput: (value: string) => void;
	error: string | null;
	hint?: string;
	required?: boolean;
	/** What is stored, masked (`whsec_********`), when the field is left blank to keep it. */
	placeholder?: string;
}

export function SecretField({ id, label, value, onInput, error, hint, required = true, placeholder }: Props) {
	return (
		<Field id={id} label={label} required={required} error={error} hint={hint}>
			<SecretInput
				id={id}
				value={value}
				placeholder={placeholder}
				invalid={Boolean(error)}
				describedBy={error ? `${id}-error` : `${id}-hint`}
				onInput={onInput}
			/>
		</Field>
	);
}

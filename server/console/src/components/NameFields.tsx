/** A record's name (unique, one line, up to 50 characters) and description, with their errors. */
import { Field, describedBy } from './Field';

interface Props {
	/** Field ids are `<idPrefix>-name` and `<idPrefix>-description`. */
	idPrefix: string;
	name: string;
	description: string;
	descriptionHint: string;
	errorFor: (path: '/name' | '/description') => string | null;
	onChange: (changes: { name?: string; description?: string }, path: '/name' | '/description') => void;
}

export function NameFields({ idPrefix, name, description, descriptionHint, errorFor, onChange }: Props) {
	const nameId = `${idPrefix}-name`;
	const descriptionId = `${idPrefix}-description`;
	return (
		<>
			<Field id={nameId} label="Name" required error={errorFor('/name')} hint="Unique, up to 50 characters.">
				<input {...describedBy(nameId, errorFor('/name'))} value={name} maxLength={60} onInput={(event) => onChange({ name: event.currentTarget.value }, '/name')} />
			</Field>
			<Field id={descriptionId} label="Description" error={errorFor('/description')} hint={descriptionHint}>
				<textarea
					{...describedBy(descriptionId, errorFor('/description'))}
					rows={2}
					value={description}
					onInput={(event) => onChange({ description: event.currentTarget.value }, '/description')}
				/>
			</Field>
		</>
	);
}

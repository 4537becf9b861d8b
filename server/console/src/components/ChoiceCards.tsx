/** One choice of a few, as cards with a description each (a webhook's template, a source's vendor). */
interface Option<T extends string> {
	value: T;
	label: string;
	description: string;
}

interface Props<T extends string> {
	/** The radio group's accessible name. */
	label: string;
	name: string;
	options: readonly Option<T>[];
	value: T;
	onChange: (next: T) => void;
}

export function ChoiceCards<T extends string>({ label, name, options, value, onChange }: Props<T>) {
	return (
		<div class="template-choice" role="radiogroup" aria-label={label}>
			{options.map((option) => (
				<label key={option.value} class={`template-card${value === option.value ? ' selected' : ''}`}>
					<input type="radio" name={name} value={option.value} checked={value === option.value} onChange={() => onChange(option.value)} />
					<span class="strong">{option.label}</span>
					<span class="muted small">{option.description}</span>
				</label>
			))}
		</div>
	);
}

/** An on/off switch: a button with `role="switch"`, so Space and Enter flip it and screen readers say its state. */
interface Props {
	checked: boolean;
	label: string;
	onChange: (next: boolean) => void;
	disabled?: boolean;
	id?: string;
}

export function Switch({ checked, label, onChange, disabled, id }: Props) {
	return (
		<button
			type="button"
			id={id}
			role="switch"
			class="switch"
			aria-checked={checked}
			aria-label={label}
			title={label}
			disabled={disabled}
			onClick={() => onChange(!checked)}
		>
			<span class="switch-knob" aria-hidden="true" />
		</button>
	);
}

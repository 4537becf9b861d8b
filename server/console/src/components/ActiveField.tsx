/** A form's Active switch, with what the current state means beside it. */
import { Switch } from './Switch';

export function ActiveField({ id, checked, onChange, state }: { id: string; checked: boolean; onChange: (next: boolean) => void; state: string }) {
	return (
		<div class="field inline">
			<span id={`${id}-label`}>Active</span>
			<Switch id={id} checked={checked} label="Active" onChange={onChange} />
			<span class="muted small">{state}</span>
		</div>
	);
}

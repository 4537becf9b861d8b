/** A saved record's form buttons: Save changes (only when something changed), any others, Discard. */
import type { ComponentChildren } from 'preact';

interface Props {
	saving: boolean;
	disabled: boolean;
	dirty: boolean;
	onDiscard: () => void;
	/** Buttons between Save and Discard (a webhook's Test). */
	children?: ComponentChildren;
}

export function SaveChanges({ saving, disabled, dirty, onDiscard, children }: Props) {
	return (
		<>
			<button type="submit" class="button primary" disabled={disabled}>
				{saving ? 'Saving…' : 'Save changes'}
			</button>
			{children}
			{dirty && (
				<button type="button" class="button ghost" onClick={onDiscard}>
					Discard changes
				</button>
			)}
		</>
	);
}

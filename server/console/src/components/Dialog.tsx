/** A modal dialog on the native `<dialog>`: focus stays inside, Escape closes it. */
import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';

interface Props {
	title: string;
	open: boolean;
	onClose: () => void;
	children: ComponentChildren;
	actions?: ComponentChildren;
}

export function Dialog({ title, open, onClose, children, actions }: Props) {
	const ref = useRef<HTMLDialogElement>(null);
	useEffect(() => {
		const dialog = ref.current;
		if (!dialog) return;
		if (open && !dialog.open) dialog.showModal();
		if (!open && dialog.open) dialog.close();
	}, [open]);
	return (
		<dialog ref={ref} class="dialog" aria-labelledby="dialog-title" onClose={onClose} onCancel={onClose}>
			<h2 id="dialog-title">{title}</h2>
			<div class="dialog-body">{children}</div>
			<div class="actions">
				{actions}
				<button type="button" class="button" onClick={onClose}>
					Close
				</button>
			</div>
		</dialog>
	);
}

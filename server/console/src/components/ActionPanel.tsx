/** A side panel that explains one action and offers its button (rotate, delete). */
interface Props {
	id: string;
	title: string;
	text: string;
	button: string;
	onClick: () => void;
	disabled: boolean;
	danger?: boolean;
}

export function ActionPanel({ id, title, text, button, onClick, disabled, danger = false }: Props) {
	return (
		<section class={`panel${danger ? ' danger' : ''}`} aria-labelledby={`${id}-title`}>
			<h2 id={`${id}-title`}>{title}</h2>
			<p class="muted small">{text}</p>
			<button type="button" class={`button${danger ? ' danger' : ''}`} onClick={onClick} disabled={disabled}>
				{button}
			</button>
		</section>
	);
}

/** A block of JSON or text with a copy button. */
import { prettyJson } from '../format';
import { CopyButton } from './CopyButton';

interface Props {
	value: unknown;
	label?: string;
	/** Accessible name of the block (e.g. "Request body"). */
	title?: string;
}

export function CodeBlock({ value, label = 'Copy', title }: Props) {
	const text = prettyJson(value);
	return (
		<div class="code">
			<div class="code-bar">
				{title && <span class="code-title">{title}</span>}
				<CopyButton text={text} label={label} />
			</div>
			<pre tabIndex={0} aria-label={title}>
				<code>{text}</code>
			</pre>
		</div>
	);
}

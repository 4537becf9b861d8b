/** Copies text to the clipboard; says "Copied" for a moment. */
import { useFlash } from '../hooks';

async function copy(text: string): Promise<void> {
	if (navigator.clipboard && window.isSecureContext) {
		await navigator.clipboard.writeText(text);
		return;
	}
	// Plain-http origins other than localhost have no clipboard API: the old way.
	const area = document.createElement('textarea');
	area.value = text;
	area.setAttribute('readonly', '');
	area.className = 'offscreen';
	document.body.append(area);
	area.select();
	document.execCommand('copy');
	area.remove();
}

export function CopyButton({ text, label = 'Copy' }: { text: string; label?: string }) {
	const [copied, flash] = useFlash();
	return (
		<button type="button" class="button small" onClick={() => void copy(text).then(flash)} aria-live="polite">
			{copied ? 'Copied' : label}
		</button>
	);
}

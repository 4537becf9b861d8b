/** A screen's title (the page's `<h1>`, which the shell focuses after navigation) and its actions. */
import type { ComponentChildren } from 'preact';
import { useEffect } from 'preact/hooks';

export function PageHeader({ title, children, subtitle }: { title: string; children?: ComponentChildren; subtitle?: ComponentChildren }) {
	useEffect(() => {
		document.title = `${title} · MDM dispatcher`;
	}, [title]);
	return (
		<header class="page-header">
			<div>
				<h1 tabIndex={-1}>{title}</h1>
				{subtitle && <p class="muted">{subtitle}</p>}
			</div>
			{children && <div class="actions">{children}</div>}
		</header>
	);
}

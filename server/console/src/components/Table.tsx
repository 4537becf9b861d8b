/** A data table in a horizontally scrolling frame (wide tables stay usable on a tablet). */
import type { ComponentChildren } from 'preact';

interface Props {
	/** Read by screen readers (visually hidden). */
	caption: string;
	/** Column headings; an empty one is named by `caption` for screen readers only. */
	columns: string[];
	class?: string;
	children: ComponentChildren;
}

export function Table({ caption, columns, class: className, children }: Props) {
	return (
		<div class="table-wrap">
			<table class={`table${className ? ` ${className}` : ''}`}>
				<caption class="offscreen">{caption}</caption>
				<thead>
					<tr>
						{columns.map((column, index) => (
							<th scope="col" key={index}>
								{column || <span class="offscreen">{caption}</span>}
							</th>
						))}
					</tr>
				</thead>
				<tbody>{children}</tbody>
			</table>
		</div>
	);
}

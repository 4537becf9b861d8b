/**
 * The event catalog: every type by category with its description, the JSON Schema of its `data`
 * and a sample event, both copyable (a sample is a ready body for `POST /v1/events`).
 */
import { useState } from 'preact/hooks';
import { useCatalog } from '../../catalog';
import { CodeBlock } from '../../components/CodeBlock';
import { ErrorNotice } from '../../components/Notice';
import { PageHeader } from '../../components/PageHeader';

export function Catalog({ selected }: { selected: string | null }) {
	const catalog = useCatalog();
	const [filter, setFilter] = useState('');
	const entries = catalog.data?.entries ?? [];
	const current = entries.find((entry) => entry.type === selected) ?? entries[0];
	const needle = filter.trim().toLowerCase();

	return (
		<>
			<PageHeader title="Event catalog" subtitle="Every event type the dispatcher accepts, grouped as MDM consoles list them." />
			<ErrorNotice error={catalog.error} />
			{catalog.data && current && (
				<div class="catalog">
					<nav class="catalog-nav" aria-label="Event types">
						<label class="offscreen" for="catalog-filter">
							Filter event types
						</label>
						<input
							id="catalog-filter"
							type="search"
							placeholder="Filter types…"
							value={filter}
							onInput={(event) => setFilter(event.currentTarget.value)}
						/>
						{catalog.data.categories.map((group) => {
							const shown = group.entries.filter(
								(entry) => needle === '' || entry.type.includes(needle) || entry.description.toLowerCase().includes(needle),
							);
							if (shown.length === 0) return null;
							return (
								<section key={group.category}>
									<h2 class="category-title">
										{group.label} <span class="muted">({group.entries.length})</span>
									</h2>
									<ul>
										{shown.map((entry) => (
											<li key={entry.type}>
												<a href={`/catalog/${entry.type}`} aria-current={entry === current ? 'page' : undefined} class="mono">
													{entry.type}
												</a>
											</li>
										))}
									</ul>
								</section>
							);
						})}
					</nav>
					<article class="catalog-entry" aria-labelledby="entry-title">
						<h2 id="entry-title" class="mono">
							{current.type}
						</h2>
						<p>
							<span class="badge plain">{catalog.data.categories.find((group) => group.category === current.category)?.label}</span>{' '}
							{current.description}
						</p>
						<div class="two-columns">
							<CodeBlock title="Sample event" value={{ type: current.type, data: current.sample }} label="Copy sample" />
							<CodeBlock title="JSON Schema of data" value={current.schema} label="Copy schema" />
						</div>
					</article>
				</div>
			)}
		</>
	);
}

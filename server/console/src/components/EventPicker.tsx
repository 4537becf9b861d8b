/**
 * Event subscriptions picked from the catalog, by category (as Scalefusion lists them): a box per
 * type, a box per category, "All events" (`*`). Wildcards already saved (`device.*`) are shown
 * with the types they cover.
 */
import { matchesEventPattern } from '../../../../core/events/match';
import type { Catalog } from '../catalog';

interface Props {
	id: string;
	catalog: Catalog;
	value: string[];
	onChange: (next: string[]) => void;
	/** Offer the `test` category (webhook.test) too. */
	includeTest?: boolean;
	error?: string | null;
}

export function EventPicker({ id, catalog, value, onChange, includeTest = false, error }: Props) {
	const everything = value.includes('*');
	const wildcards = value.filter((pattern) => pattern !== '*' && pattern.includes('*'));
	const coveredBy = (type: string) => wildcards.find((pattern) => matchesEventPattern(pattern, type));
	const selected = (type: string) => everything || value.includes(type) || coveredBy(type) !== undefined;
	const set = (types: string[], on: boolean) => {
		const without = value.filter((pattern) => !types.includes(pattern));
		onChange(on ? [...without, ...types.filter((type) => !coveredBy(type))] : without);
	};
	const categories = catalog.categories.filter((group) => includeTest || group.category !== 'test');

	return (
		<div class={`event-picker${error ? ' invalid' : ''}`} id={id} role="group" aria-label="Events">
			<label class="check all-events">
				<input type="checkbox" checked={everything} onChange={(event) => onChange(event.currentTarget.checked ? ['*'] : [])} />
				<span>
					All events <code>*</code>
				</span>
			</label>
			{wildcards.length > 0 && (
				<ul class="chips" aria-label="Wildcard subscriptions">
					{wildcards.map((pattern) => (
						<li key={pattern} class="chip">
							<code>{pattern}</code> ({catalog.entries.filter((entry) => matchesEventPattern(pattern, entry.type)).length} types)
							<button
								type="button"
								class="chip-remove"
								aria-label={`Remove ${pattern}`}
								onClick={() => onChange(value.filter((other) => other !== pattern))}
							>
								×
							</button>
						</li>
					))}
				</ul>
			)}
			<div class="categories">
				{categories.map((group) => {
					const types = group.entries.map((entry) => entry.type);
					const count = types.filter(selected).length;
					return (
						<fieldset key={group.category} class="category" disabled={everything}>
							<legend>
								<label class="check">
									<input
										type="checkbox"
										checked={count === types.length}
										ref={(input) => {
											if (input) input.indeterminate = count > 0 && count < types.length;
										}}
										onChange={(event) => set(types, event.currentTarget.checked)}
										aria-label={`All ${group.label} events`}
									/>
									<span>
										{group.label} <span class="muted">({count}/{types.length})</span>
									</span>
								</label>
							</legend>
							{group.entries.map((entry) => {
								const via = coveredBy(entry.type);
								return (
									<label class="check event" key={entry.type} title={entry.description}>
										<input
											type="checkbox"
											value={entry.type}
											checked={selected(entry.type)}
											disabled={via !== undefined}
											onChange={(event) => set([entry.type], event.currentTarget.checked)}
										/>
										<span>
											<code>{entry.type}</code>
											{via && <span class="muted"> via {via}</span>}
											<span class="event-description">{entry.description}</span>
										</span>
									</label>
								);
							})}
						</fieldset>
					);
				})}
			</div>
			{error && (
				<p class="field-error" role="alert">
					{error}
				</p>
			)}
		</div>
	);
}

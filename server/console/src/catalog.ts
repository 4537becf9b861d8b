/** The event catalog from `GET /v1/event-types`, loaded once per page and shared by every screen. */
import { get } from './api';
import { useResource, type Resource } from './hooks';
import type { CatalogEntry, EventCategory } from './types';

export const CATEGORY_LABELS: Record<EventCategory, string> = {
	enrollment: 'Enrollment',
	management: 'Management',
	device_update: 'Device update',
	availability: 'Availability',
	compliance: 'Compliance',
	operational: 'Operational (the dispatcher about its webhooks)',
	test: 'Test',
};

export interface Catalog {
	entries: CatalogEntry[];
	/** Categories in catalog order, each with its types. */
	categories: { category: EventCategory; label: string; entries: CatalogEntry[] }[];
}

let cached: Promise<Catalog> | null = null;

function load(): Promise<Catalog> {
	cached ??= get<{ data: CatalogEntry[] }>('/v1/event-types').then(({ data }) => {
		const categories: Catalog['categories'] = [];
		for (const entry of data) {
			let group = categories.find((candidate) => candidate.category === entry.category);
			if (!group) {
				group = { category: entry.category, label: CATEGORY_LABELS[entry.category] ?? entry.category, entries: [] };
				categories.push(group);
			}
			group.entries.push(entry);
		}
		return { entries: data, categories };
	});
	cached.catch(() => {
		cached = null;
	});
	return cached;
}

export function useCatalog(): Resource<Catalog> {
	return useResource(load, []);
}

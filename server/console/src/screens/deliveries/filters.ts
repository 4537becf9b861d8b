/** The delivery log's filters, kept in the page URL so a filtered view can be shared and reloaded. */
import type { DeliveryFilter, DeliveryStatus } from '../../types';

export const FILTER_KEYS = ['from', 'to', 'status', 'responseCode', 'requestId', 'eventType', 'webhookId', 'profileId'] as const;
export type FilterKey = (typeof FILTER_KEYS)[number];
export type FilterValues = Partial<Record<FilterKey, string>>;

export function readFilters(search: URLSearchParams): FilterValues {
	const values: FilterValues = {};
	for (const key of FILTER_KEYS) {
		const value = search.get(key);
		if (value) values[key] = value;
	}
	return values;
}

/** The API's filter object (what bulk replay takes). */
export function toFilter(values: FilterValues): DeliveryFilter {
	const filter: DeliveryFilter = {};
	if (values.from) filter.from = values.from;
	if (values.to) filter.to = values.to;
	if (values.status) filter.status = values.status as DeliveryStatus;
	if (values.responseCode) filter.responseCode = Number(values.responseCode);
	if (values.requestId) filter.requestId = values.requestId.trim();
	if (values.eventType) filter.eventType = values.eventType;
	if (values.webhookId) filter.webhookId = values.webhookId;
	if (values.profileId) filter.profileId = values.profileId;
	return filter;
}

/** The summary cards count the range (and webhook, profile, type), whatever the status filters. */
export function rangeOf(values: FilterValues): FilterValues {
	const { from, to, webhookId, profileId, eventType } = values;
	return { from, to, webhookId, profileId, eventType };
}

export const RANGES: { label: string; ms: number | null }[] = [
	{ label: 'Last hour', ms: 3_600_000 },
	{ label: 'Last 24 hours', ms: 86_400_000 },
	{ label: 'Last 7 days', ms: 7 * 86_400_000 },
	{ label: 'All time', ms: null },
];

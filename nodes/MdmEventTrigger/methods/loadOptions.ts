import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { dispatcherApiRequest } from '../transport/dispatcherApi';

interface EventTypeEntry {
	type: string;
	category?: string;
	description?: string;
}

/**
 * The event types of the dispatcher's catalog (`GET /v1/event-types`), preceded by the wildcard
 * patterns the dispatcher accepts: `*` (every event) and one `prefix.*` per type prefix.
 */
export async function getEventTypes(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const response = (await dispatcherApiRequest.call(this, 'GET', '/event-types')) as
		| { data?: EventTypeEntry[] }
		| undefined;
	const entries = Array.isArray(response?.data) ? response.data : undefined;
	if (!entries) {
		throw new NodeOperationError(
			this.getNode(),
			'The dispatcher answered /v1/event-types without a "data" list',
		);
	}

	const prefixes = new Map<string, number>();
	for (const entry of entries) {
		const dot = entry.type.indexOf('.');
		if (dot > 0) {
			const prefix = entry.type.slice(0, dot);
			prefixes.set(prefix, (prefixes.get(prefix) ?? 0) + 1);
		}
	}

	const wildcards: INodePropertyOptions[] = [
		{ name: 'All Events (*)', value: '*', description: 'Every event type, including future ones' },
		...[...prefixes.entries()]
			.filter(([, count]) => count > 1)
			.map(([prefix]) => ({
				name: `All ${prefix}.* Events`,
				value: `${prefix}.*`,
				description: `Every event type that starts with "${prefix}."`,
			})),
	];

	const types = entries.map((entry) => ({
		name: entry.type,
		value: entry.type,
		description: [entry.category ? `[${entry.category}]` : '', entry.description ?? '']
			.join(' ')
			.trim(),
	}));

	return [...wildcards, ...types];
}

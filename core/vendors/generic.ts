/**
 * A JSONata `mapping` from a vendor body to canonical events: how a `generic` source maps any
 * sender, and the override any vendor's source may set instead of its built-in mapping. The
 * expression gets the parsed body and must produce `{type, id?, timestamp?, data}` or a list of
 * them; `id` is the dedupe key (a stable hash of the event when absent).
 */
import { evaluateMapping } from '../mapping/jsonata';
import type { FieldError } from '../types';
import { isObject, stableHash, text } from './fields';
import type { VendorDraftResult, VendorEventDraft } from './types';

/** More canonical events than this from one body is refused. */
export const MAX_EVENTS_PER_BODY = 100;

/** How a mapping is evaluated: in this thread by default; the dispatcher passes its JSONata pool. */
export type MappingEvaluator = (mapping: string, body: unknown) => Promise<unknown>;

export async function readWithMapping(
	mapping: string,
	body: unknown,
	evaluate: MappingEvaluator = (source, input) => evaluateMapping(source, input),
): Promise<VendorDraftResult> {
	let result: unknown;
	try {
		result = await evaluate(mapping, body);
	} catch (error) {
		return { ok: false, errors: [{ path: '/mapping', message: (error as Error).message }] };
	}
	const items = Array.isArray(result) ? result : result === undefined ? [] : [result];
	if (items.length === 0) return { ok: false, errors: [{ path: '/mapping', message: 'the mapping produced no event for this body' }] };
	if (items.length > MAX_EVENTS_PER_BODY) {
		return { ok: false, errors: [{ path: '/mapping', message: `the mapping produced ${items.length} events (at most ${MAX_EVENTS_PER_BODY})` }] };
	}
	const errors: FieldError[] = [];
	const events: VendorEventDraft[] = [];
	items.forEach((item, index) => {
		const at = items.length > 1 || Array.isArray(result) ? `/mapping/${index}` : '/mapping';
		if (!isObject(item)) return errors.push({ path: at, message: 'must produce an object {type, id?, timestamp?, data}' });
		if (typeof item.type !== 'string') return errors.push({ path: `${at}/type`, message: 'must produce a "type" (a type from the catalog)' });
		if (!isObject(item.data)) return errors.push({ path: `${at}/data`, message: 'must produce a "data" object with device.id' });
		if (item.timestamp !== undefined && typeof item.timestamp !== 'string') {
			return errors.push({ path: `${at}/timestamp`, message: 'must be a date-time string' });
		}
		events.push({
			key: text(item.id) ?? stableHash({ body, index }),
			type: item.type,
			timestamp: item.timestamp,
			data: item.data,
		});
	});
	return errors.length > 0 ? { ok: false, errors } : { ok: true, events };
}

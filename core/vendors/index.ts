/**
 * Vendor webhooks → canonical events, one module per vendor, used by the dispatcher's ingest
 * sources and by the n8n "MDM Vendor Event" node, so both give the same events for the same body.
 */
import { getEventType } from '../events/catalog';
import { validateEventData } from '../events/validate';
import type { FieldError, JsonObject } from '../types';
import { readTimestamp, vendorEventId } from './fields';
import { MAX_EVENTS_PER_BODY, type MappingEvaluator, readWithMapping } from './generic';
import { hexnode } from './hexnode';
import { kobiton } from './kobiton';
import { mender } from './mender';
import { nexthink } from './nexthink';
import { scalefusion } from './scalefusion';
import type { CanonicalEventData, MappedEvent, VendorDraftResult, VendorMapContext, VendorMapResult, VendorModule, VendorName } from './types';

export * from './types';
export { MENDER_EVENT_TYPES } from './mender';
export { KOBITON_ACTIVITIES } from './kobiton';
export { nexthinkTemplate } from './nexthink';
export { MAX_EVENTS_PER_BODY } from './generic';

/** The vendors with a built-in mapping (`generic` has none: it needs a JSONata `mapping`). */
export const VENDOR_MODULES: Readonly<Record<Exclude<VendorName, 'generic'>, VendorModule>> = Object.freeze({
	mender,
	scalefusion,
	kobiton,
	hexnode,
	nexthink,
});

/** The product's name of a vendor, for messages and UIs. */
export function vendorTitle(vendor: VendorName): string {
	return vendor === 'generic' ? 'Generic' : VENDOR_MODULES[vendor].title;
}

export interface MapVendorOptions {
	/** A JSONata expression that replaces the built-in mapping (required for `generic`). */
	mapping?: string | null;
	/** Evaluates `mapping` (default: in this thread, with the core's time box). */
	evaluate?: MappingEvaluator;
	context?: VendorMapContext;
}

/**
 * Maps a parsed vendor body to canonical events: with the source's JSONata `mapping` when it has
 * one, else the vendor's built-in mapping. Every event gets a safe id (`<vendor>_<key>`), a
 * normalised timestamp and `data.source`, and is validated against its type's schema. Errors name
 * the field: a JSON Pointer into the vendor body, `/mapping…` for the JSONata result, or
 * `/events/<i>/…` for a canonical event that does not validate.
 */
export async function mapVendorBody(vendor: VendorName, body: unknown, options: MapVendorOptions = {}): Promise<VendorMapResult> {
	let drafts: VendorDraftResult;
	if (options.mapping) drafts = await readWithMapping(options.mapping, body, options.evaluate);
	else if (vendor === 'generic') drafts = { ok: false, errors: [{ path: '/mapping', message: 'a generic source needs a JSONata mapping' }] };
	else drafts = VENDOR_MODULES[vendor].read(body, options.context ?? {});
	if (!drafts.ok) return drafts;
	if (drafts.events.length > MAX_EVENTS_PER_BODY) {
		return { ok: false, errors: [{ path: '/', message: `the body lists ${drafts.events.length} events (at most ${MAX_EVENTS_PER_BODY})` }] };
	}

	const errors: FieldError[] = [];
	const events: MappedEvent[] = [];
	drafts.events.forEach((draft, index) => {
		const at = `/events/${index}`;
		if (!getEventType(draft.type)) {
			errors.push({ path: `${at}/type`, message: `unknown event type ${JSON.stringify(draft.type)}` });
			return;
		}
		const timestamp = draft.timestamp === undefined ? undefined : readTimestamp(draft.timestamp);
		if (draft.timestamp !== undefined && timestamp === undefined) {
			errors.push({ path: `${at}/timestamp`, message: 'not a date-time' });
			return;
		}
		const data = { ...draft.data, source: typeof draft.data.source === 'string' ? draft.data.source : vendor };
		const problems = validateEventData(draft.type, data);
		if (problems.length > 0) {
			errors.push(...problems.map((problem) => ({ path: `${at}${problem.path}`, message: problem.message })));
			return;
		}
		// Validated: the type's schema requires device.id.
		const valid = data as JsonObject as CanonicalEventData;
		events.push({ id: vendorEventId(vendor, draft.key), type: draft.type, ...(timestamp ? { timestamp } : {}), data: valid });
	});
	return errors.length > 0 ? { ok: false, errors } : { ok: true, events };
}

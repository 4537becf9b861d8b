/** What a vendor mapping takes and gives: a vendor's webhook body in, canonical events out. */
import type { FieldError, JsonObject } from '../types';

/** The MDMs whose native webhooks the dispatcher and the node pack understand. */
export const VENDOR_NAMES = ['mender', 'scalefusion', 'kobiton', 'hexnode', 'nexthink', 'generic'] as const;
export type VendorName = (typeof VENDOR_NAMES)[number];

/**
 * How each vendor proves a webhook is its own: a signature of the body (with the source's
 * secret), Basic or Bearer auth, nothing but the URL token, or any of these (generic).
 */
export type VendorCredential = 'signature' | 'auth' | 'token' | 'any';

export const VENDOR_CREDENTIALS: Readonly<Record<VendorName, VendorCredential>> = {
	mender: 'signature',
	scalefusion: 'signature',
	kobiton: 'token',
	hexnode: 'auth',
	nexthink: 'auth',
	generic: 'any',
};

/** A validated event's `data`: it always has `device.id`. */
export type CanonicalEventData = JsonObject & { device: JsonObject & { id: string } };

/** One canonical event a vendor body maps to. */
export interface MappedEvent {
	/**
	 * The dedupe key and event id: `<vendor>_<the vendor's event id>` when the vendor sends one
	 * (Mender), else `<vendor>_<a stable hash>` of what identifies the event. Always a valid event id.
	 */
	id: string;
	/** A catalog type. */
	type: string;
	/** When it happened at the vendor (ISO 8601, milliseconds); absent when the vendor says nothing. */
	timestamp?: string;
	/** Validated against the type's schema; `device.id` always set, `source` is the vendor. */
	data: CanonicalEventData;
}

export type VendorMapResult = { ok: true; events: MappedEvent[] } | { ok: false; errors: FieldError[] };

export interface VendorMapContext {
	/**
	 * The last authentication status seen for a device, for Mender's status changes (Mender sends
	 * no previous status). Absent or `undefined`: `previousStatus` is left out.
	 */
	lastStatus?: (deviceId: string) => string | undefined;
}

/** An event as a vendor module reads it, before ids are made safe and data is validated. */
export interface VendorEventDraft {
	/** What identifies the event at the vendor (its own id, or the fields a stable id is made of). */
	key: string;
	type: string;
	timestamp?: string;
	data: JsonObject;
}

export type VendorDraftResult = { ok: true; events: VendorEventDraft[] } | { ok: false; errors: FieldError[] };

/** A vendor's built-in mapping: pure and synchronous. */
export interface VendorModule {
	vendor: VendorName;
	/** The product's name, for messages. */
	title: string;
	/** Reads a parsed body; errors name the offending field of the body (JSON Pointer). */
	read(body: unknown, context: VendorMapContext): VendorDraftResult;
}

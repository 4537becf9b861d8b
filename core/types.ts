/**
 * The core's shared vocabulary: every type that both the dispatcher (`server/`) and the n8n node
 * pack (`nodes/`) speak. Implementations live beside this file, one concept per folder.
 */

/** Device platforms the catalog knows (the union of the seeds). */
export const PLATFORMS = [
	'android',
	'ios',
	'ipados',
	'macos',
	'windows',
	'linux',
	'tvos',
	'chromeos',
	'other',
] as const;
export type Platform = (typeof PLATFORMS)[number];

export const EVENT_CATEGORIES = [
	'enrollment',
	'management',
	'device_update',
	'availability',
	'compliance',
	'operational',
	'test',
] as const;
export type EventCategory = (typeof EVENT_CATEGORIES)[number];

/** A JSON Schema document (draft 2020-12 subset that ajv understands). */
export type JsonSchema = Record<string, unknown>;

/** Any JSON value. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** The canonical event: a Standard Webhooks envelope. */
export interface EventEnvelope<TData extends JsonObject = JsonObject> {
	/** `evt_` followed by a unique, URL-safe id. */
	id: string;
	/** Dot-delimited type from the catalog, e.g. `device.enrolled`. */
	type: string;
	/** ISO-8601 UTC timestamp with milliseconds. */
	timestamp: string;
	/** Always has `device.id`; each type's schema says what else. */
	data: TData;
}

/** One entry of the event catalog. */
export interface EventTypeDefinition {
	type: string;
	category: EventCategory;
	description: string;
	/** JSON Schema of the envelope's `data`. */
	schema: JsonSchema;
	/** A realistic `data` that validates against `schema`. */
	sample: JsonObject;
	/** Human title for notifications, e.g. `Device enrolled`. */
	title?: string;
	/** Slack emoji short code used in notifications, e.g. `:iphone:`. */
	emoji?: string;
}

/** A validation problem: JSON Pointer to the field and why. */
export interface FieldError {
	path: string;
	message: string;
	/** Where in the field's text the problem is (JSONata compile errors: the character offset). */
	position?: number;
}

export type TemplateName = 'slack' | 'teams' | 'custom';

export type SigningSchemeName = 'standard' | 'standard-ed25519' | 'scalefusion' | 'mender' | 'none';

export type HttpMethod = 'POST' | 'PUT' | 'PATCH';

export type DestinationAuth =
	| { type: 'none' }
	| { type: 'basic'; username: string; password: string }
	| { type: 'bearer'; token: string };

export interface SignInput {
	/** The request id (`webhook-id`), stable across retries. */
	messageId: string;
	/** Unix seconds. */
	timestamp: number;
	/** The exact body bytes that go on the wire. */
	body: string;
	/**
	 * Secrets to sign with, newest first. Standard Webhooks (`v1` and `v1a`) signs with each
	 * (space-separated signatures during rotation); HMAC-of-body schemes use the first only.
	 */
	secrets: string[];
}

export interface VerifyInput {
	/** Request headers; names are matched case-insensitively. */
	headers: Record<string, string | string[] | undefined>;
	/** The raw body exactly as received. */
	body: string | Buffer;
	/** The shared secret; for `standard-ed25519` the `whpk_` public key (or the `whsk_` secret key). */
	secret: string;
	/** For schemes with a timestamp: how far it may be from `nowSeconds`. Default 300. */
	toleranceSeconds?: number;
	/** Unix seconds; defaults to the clock. */
	nowSeconds?: number;
}

export type VerifyFailure =
	| 'missing_header'
	| 'bad_signature'
	| 'timestamp_out_of_window'
	| 'bad_secret';

export type VerifyResult = { valid: true } | { valid: false; reason: VerifyFailure; message: string };

export interface SigningScheme {
	name: Exclude<SigningSchemeName, 'none'>;
	/** Header names this scheme sets (lower-case); custom headers may not use them. */
	headerNames: readonly string[];
	sign(input: SignInput): Record<string, string>;
	verify(input: VerifyInput): VerifyResult;
}

/** Everything needed to build the exact request that goes to a destination. */
export interface OutboundRequestSpec {
	url: string;
	method: HttpMethod;
	/** The body value to serialise as JSON (a template's output or a JSONata mapping result). */
	payload: unknown;
	/** Request id; becomes `webhook-id` for every scheme. */
	messageId: string;
	/** Unix seconds used for signing. */
	timestamp: number;
	signing: { scheme: SigningSchemeName; secrets: string[] };
	auth: DestinationAuth;
	/** Custom headers (already validated against `FORBIDDEN_CUSTOM_HEADERS`). */
	headers?: Record<string, string>;
}

/** The request as it goes on the wire. */
export interface OutboundRequest {
	url: string;
	method: HttpMethod;
	/** Lower-case header names. */
	headers: Record<string, string>;
	/** Serialised JSON body. */
	body: string;
}

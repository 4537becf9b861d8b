/**
 * Small readers for vendor bodies whose shape is documented loosely or not at all (Scalefusion,
 * Hexnode, Nexthink): first matching key wins, values of the wrong type are skipped, and whatever
 * is not mapped is kept so that it can go under `data.vendor`.
 */
import { createHash } from 'node:crypto';
import { EVENT_TYPE_NAMES } from '../events/catalog';
import { EVENT_ID_PATTERN } from '../events/envelope';
import { PLATFORMS, type JsonObject, type JsonValue, type Platform } from '../types';

export function isObject(value: unknown): value is JsonObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A trimmed non-empty string, or a finite number as text; undefined otherwise. */
export function text(value: unknown): string | undefined {
	if (typeof value === 'string') return value.trim() === '' ? undefined : value.trim();
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	return undefined;
}

/** The first key of `keys` that `source` has with a usable text value; records the key in `used`. */
export function pickText(source: JsonObject, keys: readonly string[], used?: Set<string>): string | undefined {
	for (const key of keys) {
		const value = text(source[key]);
		if (value !== undefined) {
			used?.add(key);
			return value;
		}
	}
	return undefined;
}

/** The first key of `keys` whose value is an object. */
export function pickObject(source: JsonObject, keys: readonly string[], used?: Set<string>): JsonObject | undefined {
	for (const key of keys) {
		const value = source[key];
		if (isObject(value)) {
			used?.add(key);
			return value;
		}
	}
	return undefined;
}

/** `source` without the keys in `used` (and without empty values); undefined when nothing is left. */
export function rest(source: JsonObject, used: Set<string>): JsonObject | undefined {
	const out: JsonObject = {};
	for (const [key, value] of Object.entries(source)) {
		if (used.has(key) || value === null || value === '') continue;
		out[key] = value;
	}
	return Object.keys(out).length > 0 ? out : undefined;
}

/** Lower-case letters and digits only: `Device Enrolled`, `device.enrolled`, `DEVICE_ENROLLED` agree. */
export function normalizeName(name: string): string {
	return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

const CATALOG_BY_NAME: ReadonlyMap<string, string> = new Map(EVENT_TYPE_NAMES.map((type) => [normalizeName(type), type]));

/**
 * The catalog type an event name stands for: the vendor's own aliases first, then the catalog's
 * names, written any way (`Device Sim Swap` = `device.sim_swap`).
 */
export function lookupEventType(name: string, aliases: Readonly<Record<string, string>> = {}): string | undefined {
	const key = normalizeName(name);
	return aliases[key] ?? CATALOG_BY_NAME.get(key);
}

const PLATFORM_ALIASES: Readonly<Record<string, Platform>> = {
	iphone: 'ios',
	ipad: 'ipados',
	mac: 'macos',
	macosx: 'macos',
	osx: 'macos',
	darwin: 'macos',
	win: 'windows',
	win32: 'windows',
	win64: 'windows',
	windows10: 'windows',
	windows11: 'windows',
	appletv: 'tvos',
	chrome: 'chromeos',
	chromebook: 'chromeos',
};

/** A vendor's platform or OS name as a catalog platform (`other` when unknown). */
export function normalizePlatform(value: string): Platform {
	const key = normalizeName(value);
	if ((PLATFORMS as readonly string[]).includes(key)) return key as Platform;
	if (PLATFORM_ALIASES[key]) return PLATFORM_ALIASES[key];
	for (const platform of ['android', 'ipados', 'ios', 'macos', 'windows', 'linux', 'tvos', 'chromeos'] as const) {
		if (key.startsWith(platform)) return platform;
	}
	return 'other';
}

/** An ISO 8601 timestamp with milliseconds, from an ISO/RFC 3339 text or Unix seconds/milliseconds. */
export function readTimestamp(value: unknown): string | undefined {
	if (typeof value === 'number' && Number.isFinite(value) && value > 0) {
		const ms = value < 1e11 ? value * 1000 : value;
		const date = new Date(ms);
		return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
	}
	if (typeof value !== 'string' || value.trim() === '') return undefined;
	// RFC 3339 with more than millisecond precision (Go's nanoseconds): keep the milliseconds.
	const trimmed = value.trim().replace(/(\.\d{3})\d+/, '$1');
	const ms = Date.parse(trimmed);
	return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

/** JSON with object keys sorted, so that equal values give equal text whatever their key order. */
export function canonicalJson(value: unknown): string {
	if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
	if (isObject(value)) {
		const keys = Object.keys(value).sort();
		return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`).join(',')}}`;
	}
	return JSON.stringify(value ?? null);
}

/** A stable 160-bit hex digest of a value (sha256, truncated). */
export function stableHash(value: unknown): string {
	return createHash('sha256').update(typeof value === 'string' ? value : canonicalJson(value)).digest('hex').slice(0, 40);
}

const ID_PATTERN = new RegExp(EVENT_ID_PATTERN);

/** `<vendor>_<key>` when that is a valid event id of at most 128 characters, else `<vendor>_<hash of key>`. */
export function vendorEventId(vendor: string, key: string): string {
	const id = `${vendor}_${key}`;
	return ID_PATTERN.test(id) ? id : `${vendor}_${stableHash(key)}`;
}

/** Drops `undefined` members (the catalog's JSON has none). */
export function compact(value: Record<string, JsonValue | undefined>): JsonObject {
	const out: JsonObject = {};
	for (const [key, member] of Object.entries(value)) if (member !== undefined) out[key] = member;
	return out;
}

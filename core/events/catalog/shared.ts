/**
 * Building blocks shared by the per-category catalog files: the device object every event carries,
 * a few reusable sub-schemas, and `eventDataSchema()` which wraps them into the `data` schema of
 * one event type.
 *
 * Policy: `data` and the objects inside it accept additional properties (MDM vendors add fields
 * of their own and the dispatcher must not refuse them), but every property the catalog names is
 * typed, length-bounded and, where it has a closed vocabulary, enumerated.
 */
import { PLATFORMS, type EventTypeDefinition, type JsonObject, type JsonSchema } from '../../types';

const SHORT = 256;
const LONG = 2048;

export const str = (maxLength = SHORT): JsonSchema => ({ type: 'string', maxLength });
export const nonEmptyStr = (maxLength = SHORT): JsonSchema => ({ type: 'string', minLength: 1, maxLength });
export const dateTime: JsonSchema = { type: 'string', format: 'date-time' };
export const email: JsonSchema = { type: 'string', format: 'email', maxLength: SHORT };
export const longText: JsonSchema = { type: 'string', maxLength: LONG };

/** A person: the device's user, an admin who triggered an action, a signed-in user. */
export const personSchema: JsonSchema = {
	type: 'object',
	properties: {
		id: nonEmptyStr(),
		name: str(),
		email,
	},
	additionalProperties: true,
};

/** A person that must at least be identifiable (id or email). */
export const identifiedPersonSchema: JsonSchema = {
	...personSchema,
	anyOf: [{ required: ['id'] }, { required: ['email'] }],
};

export const locationSchema: JsonSchema = {
	type: 'object',
	required: ['latitude', 'longitude'],
	properties: {
		latitude: { type: 'number', minimum: -90, maximum: 90 },
		longitude: { type: 'number', minimum: -180, maximum: 180 },
		accuracyMeters: { type: 'number', minimum: 0 },
		capturedAt: dateTime,
	},
	additionalProperties: true,
};

/** The device every event carries. Only `id` is required. */
export function deviceSchema(): JsonSchema {
	return {
		type: 'object',
		required: ['id'],
		properties: {
			id: nonEmptyStr(),
			name: str(),
			platform: { type: 'string', enum: [...PLATFORMS] },
			model: str(),
			manufacturer: str(),
			osVersion: str(64),
			serialNumber: str(128),
			imei: { type: 'string', pattern: '^[0-9]{14,16}$' },
			udid: str(128),
			macAddress: { type: 'string', pattern: '^[0-9A-Fa-f]{2}([:-]?[0-9A-Fa-f]{2}){5}$' },
			ownership: { type: 'string', enum: ['corporate', 'personal', 'shared', 'unknown'] },
			user: personSchema,
			groups: { type: 'array', maxItems: 500, items: nonEmptyStr() },
			tags: { type: 'array', maxItems: 500, items: nonEmptyStr() },
			enrolledAt: dateTime,
			lastSeenAt: dateTime,
		},
		additionalProperties: true,
	};
}

export interface DataSchemaOptions {
	/** Extra properties of `data` besides `device`. */
	properties?: Record<string, JsonSchema>;
	/** Required properties of `data` besides `device`. */
	required?: string[];
	/** Device properties that this type requires besides `id`. */
	deviceRequired?: string[];
}

/** The JSON Schema of one event type's `data`: always `device` with `device.id`, plus extras. */
export function eventDataSchema(options: DataSchemaOptions = {}): JsonSchema {
	const device = deviceSchema();
	if (options.deviceRequired?.length) {
		device.required = ['id', ...options.deviceRequired];
	}
	return {
		type: 'object',
		required: ['device', ...(options.required ?? [])],
		properties: {
			device,
			/** When the event happened at the source (the envelope's timestamp is when we got it). */
			occurredAt: dateTime,
			/** Where the event came from (`hexnode`, `scalefusion`, `mender`, …). */
			source: str(64),
			...(options.properties ?? {}),
		},
		additionalProperties: true,
	};
}

/** An admin or automation that triggered an action on a device. */
export const initiatedBySchema: JsonSchema = personSchema;

/** A catalog entry as the per-category files write it: title and emoji are always given. */
export type CatalogEntry = EventTypeDefinition & { title: string; emoji: string };

// ---------------------------------------------------------------------------------------------
// Sample devices (realistic, Hexnode / Scalefusion / Mender / Kobiton-like) reused by the samples.
// ---------------------------------------------------------------------------------------------

export const SAMPLE_USER_ALICE = {
	id: 'usr_2f9c41',
	name: 'Alice Moreau',
	email: 'alice.moreau@example.com',
} satisfies JsonObject;

export const SAMPLE_ADMIN = {
	id: 'adm_0017',
	name: 'IT Helpdesk',
	email: 'it-helpdesk@example.com',
} satisfies JsonObject;

export const SAMPLE_ANDROID = {
	id: '7f3b2c1e-5a94-4d0b-9f1e-2c8d6a4e91b7',
	name: 'Galaxy Note 8',
	platform: 'android',
	model: 'SM-N950F',
	manufacturer: 'Samsung',
	osVersion: '9',
	serialNumber: 'R58J81ABCDE',
	imei: '356938035643809',
	ownership: 'corporate',
	user: SAMPLE_USER_ALICE,
	groups: ['Field Sales', 'EMEA'],
} satisfies JsonObject;

export const SAMPLE_IPHONE = {
	id: 'a1c9e7d2-33f0-4b8e-8c51-0d6f2b7e4a19',
	name: "Bob's iPhone 14 Pro",
	platform: 'ios',
	model: 'iPhone15,2',
	manufacturer: 'Apple',
	osVersion: '17.5.1',
	serialNumber: 'F2LXK3Q0N72J',
	imei: '353918104527561',
	udid: '00008120-001A24E03C38C01E',
	ownership: 'corporate',
	user: { id: 'usr_8d1e07', name: 'Bob Okafor', email: 'bob.okafor@example.com' },
	groups: ['Executives'],
} satisfies JsonObject;

export const SAMPLE_MAC = {
	id: 'c4d8a0f6-9e21-4c3a-b7d5-61f0e2a8c3b4',
	name: 'MBP-Design-07',
	platform: 'macos',
	model: 'MacBookPro18,3',
	manufacturer: 'Apple',
	osVersion: '14.5',
	serialNumber: 'C02GK1ZXQ05N',
	ownership: 'corporate',
	user: { id: 'usr_5a33b2', name: 'Chen Wei', email: 'chen.wei@example.com' },
	groups: ['Design'],
} satisfies JsonObject;

export const SAMPLE_WINDOWS = {
	id: 'e9b1f4a2-6c07-4f8d-a3e5-2b9c0d7f1a68',
	name: 'LAPTOP-FIN-042',
	platform: 'windows',
	model: 'Surface Laptop 5',
	manufacturer: 'Microsoft',
	osVersion: '10.0.22631',
	serialNumber: '0F3K7L2M9P1Q',
	ownership: 'corporate',
	user: { id: 'usr_91c4f0', name: 'Dana Whitfield', email: 'dana.whitfield@example.com' },
	groups: ['Finance'],
} satisfies JsonObject;

export const SAMPLE_LINUX_GATEWAY = {
	id: '769e5a83-259c-4506-ab05-9c2564f196fd',
	name: 'edge-gateway-berlin-03',
	platform: 'linux',
	model: 'Raspberry Pi 4 Model B',
	manufacturer: 'Raspberry Pi Ltd',
	osVersion: 'Debian 12 (bookworm)',
	serialNumber: '10000000a3f2c9e1',
	macAddress: 'dc:a6:32:4f:1b:7e',
	groups: ['Edge gateways'],
} satisfies JsonObject;

export const SAMPLE_KOBITON_DEVICE = {
	id: 'ce0917198075440c057e',
	name: 'Galaxy Note 8',
	platform: 'android',
	model: 'SM-N950U',
	manufacturer: 'Samsung',
	osVersion: '9',
	serialNumber: 'ce0917198075440c057e',
	udid: 'ce0917198075440c057e',
	groups: ['Private devices'],
} satisfies JsonObject;

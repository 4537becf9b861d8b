import { describe, expect, it } from 'vitest';
import {
	EVENT_CATALOG,
	EVENT_CATEGORIES,
	EVENT_TYPE_NAMES,
	PLATFORMS,
	getEventType,
	isOperationalEventType,
	precompileEventValidators,
	validateEventData,
	type JsonObject,
} from '../../core';

const SPEC_TYPES: Record<string, string[]> = {
	enrollment: [
		'device.enrolled',
		'device.activated',
		'device.unenrolled',
		'device.deleted',
		'device.provisioned',
		'device.decommissioned',
	],
	management: [
		'device.locked',
		'device.unlocked',
		'device.lost',
		'device.found',
		'device.shutdown',
		'device.reboot',
		'device.user_signed_in',
		'device.user_signed_out',
	],
	device_update: ['device.custom_properties_updated', 'device.sim_swap', 'device.status_changed'],
	availability: ['device.online', 'device.offline', 'device.utilizing', 'device.unplugged'],
	compliance: ['compliance.violated', 'compliance.restored'],
	operational: ['webhook.failing', 'webhook.recovered', 'webhook.disabled', 'delivery.exhausted'],
	test: ['webhook.test'],
};

/** Device events carry `data.device`; operational events carry `data.webhook` instead. */
const DEVICE_EVENTS = EVENT_CATALOG.filter((d) => d.category !== 'operational');
const OPERATIONAL = EVENT_CATALOG.filter((d) => d.category === 'operational');

function clone<T>(v: T): T {
	return structuredClone(v);
}

describe('event catalog', () => {
	it('contains every type of the spec in the right category, and nothing unexpected', () => {
		for (const [category, types] of Object.entries(SPEC_TYPES)) {
			for (const type of types) {
				expect(getEventType(type)?.category, type).toBe(category);
			}
		}
		expect([...EVENT_TYPE_NAMES].sort()).toEqual(Object.values(SPEC_TYPES).flat().sort());
		expect(new Set(EVENT_TYPE_NAMES).size).toBe(EVENT_TYPE_NAMES.length);
	});

	it('uses only known categories and has descriptions, titles and emoji', () => {
		for (const def of EVENT_CATALOG) {
			expect(EVENT_CATEGORIES).toContain(def.category);
			expect(def.description.length).toBeGreaterThan(10);
			expect(def.title).toBeTruthy();
			expect(def.emoji).toMatch(/^:[a-z0-9_+-]+:$/);
			expect(def.type).toMatch(/^[a-z0-9_]+(\.[a-z0-9_]+)+$/);
		}
	});

	it('returns undefined for an unknown type', () => {
		expect(getEventType('device.exploded')).toBeUndefined();
	});

	describe.each(EVENT_CATALOG.map((d) => [d.type, d] as const))('%s', (type, def) => {
		it('sample validates against its schema', () => {
			expect(validateEventData(type, def.sample)).toEqual([]);
		});
	});

	describe.each(OPERATIONAL.map((d) => [d.type, d] as const))('%s (operational)', (type, def) => {
		it('is about a webhook, named by id and name, never by its URL', () => {
			expect(isOperationalEventType(type)).toBe(true);
			const noWebhook = clone(def.sample);
			delete noWebhook.webhook;
			expect(validateEventData(type, noWebhook)).toContainEqual({
				path: '/data/webhook',
				message: "must have required property 'webhook'",
			});
			const webhook = def.sample.webhook as JsonObject;
			expect(typeof webhook.id).toBe('string');
			expect(typeof webhook.name).toBe('string');
			expect(JSON.stringify(def.sample)).not.toMatch(/https?:\/\//);
			expect(def.sample.device).toBeUndefined();
		});
	});

	it('device events are not operational', () => {
		for (const def of DEVICE_EVENTS) expect(isOperationalEventType(def.type), def.type).toBe(false);
		expect(isOperationalEventType('device.exploded')).toBe(false);
		const disabled = clone(getEventType('webhook.disabled')!.sample);
		disabled.reason = 'bored';
		expect(validateEventData('webhook.disabled', disabled)).toEqual([
			{ path: '/data/reason', message: 'must be one of: "manual", "gone", "failing"' },
		]);
	});

	describe.each(DEVICE_EVENTS.map((d) => [d.type, d] as const))('%s (device)', (type, def) => {

		it('schema requires device.id', () => {
			const broken = clone(def.sample) as { device: JsonObject };
			delete broken.device.id;
			expect(validateEventData(type, broken)).toContainEqual({
				path: '/data/device/id',
				message: "must have required property 'id'",
			});
		});

		it('schema rejects a bad platform', () => {
			const broken = clone(def.sample) as { device: JsonObject };
			broken.device.platform = 'blackberry';
			const errors = validateEventData(type, broken);
			expect(errors).toHaveLength(1);
			expect(errors[0].path).toBe('/data/device/platform');
			expect(errors[0].message).toContain('must be one of');
			for (const p of PLATFORMS) expect(errors[0].message).toContain(`"${p}"`);
		});

		it('schema requires device and accepts vendor fields at the top level of data', () => {
			const noDevice = clone(def.sample);
			delete noDevice.device;
			expect(validateEventData(type, noDevice)).toContainEqual({
				path: '/data/device',
				message: "must have required property 'device'",
			});
			expect(validateEventData(type, { ...clone(def.sample), vendorExtra: { anything: 1 } })).toEqual([]);
		});

		it('sample looks realistic', () => {
			const device = def.sample.device as JsonObject;
			expect(typeof device.id).toBe('string');
			expect(typeof device.name).toBe('string');
			expect(PLATFORMS).toContain(device.platform);
		});
	});
});

describe('validateEventData', () => {
	it('precompiles every validator', () => {
		expect(precompileEventValidators()).toBe(EVENT_CATALOG.length);
	});

	it('reports an unknown type on /type', () => {
		expect(validateEventData('device.exploded', {})).toEqual([
			{ path: '/type', message: 'unknown event type "device.exploded"' },
		]);
	});

	it('rejects non-objects', () => {
		expect(validateEventData('device.enrolled', 'nope')).toEqual([{ path: '/data', message: 'must be object' }]);
	});

	it('checks type-specific fields', () => {
		const status = clone(getEventType('device.status_changed')!.sample);
		status.status = 'maybe';
		status.previousStatus = 'pending';
		expect(validateEventData('device.status_changed', status)).toEqual([
			{ path: '/data/status', message: 'must be one of: "pending", "accepted", "rejected", "preauthorized", "noauth", "decommissioned"' },
		]);
		delete status.status;
		expect(validateEventData('device.status_changed', status)).toContainEqual({
			path: '/data/status',
			message: "must have required property 'status'",
		});

		const violated = clone(getEventType('compliance.violated')!.sample);
		violated.severity = 'apocalyptic';
		violated.violations = [];
		(violated.policy as JsonObject).name = '';
		const errors = validateEventData('compliance.violated', violated).map((e) => e.path);
		expect(errors).toEqual(expect.arrayContaining(['/data/severity', '/data/violations', '/data/policy/name']));

		const enrolled = clone(getEventType('device.enrolled')!.sample);
		(enrolled.device as JsonObject).user = { id: 'u1', email: 'not-an-email' };
		expect(validateEventData('device.enrolled', enrolled)).toEqual([
			{ path: '/data/device/user/email', message: 'must match format "email"' },
		]);
	});

	it('requires the signed-in user for session events', () => {
		const data = clone(getEventType('device.user_signed_in')!.sample);
		delete data.user;
		expect(validateEventData('device.user_signed_in', data)).toEqual([
			{ path: '/data/user', message: "must have required property 'user'" },
		]);
	});

	it('the catalog is frozen so nobody mutates a sample by accident', () => {
		const def = getEventType('device.enrolled')!;
		expect(Object.isFrozen(def.sample)).toBe(true);
		expect(Object.isFrozen(def.sample.device)).toBe(true);
	});
});

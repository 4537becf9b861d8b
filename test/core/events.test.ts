import { describe, expect, it } from 'vitest';
import {
	ENVELOPE_SCHEMA,
	EVENT_TYPE_NAMES,
	createEnvelope,
	expandEventPattern,
	isValidEventPattern,
	matchesEventPattern,
	newEventId,
	sampleEnvelope,
	validateEnvelope,
	validateEventData,
	formatAjvErrors,
	createAjv,
	getEventType,
} from '../../core';

describe('event patterns', () => {
	it('matches exact types', () => {
		expect(matchesEventPattern('device.enrolled', 'device.enrolled')).toBe(true);
		expect(matchesEventPattern('device.enrolled', 'device.enrolled2')).toBe(false);
		expect(matchesEventPattern('device.enrolled', 'device.unenrolled')).toBe(false);
	});

	it('matches prefix wildcards at any depth, but not the bare prefix', () => {
		expect(matchesEventPattern('device.*', 'device.enrolled')).toBe(true);
		expect(matchesEventPattern('device.*', 'device.a.b.c')).toBe(true);
		expect(matchesEventPattern('device.*', 'device')).toBe(false);
		expect(matchesEventPattern('device.*', 'devices.enrolled')).toBe(false);
		expect(matchesEventPattern('device.*', 'compliance.violated')).toBe(false);
		expect(matchesEventPattern('compliance.*', 'compliance.restored')).toBe(true);
	});

	it('* matches everything', () => {
		for (const t of EVENT_TYPE_NAMES) expect(matchesEventPattern('*', t)).toBe(true);
	});

	it('validates patterns against the catalog', () => {
		expect(isValidEventPattern('device.enrolled')).toBe(true);
		expect(isValidEventPattern('device.*')).toBe(true);
		expect(isValidEventPattern('compliance.*')).toBe(true);
		expect(isValidEventPattern('webhook.*')).toBe(true);
		expect(isValidEventPattern('*')).toBe(true);
		expect(isValidEventPattern('device.exploded')).toBe(false);
		expect(isValidEventPattern('printer.*')).toBe(false);
		expect(isValidEventPattern('device.*.x')).toBe(false);
		expect(isValidEventPattern('dev*')).toBe(false);
		expect(isValidEventPattern('')).toBe(false);
		expect(isValidEventPattern('device.enrolled.*')).toBe(false);
	});

	it('expands patterns', () => {
		expect(expandEventPattern('compliance.*')).toEqual(['compliance.violated', 'compliance.restored']);
		expect(expandEventPattern('*')).toEqual([...EVENT_TYPE_NAMES]);
		expect(expandEventPattern('device.*')).toHaveLength(EVENT_TYPE_NAMES.length - 7);
		expect(expandEventPattern('webhook.*')).toEqual(['webhook.failing', 'webhook.recovered', 'webhook.disabled', 'webhook.test']);
	});
});

describe('envelope', () => {
	it('creates time-sortable, url-safe, unique ids', () => {
		const a = newEventId(1_700_000_000_000);
		const b = newEventId(1_700_000_000_001);
		expect(a).toMatch(/^evt_[0-9A-Z]{26}$/);
		expect(a < b).toBe(true);
		const many = new Set(Array.from({ length: 2000 }, () => newEventId()));
		expect(many.size).toBe(2000);
	});

	it('creates envelopes with defaults and normalised timestamps', () => {
		const data = getEventType('device.enrolled')!.sample;
		const e = createEnvelope({ type: 'device.enrolled', data });
		expect(e.id).toMatch(/^evt_/);
		expect(e.timestamp).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
		expect(Math.abs(Date.parse(e.timestamp) - Date.now())).toBeLessThan(5000);
		expect(Object.keys(e)).toEqual(['id', 'type', 'timestamp', 'data']);

		const given = createEnvelope({
			type: 'device.enrolled',
			data,
			id: 'e57adf60-5d8c-4c66-802a-e0c5f643102a',
			timestamp: '2026-11-22T11:00:00+01:00',
		});
		expect(given.id).toBe('e57adf60-5d8c-4c66-802a-e0c5f643102a');
		expect(given.timestamp).toBe('2026-11-22T10:00:00.000Z');
		expect(() => createEnvelope({ type: 'device.enrolled', data, timestamp: 'soon' })).toThrow(/invalid timestamp/);
	});

	it('sample envelopes are fresh, valid and independent copies', () => {
		for (const type of EVENT_TYPE_NAMES) {
			const e = sampleEnvelope(type);
			expect(validateEnvelope(e)).toEqual([]);
			expect(e.data).toEqual(getEventType(type)!.sample);
		}
		const a = sampleEnvelope('device.enrolled');
		const b = sampleEnvelope('device.enrolled');
		expect(a.id).not.toBe(b.id);
		(a.data.device as { name: string }).name = 'changed';
		expect((b.data.device as { name: string }).name).toBe('Galaxy Note 8');
		expect(() => sampleEnvelope('nope')).toThrow(/unknown event type/);
	});

	it('validates the envelope shape, then the data', () => {
		const e = sampleEnvelope('device.locked');
		expect(validateEnvelope({ ...e, extra: 1 })).toEqual([{ path: '/extra', message: 'unknown field' }]);
		expect(validateEnvelope({ ...e, timestamp: 'later' })).toEqual([
			{ path: '/timestamp', message: 'must match format "date-time"' },
		]);
		expect(validateEnvelope({ ...e, data: { device: {} } })).toEqual([
			{ path: '/data/device/id', message: "must have required property 'id'" },
		]);
		const { id: _id, ...noId } = e;
		expect(validateEnvelope(noId)).toEqual([{ path: '/id', message: "must have required property 'id'" }]);
		expect(ENVELOPE_SCHEMA.required).toEqual(['id', 'type', 'timestamp', 'data']);
	});
});

describe('formatAjvErrors (shared with the server)', () => {
	const ajv = createAjv();
	const validate = ajv.compile({
		type: 'object',
		required: ['name', 'url'],
		properties: {
			name: { type: 'string', minLength: 1, maxLength: 50 },
			url: { type: 'string', format: 'uri' },
			auth: {
				type: 'object',
				required: ['type'],
				properties: { type: { enum: ['none', 'basic', 'bearer'] }, token: { type: 'string' } },
				additionalProperties: false,
			},
		},
		additionalProperties: false,
	});

	it('maps required / additionalProperties / enum / other keywords to JSON Pointers', () => {
		validate({ name: '', extra: true, auth: { type: 'digest', 'we/ird~': 1 } });
		expect(formatAjvErrors(validate.errors, '')).toEqual(
			expect.arrayContaining([
				{ path: '/url', message: "must have required property 'url'" },
				{ path: '/extra', message: 'unknown field' },
				{ path: '/name', message: 'must NOT have fewer than 1 characters' },
				{ path: '/auth/we~1ird~0', message: 'unknown field' },
				{ path: '/auth/type', message: 'must be one of: "none", "basic", "bearer"' },
			]),
		);
		expect(formatAjvErrors(null)).toEqual([]);
	});

	it('prefixes paths', () => {
		validate({ name: 'x' });
		expect(formatAjvErrors(validate.errors, '/body')).toEqual([
			{ path: '/body/url', message: "must have required property 'url'" },
		]);
	});

	it('reports the root as "/" in data validation when the whole value is wrong', () => {
		expect(validateEventData('device.enrolled', null)).toEqual([{ path: '/data', message: 'must be object' }]);
	});
});

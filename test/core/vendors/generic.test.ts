/** A JSONata mapping: the generic vendor, and the override any vendor may set. */
import { describe, expect, it } from 'vitest';
import { mapVendorBody } from '../../../core';
import { KOBITON_SEED_BODY } from '../../helpers/vendorBodies';

describe('JSONata mapping (generic and overrides)', () => {
	const mapping = `{ "type": "device." & state, "id": eventId, "timestamp": at, "data": { "device": { "id": serial, "name": label } } }`;

	it('maps a body to {type, id, timestamp, data}; the id is namespaced by vendor', async () => {
		const result = await mapVendorBody('generic', { state: 'offline', eventId: 'e-77', at: '2026-11-22T10:00:00Z', serial: 'SN1', label: 'Kiosk' }, { mapping });
		expect(result).toEqual({
			ok: true,
			events: [
				{
					id: 'generic_e-77',
					type: 'device.offline',
					timestamp: '2026-11-22T10:00:00.000Z',
					data: { device: { id: 'SN1', name: 'Kiosk' }, source: 'generic' },
				},
			],
		});
	});

	it('a list gives several events; without ids they get stable hashes', async () => {
		const list = `devices.{ "type": "device.locked", "data": { "device": { "id": $ } } }`;
		const body = { devices: ['a', 'b'] };
		const [first, again] = await Promise.all([mapVendorBody('generic', body, { mapping: list }), mapVendorBody('generic', body, { mapping: list })]);
		expect(first.ok && first.events.map((e) => e.data.device.id)).toEqual(['a', 'b']);
		expect(first.ok && again.ok && first.events.map((e) => e.id)).toEqual(again.ok ? again.events.map((e) => e.id) : []);
	});

	it('overrides a vendor mapping', async () => {
		const override = `{ "type": "device.online", "data": { "device": { "id": deviceName } } }`;
		const result = await mapVendorBody('kobiton', JSON.parse(KOBITON_SEED_BODY), { mapping: override });
		expect(result.ok && [result.events[0].type, result.events[0].data.device.id, result.events[0].data.source]).toEqual([
			'device.online',
			'Galaxy Note 8',
			'kobiton',
		]);
	});

	it('names the problem: no mapping for generic, a runtime error, a result without type or data, invalid data', async () => {
		const paths = async (body: unknown, expression?: string) => {
			const result = await mapVendorBody('generic', body, { mapping: expression });
			return result.ok ? [] : result.errors.map((e) => `${e.path}: ${e.message}`);
		};
		expect(await paths({})).toEqual(['/mapping: a generic source needs a JSONata mapping']);
		expect((await paths({}, '$error("nope")'))[0]).toMatch(/^\/mapping: .*nope/);
		expect(await paths({}, 'nothing')).toEqual(['/mapping: the mapping produced no event for this body']);
		expect((await paths({}, '{"data": {}}'))[0]).toMatch(/^\/mapping\/type/);
		expect((await paths({}, '{"type": "device.locked"}'))[0]).toMatch(/^\/mapping\/data/);
		expect((await paths({}, '{"type": "device.locked", "data": {"device": {}}}'))[0]).toMatch(/^\/events\/0\/data\/device\/id/);
		expect((await paths({}, '{"type": "device.melted", "data": {"device": {"id": "x"}}}'))[0]).toMatch(/^\/events\/0\/type/);
		expect((await paths({}, '{"type": "device.locked", "timestamp": "soon", "data": {"device": {"id": "x"}}}'))[0]).toMatch(
			/^\/events\/0\/timestamp/,
		);
	});
});

/** Scalefusion bodies (shape assumed, see docs/vendors.md) → one canonical event per device. */
import { describe, expect, it } from 'vitest';
import { mapVendorBody } from '../../../core';
import { scalefusionLockedBody } from '../../helpers/vendorBodies';

const SEED_EVENTS: [string, string][] = [
	['Device Enrolled', 'device.enrolled'],
	['Device Activated', 'device.activated'],
	['Device Unenrolled', 'device.unenrolled'],
	['Device Deleted', 'device.deleted'],
	['Device Unlocked', 'device.unlocked'],
	['Device Locked', 'device.locked'],
	['Device Lost', 'device.lost'],
	['Device Found', 'device.found'],
	['Device User Signed In', 'device.user_signed_in'],
	['Device User Signed Out', 'device.user_signed_out'],
	['Device Shutdown', 'device.shutdown'],
	['Device Reboot', 'device.reboot'],
	['Device Custom Properties Updated', 'device.custom_properties_updated'],
	['Device Sim Swap', 'device.sim_swap'],
];

describe('Scalefusion mapping', () => {
	it('one event per listed device; known fields mapped; unknown ones under data.vendor', async () => {
		const body = JSON.parse(scalefusionLockedBody('6f1b0c3e-8a51-4c0e-9d2b-3f7a1e5c9b20'));
		const result = await mapVendorBody('scalefusion', body);
		expect(result.ok).toBe(true);
		if (!result.ok) return;
		expect(result.events.map((e) => [e.type, e.data.device.id])).toEqual([
			['device.locked', '112233'],
			['device.locked', '112234'],
		]);
		expect(new Set(result.events.map((e) => e.id)).size).toBe(2);
		expect(result.events[0].id).toMatch(/^scalefusion_/);
		expect(result.events[0].timestamp).toBe('2026-11-22T10:31:02.000Z');
		expect(result.events[0].data).toEqual({
			device: {
				id: '112233',
				name: 'Field Tablet 07',
				platform: 'android',
				model: 'SM-T505',
				manufacturer: 'Samsung',
				osVersion: '13',
				serialNumber: 'R9WN80ABCDE',
				imei: '356938035643809',
				groups: ['Field Sales'],
			},
			occurredAt: '2026-11-22T10:31:02.000Z',
			vendor: { account_id: 40917, device: { battery_level: 81 } },
			source: 'scalefusion',
		});
	});

	it("maps every event of Scalefusion's table, however the name is written", async () => {
		for (const [name, type] of SEED_EVENTS) {
			for (const written of [name, name.toLowerCase().replace(/ /g, '_'), name.toUpperCase().replace(/ /g, '_')]) {
				const result = await mapVendorBody('scalefusion', {
					event: written,
					device: { id: 'dev-1', name: 'Pixel 7', platform: 'android', user_email: 'ana@example.com' },
					custom_properties: { costCenter: 'CC-1' },
					current_sim: { iccid: '8944110068251234567', carrier: 'Vodafone UK' },
				});
				expect(result.ok ? result.events[0].type : result.errors, `${written}`).toBe(type);
			}
		}
	});

	it('reads the device from device, data.device or flat fields; the event id makes the dedupe key', async () => {
		const shapes = [
			{ event_type: 'device_enrolled', id: 'req-1', device: { device_id: 'A1' } },
			{ event_type: 'device_enrolled', id: 'req-1', data: { device: { id: 'A1' } } },
			{ event_type: 'device_enrolled', id: 'req-1', data: { devices: [{ id: 'A1' }] } },
			{ event_type: 'device_enrolled', id: 'req-1', device_id: 'A1', device_name: 'Flat' },
		];
		for (const body of shapes) {
			const result = await mapVendorBody('scalefusion', body);
			expect(result.ok && [result.events[0].id, result.events[0].data.device.id], JSON.stringify(body)).toEqual(['scalefusion_req-1', 'A1']);
		}
		// No id: a stable hash of the body (the same body again dedupes).
		const [a, b] = await Promise.all(
			[0, 1].map(() => mapVendorBody('scalefusion', { event: 'Device Found', device: { id: 'A1' }, timestamp: 1764000000 })),
		);
		expect(a.ok && b.ok && a.events[0].id === b.events[0].id).toBe(true);
		expect(a.ok && a.events[0].timestamp).toBe(new Date(1764000000 * 1000).toISOString());
	});

	it('422 reasons: unknown event, no device id, a sign-in without a user', async () => {
		const errors = async (body: unknown) => {
			const result = await mapVendorBody('scalefusion', body);
			return result.ok ? [] : result.errors;
		};
		expect(await errors({ event: 'Device Exploded', device: { id: 'A1' } })).toEqual([
			{ path: '/event', message: 'unknown Scalefusion event "Device Exploded"' },
		]);
		expect((await errors({ event: 'Device Locked', devices: [{ name: 'no id' }] }))[0].path).toBe('/devices/0');
		expect((await errors({ event: 'Device Locked' }))[0].path).toBe('/devices');
		expect((await errors({ event: 'Device User Signed In', device: { id: 'A1' } }))[0].path).toMatch(/^\/events\/0\/data\/user/);
		expect((await errors('text'))[0].path).toBe('/');
	});
});

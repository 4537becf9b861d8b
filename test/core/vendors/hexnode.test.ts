/** Hexnode alert payloads (shape assumed, see docs/vendors.md) and canonical-shaped bodies. */
import { describe, expect, it } from 'vitest';
import { getEventType, mapVendorBody } from '../../../core';

describe('Hexnode mapping', () => {
	it("maps Hexnode's alert names from the seed (New Device Enrolled, Device Disenrolled, Compliance Violated)", async () => {
		const cases: [string, string][] = [
			['New Device Enrolled', 'device.enrolled'],
			['Device Disenrolled', 'device.unenrolled'],
			['Compliance Violated', 'compliance.violated'],
			['Lost Mode Enabled', 'device.lost'],
		];
		for (const [name, type] of cases) {
			const result = await mapVendorBody('hexnode', { alert_name: name, device: { id: 4211, device_name: 'iPad-Front-Desk', platform: 'iPadOS' } });
			expect(result.ok && [result.events[0].type, result.events[0].data.device], name).toEqual([
				type,
				{ id: '4211', name: 'iPad-Front-Desk', platform: 'ipados' },
			]);
		}
	});

	it('a compliance alert without policy details names the alert as its policy, severity medium', async () => {
		const result = await mapVendorBody('hexnode', {
			event: 'Compliance Violated',
			policy_name: 'iOS Baseline',
			device: { id: 'd-9' },
			reason: 'Passcode not set',
		});
		expect(result.ok && result.events[0].data).toMatchObject({
			policy: { id: 'ios_baseline', name: 'iOS Baseline' },
			severity: 'medium',
			violations: [{ rule: 'iOS Baseline', description: 'Passcode not set' }],
		});
	});

	it('a body that already is a canonical event is taken as it is', async () => {
		const data = structuredClone(getEventType('compliance.violated')?.sample);
		const result = await mapVendorBody('hexnode', { id: 'hx-123', type: 'compliance.violated', timestamp: '2026-11-22T10:47:19Z', data });
		expect(result.ok && result.events).toEqual([
			{ id: 'hexnode_hx-123', type: 'compliance.violated', timestamp: '2026-11-22T10:47:19.000Z', data: { ...data, source: 'hexnode' } },
		]);
		const bad = await mapVendorBody('hexnode', { type: 'compliance.violated', data: { device: { id: 'x' } } });
		expect(!bad.ok && bad.errors.map((e) => e.path)).toContain('/events/0/data/policy');
	});
});

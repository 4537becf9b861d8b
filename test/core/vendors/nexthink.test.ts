/** Nexthink: the template the source hands out, filled by Nexthink, → canonical events. */
import { describe, expect, it } from 'vitest';
import { mapVendorBody, nexthinkTemplate } from '../../../core';

/** What Nexthink sends for the template: its variables replaced by values. */
function filled(template: string, values: Record<string, string>): unknown {
	return JSON.parse(template.replace(/\{\{([^}]+)\}\}/g, (_, name: string) => values[name] ?? ''));
}

describe('Nexthink mapping', () => {
	const values = {
		'alert.monitor.name': 'High CPU on finance laptops',
		'alert.status': 'open',
		'alert.trigger_time': '2026-11-22T11:02:03Z',
		'device.uid': 'b6f1e0a2-7c3d-4e5f-9a1b-2c3d4e5f6a7b',
		'device.name': 'LAPTOP-FIN-042',
		'device.operating_system.platform': 'Windows',
	};

	it('the template, filled in, maps to its type with the device', async () => {
		const template = nexthinkTemplate();
		expect(JSON.parse(template)).toMatchObject({ type: 'compliance.violated', device: { id: '{{device.uid}}' } });
		const result = await mapVendorBody('nexthink', filled(template, values));
		expect(result.ok).toBe(true);
		if (!result.ok) return;
		expect(result.events[0]).toMatchObject({
			type: 'compliance.violated',
			timestamp: '2026-11-22T11:02:03.000Z',
			data: {
				device: { id: values['device.uid'], name: 'LAPTOP-FIN-042', platform: 'windows' },
				policy: { id: 'high_cpu_on_finance_laptops', name: 'High CPU on finance laptops' },
				severity: 'high',
				violations: [{ rule: 'High CPU on finance laptops' }],
				vendor: { monitor: 'High CPU on finance laptops', status: 'open', severity: 'high' },
				source: 'nexthink',
			},
		});
	});

	it('an empty device id falls back to the name; another type from the catalog works too', async () => {
		const result = await mapVendorBody('nexthink', filled(nexthinkTemplate('device.offline'), { ...values, 'device.uid': '' }));
		expect(result.ok && [result.events[0].type, result.events[0].data.device.id]).toEqual(['device.offline', 'LAPTOP-FIN-042']);
	});

	it('"Send test" (variables not replaced) is a webhook.test event', async () => {
		const result = await mapVendorBody('nexthink', JSON.parse(nexthinkTemplate()));
		expect(result.ok && [result.events[0].type, result.events[0].data.test]).toEqual(['webhook.test', true]);
	});

	it('422 reasons: no type, unknown type, no device', async () => {
		const paths = async (body: unknown) => {
			const result = await mapVendorBody('nexthink', body);
			return result.ok ? [] : result.errors.map((e) => e.path);
		};
		expect(await paths({ device: { id: 'x' } })).toEqual(['/type']);
		expect(await paths({ type: 'cpu.hot', device: { id: 'x' } })).toEqual(['/type']);
		expect(await paths({ type: 'device.offline' })).toEqual(['/device']);
		expect(await paths({ type: 'device.offline', device: {} })).toEqual(['/device/id']);
	});
});

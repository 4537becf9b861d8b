/** Kobiton callbacks (the seed's example body) → canonical availability events. */
import { describe, expect, it } from 'vitest';
import { mapVendorBody } from '../../../core';
import { KOBITON_SEED_BODY } from '../../helpers/vendorBodies';

describe('Kobiton mapping', () => {
	it("maps the seed's example to device.utilizing with the UDID as device id", async () => {
		const result = await mapVendorBody('kobiton', JSON.parse(KOBITON_SEED_BODY));
		expect(result.ok).toBe(true);
		if (!result.ok) return;
		expect(result.events).toEqual([
			{
				id: expect.stringMatching(/^kobiton_[0-9a-f]{40}$/),
				type: 'device.utilizing',
				timestamp: '2023-01-06T04:52:36.963Z',
				data: {
					device: { id: 'ce0917198075440c057e', udid: 'ce0917198075440c057e', name: 'Galaxy Note 8' },
					state: 'utilizing',
					activity: 'device.state.utilizing',
					since: '2023-01-06T04:52:36.963Z',
					occurredAt: '2023-01-06T04:52:36.963Z',
					vendor: { eventType: 'DEVICE', eventDescription: 'Utilizing', orgId: '2', webhookId: '129', webhookName: 'Webhook for All events' },
					source: 'kobiton',
				},
			},
		]);
	});

	it('maps the four activities', async () => {
		const types: string[] = [];
		for (const activity of ['device.status.online', 'device.status.offline', 'device.state.utilizing', 'device.state.unplugged']) {
			const result = await mapVendorBody('kobiton', { ...JSON.parse(KOBITON_SEED_BODY), eventActivity: activity });
			if (result.ok) types.push(result.events[0].type);
		}
		expect(types).toEqual(['device.online', 'device.offline', 'device.utilizing', 'device.unplugged']);
	});

	it('derives a stable id from webhookId + deviceUdid + eventActivity + creationTime', async () => {
		const base = JSON.parse(KOBITON_SEED_BODY);
		const id = async (body: unknown) => {
			const result = await mapVendorBody('kobiton', body);
			return result.ok ? result.events[0].id : '';
		};
		const first = await id(base);
		// Same four fields, other description or name: the same event.
		expect(await id({ ...base, eventDescription: 'changed', deviceName: 'renamed' })).toBe(first);
		for (const change of [{ webhookId: 130 }, { deviceUdid: 'other' }, { eventActivity: 'device.status.online' }, { creationTime: '2023-01-06T04:52:37.963Z' }]) {
			expect(await id({ ...base, ...change })).not.toBe(first);
		}
	});

	it('422 reasons: unknown activity, missing UDID', async () => {
		const unknown = await mapVendorBody('kobiton', { ...JSON.parse(KOBITON_SEED_BODY), eventActivity: 'device.status.sleeping' });
		expect(!unknown.ok && unknown.errors).toEqual([{ path: '/eventActivity', message: expect.stringMatching(/unknown Kobiton eventActivity/) }]);
		const { deviceUdid: _gone, ...noUdid } = JSON.parse(KOBITON_SEED_BODY);
		const missing = await mapVendorBody('kobiton', noUdid);
		expect(!missing.ok && missing.errors.map((e) => e.path)).toEqual(['/deviceUdid']);
	});
});

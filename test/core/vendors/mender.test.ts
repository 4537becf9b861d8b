/** Mender bodies as iot-manager's json.Marshal writes them → canonical events. */
import { describe, expect, it } from 'vitest';
import { mapVendorBody, validateEnvelope } from '../../../core';
import { menderEvent, menderWebhookBody } from '../../helpers/mender';

const DEVICE = '769e5a83-259c-4506-ab05-9c2564f196fd';
const parse = (text: string): unknown => JSON.parse(text);

describe('Mender mapping', () => {
	it('device-status-changed → device.status_changed; Mender id is the dedupe key; nano time kept to ms', async () => {
		const event = { ...menderEvent('device-status-changed', { id: DEVICE, status: 'rejected' }), time: '2022-09-13T10:03:47.746805235Z' };
		const result = await mapVendorBody('mender', parse(menderWebhookBody(event)));
		expect(result).toEqual({
			ok: true,
			events: [
				{
					id: `mender_${event.id}`,
					type: 'device.status_changed',
					timestamp: '2022-09-13T10:03:47.746Z',
					data: { device: { id: DEVICE, platform: 'linux' }, status: 'rejected', occurredAt: '2022-09-13T10:03:47.746Z', source: 'mender' },
				},
			],
		});
		if (!result.ok) throw new Error('unmapped');
		const [mapped] = result.events;
		expect(validateEnvelope({ ...mapped, timestamp: mapped.timestamp })).toEqual([]);
	});

	it('fills previousStatus from the last status seen for the device, or leaves it out', async () => {
		const body = parse(menderWebhookBody(menderEvent('device-status-changed', { id: DEVICE, status: 'accepted' })));
		const seen = await mapVendorBody('mender', body, { context: { lastStatus: (id) => (id === DEVICE ? 'pending' : undefined) } });
		expect(seen.ok && seen.events[0].data).toMatchObject({ status: 'accepted', previousStatus: 'pending' });
		const unseen = await mapVendorBody('mender', body, { context: { lastStatus: () => undefined } });
		expect(unseen.ok && unseen.events[0].data.previousStatus).toBeUndefined();
		const garbage = await mapVendorBody('mender', body, { context: { lastStatus: () => 'weird' } });
		expect(garbage.ok && garbage.events[0].data.previousStatus).toBeUndefined();
	});

	it('device-provisioned → device.provisioned with the whole device and its auth sets', async () => {
		const event = menderEvent('device-provisioned', {
			id: DEVICE,
			status: 'accepted',
			auth_sets: [
				{
					id: '5f0c7a92-1d3e-4c6b-9a8f-2e7d1b4c6a03',
					device_id: DEVICE,
					identity_data: { mac: 'dc:a6:32:4f:1b:7e', sku: 'rpi4-gw<&>' },
					pubkey: '-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAq3x1Ue0VZ7c8l5mF1y4b0Q7d2sK9pPZ1m9yNQkLr0ho=\n-----END PUBLIC KEY-----\n',
					status: 'accepted',
					ts: '2026-11-22T09:41:07.123456789Z',
				},
			],
			created_ts: '2026-11-22T09:41:07.5Z',
		});
		const text = menderWebhookBody(event);
		expect(text).toContain('rpi4-gw\\u003c\\u0026\\u003e'); // Go's HTML-safe escaping, parsed back as <&>
		const result = await mapVendorBody('mender', parse(text));
		expect(result.ok).toBe(true);
		if (!result.ok) return;
		expect(result.events[0].type).toBe('device.provisioned');
		expect(result.events[0].data).toEqual({
			device: { id: DEVICE, platform: 'linux' },
			status: 'accepted',
			authSets: [
				{
					id: '5f0c7a92-1d3e-4c6b-9a8f-2e7d1b4c6a03',
					identityData: { mac: 'dc:a6:32:4f:1b:7e', sku: 'rpi4-gw<&>' },
					pubkey: event.data.auth_sets?.[0].pubkey,
					status: 'accepted',
					createdAt: '2026-11-22T09:41:07.123Z',
				},
			],
			createdAt: '2026-11-22T09:41:07.500Z',
			occurredAt: expect.any(String),
			source: 'mender',
		});
	});

	it('device-decommissioned → device.decommissioned with only the device id', async () => {
		const event = menderEvent('device-decommissioned', { id: DEVICE });
		const result = await mapVendorBody('mender', parse(menderWebhookBody(event)));
		expect(result.ok && result.events.map((e) => [e.id, e.type, e.data.device])).toEqual([
			[`mender_${event.id}`, 'device.decommissioned', { id: DEVICE, platform: 'linux' }],
		]);
	});

	it('names what does not map: unknown type, missing device id, bad status, bad time, not an object', async () => {
		const errors = async (body: unknown) => {
			const result = await mapVendorBody('mender', body);
			return result.ok ? [] : result.errors.map((e) => e.path);
		};
		expect(await errors({ id: 'e1', type: 'device-exploded', data: { id: DEVICE }, time: '2022-09-13T10:03:47Z' })).toEqual(['/type']);
		expect(await errors({ id: 'e1', type: 'device-decommissioned', data: {}, time: '2022-09-13T10:03:47Z' })).toEqual(['/data/id']);
		expect(await errors({ type: 'device-decommissioned', data: { id: DEVICE } })).toEqual(['/id']);
		expect(await errors({ id: 'e1', type: 'device-status-changed', data: { id: DEVICE, status: 'sleepy' } })).toEqual(['/data/status']);
		expect(await errors({ id: 'e1', type: 'device-decommissioned', data: { id: DEVICE }, time: 'yesterday' })).toEqual(['/time']);
		expect(await errors([1, 2])).toEqual(['/']);
		expect(await errors(null)).toEqual(['/']);
		const result = await mapVendorBody('mender', { id: 'e1', type: 'device-exploded', data: { id: DEVICE } });
		expect(!result.ok && result.errors[0].message).toMatch(/unknown Mender event type "device-exploded"/);
	});

	it('an id that is not a safe event id is hashed, stably', async () => {
		const body = { id: 'not a uuid / with spaces', type: 'device-decommissioned', data: { id: DEVICE } };
		const [a, b] = await Promise.all([mapVendorBody('mender', body), mapVendorBody('mender', structuredClone(body))]);
		expect(a.ok && a.events[0].id).toMatch(/^mender_[0-9a-f]{40}$/);
		expect(a.ok && b.ok && a.events[0].id === b.events[0].id).toBe(true);
	});
});

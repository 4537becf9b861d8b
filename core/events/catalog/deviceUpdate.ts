/** Device update events: custom properties, SIM swaps and authentication status changes. */
import {
	type CatalogEntry,
	SAMPLE_ADMIN,
	SAMPLE_ANDROID,
	SAMPLE_LINUX_GATEWAY,
	SAMPLE_WINDOWS,
	eventDataSchema,
	initiatedBySchema,
	nonEmptyStr,
	str,
} from './shared';

/** Mender device authentication statuses (iot-manager `model.Status`, `decommissioned` included). */
export const AUTH_STATUSES = ['pending', 'accepted', 'rejected', 'preauthorized', 'noauth', 'decommissioned'] as const;

const propertyValue = {
	type: ['string', 'number', 'boolean', 'null'],
	maxLength: 2048,
};

const simSchema = {
	type: 'object',
	properties: {
		iccid: { type: 'string', pattern: '^[0-9]{18,22}F?$' },
		imsi: { type: 'string', pattern: '^[0-9]{6,15}$' },
		carrier: str(),
		phoneNumber: { type: 'string', pattern: '^\\+?[0-9 ().-]{3,32}$' },
		slot: { type: 'integer', minimum: 0, maximum: 8 },
	},
	additionalProperties: true,
};

export const DEVICE_UPDATE_EVENTS: readonly CatalogEntry[] = [
	{
		type: 'device.custom_properties_updated',
		category: 'device_update',
		title: 'Custom properties updated',
		emoji: ':label:',
		description: "A device's custom properties (asset tag, cost center, …) changed.",
		schema: eventDataSchema({
			required: ['customProperties'],
			properties: {
				customProperties: {
					type: 'object',
					maxProperties: 200,
					additionalProperties: propertyValue,
				},
				changes: {
					type: 'array',
					maxItems: 200,
					items: {
						type: 'object',
						required: ['name'],
						properties: {
							name: nonEmptyStr(),
							previousValue: propertyValue,
							value: propertyValue,
						},
						additionalProperties: true,
					},
				},
				initiatedBy: initiatedBySchema,
			},
		}),
		sample: {
			device: SAMPLE_WINDOWS,
			customProperties: {
				assetTag: 'FIN-2024-0042',
				costCenter: 'CC-4410',
				location: 'London HQ, floor 3',
			},
			changes: [
				{ name: 'location', previousValue: 'Paris office', value: 'London HQ, floor 3' },
				{ name: 'costCenter', previousValue: null, value: 'CC-4410' },
			],
			initiatedBy: SAMPLE_ADMIN,
			occurredAt: '2026-11-22T12:44:20.000Z',
			source: 'scalefusion',
		},
	},
	{
		type: 'device.sim_swap',
		category: 'device_update',
		title: 'SIM card swapped',
		emoji: ':signal_strength:',
		description: 'The SIM card in a device changed.',
		schema: eventDataSchema({
			required: ['currentSim'],
			properties: {
				previousSim: simSchema,
				currentSim: simSchema,
			},
		}),
		sample: {
			device: SAMPLE_ANDROID,
			previousSim: {
				iccid: '8933150319020000123',
				carrier: 'Orange F',
				phoneNumber: '+33 6 12 34 56 78',
				slot: 0,
			},
			currentSim: {
				iccid: '8944110068251234567',
				carrier: 'Vodafone UK',
				phoneNumber: '+44 7700 900123',
				slot: 0,
			},
			occurredAt: '2026-11-22T14:09:36.000Z',
			source: 'scalefusion',
		},
	},
	{
		type: 'device.status_changed',
		category: 'device_update',
		title: 'Device authentication status changed',
		emoji: ':key:',
		description:
			'The authentication status of a device changed (pending, accepted, rejected, preauthorized, noauth, decommissioned), as Mender device-status-changed.',
		schema: eventDataSchema({
			required: ['status'],
			properties: {
				status: { type: 'string', enum: [...AUTH_STATUSES] },
				previousStatus: { type: 'string', enum: [...AUTH_STATUSES] },
				initiatedBy: initiatedBySchema,
			},
		}),
		sample: {
			device: { id: SAMPLE_LINUX_GATEWAY.id, name: SAMPLE_LINUX_GATEWAY.name, platform: 'linux' },
			status: 'accepted',
			previousStatus: 'pending',
			initiatedBy: SAMPLE_ADMIN,
			occurredAt: '2022-09-13T10:03:47.746Z',
			source: 'mender',
		},
	},
];

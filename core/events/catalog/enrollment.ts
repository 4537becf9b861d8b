/** Enrollment events: a device joins, is activated, leaves or is removed from management. */
import {
	type CatalogEntry,
	SAMPLE_ADMIN,
	SAMPLE_ANDROID,
	SAMPLE_LINUX_GATEWAY,
	SAMPLE_MAC,
	SAMPLE_WINDOWS,
	dateTime,
	eventDataSchema,
	identifiedPersonSchema,
	initiatedBySchema,
	longText,
	nonEmptyStr,
	str,
} from './shared';

const ENROLLMENT_METHODS = [
	'qr_code',
	'email_invite',
	'zero_touch',
	'knox_mobile_enrollment',
	'apple_business_manager',
	'autopilot',
	'user_initiated',
	'api',
	'other',
];

/** Mender-style authentication set (identity data + public key) of a provisioned device. */
const authSetSchema = {
	type: 'object',
	required: ['id'],
	properties: {
		id: nonEmptyStr(),
		identityData: { type: 'object', additionalProperties: true },
		pubkey: str(8192),
		status: { type: 'string', enum: ['pending', 'accepted', 'rejected', 'preauthorized', 'noauth'] },
		createdAt: dateTime,
	},
	additionalProperties: true,
};

export const ENROLLMENT_EVENTS: readonly CatalogEntry[] = [
	{
		type: 'device.enrolled',
		category: 'enrollment',
		title: 'Device enrolled',
		emoji: ':iphone:',
		description: 'A device completed enrollment and is now managed.',
		schema: eventDataSchema({
			properties: {
				enrollment: {
					type: 'object',
					properties: {
						method: { type: 'string', enum: ENROLLMENT_METHODS },
						enrolledAt: dateTime,
						enrolledBy: identifiedPersonSchema,
						profile: str(),
					},
					additionalProperties: true,
				},
			},
		}),
		sample: {
			device: { ...SAMPLE_ANDROID, enrolledAt: '2026-11-22T09:58:41.000Z' },
			enrollment: {
				method: 'qr_code',
				enrolledAt: '2026-11-22T09:58:41.000Z',
				enrolledBy: SAMPLE_ANDROID.user,
				profile: 'Android Enterprise - Work Profile',
			},
			occurredAt: '2026-11-22T09:58:41.000Z',
			source: 'hexnode',
		},
	},
	{
		type: 'device.activated',
		category: 'enrollment',
		title: 'Device activated',
		emoji: ':white_check_mark:',
		description: 'An enrolled device was activated (its license or kiosk profile is now in effect).',
		schema: eventDataSchema({
			properties: {
				activatedAt: dateTime,
				license: str(),
				profile: str(),
			},
		}),
		sample: {
			device: SAMPLE_ANDROID,
			activatedAt: '2026-11-22T10:02:13.000Z',
			license: 'Enterprise 2023',
			profile: 'Field Sales Kiosk',
			occurredAt: '2026-11-22T10:02:13.000Z',
			source: 'scalefusion',
		},
	},
	{
		type: 'device.unenrolled',
		category: 'enrollment',
		title: 'Device unenrolled',
		emoji: ':outbox_tray:',
		description: 'A device left management (unenrolled by an admin or by its user).',
		schema: eventDataSchema({
			properties: {
				reason: longText,
				initiatedBy: initiatedBySchema,
				initiator: { type: 'string', enum: ['admin', 'user', 'system'] },
				wiped: { type: 'boolean' },
			},
		}),
		sample: {
			device: SAMPLE_MAC,
			reason: 'Employee left the company',
			initiator: 'admin',
			initiatedBy: SAMPLE_ADMIN,
			wiped: false,
			occurredAt: '2026-11-22T10:15:00.000Z',
			source: 'scalefusion',
		},
	},
	{
		type: 'device.deleted',
		category: 'enrollment',
		title: 'Device deleted',
		emoji: ':wastebasket:',
		description: 'A device record was deleted from the MDM console.',
		schema: eventDataSchema({
			properties: {
				reason: longText,
				initiatedBy: initiatedBySchema,
				deletedAt: dateTime,
			},
		}),
		sample: {
			device: SAMPLE_WINDOWS,
			reason: 'Hardware retired',
			initiatedBy: SAMPLE_ADMIN,
			deletedAt: '2026-11-22T10:20:31.000Z',
			occurredAt: '2026-11-22T10:20:31.000Z',
			source: 'hexnode',
		},
	},
	{
		type: 'device.provisioned',
		category: 'enrollment',
		title: 'Device provisioned',
		emoji: ':package:',
		description: 'A device was provisioned with an accepted authentication set (Mender device-provisioned).',
		schema: eventDataSchema({
			properties: {
				status: { type: 'string', enum: ['accepted', 'preauthorized'] },
				authSets: { type: 'array', maxItems: 100, items: authSetSchema },
				createdAt: dateTime,
			},
		}),
		sample: {
			device: SAMPLE_LINUX_GATEWAY,
			status: 'accepted',
			authSets: [
				{
					id: '5f0c7a92-1d3e-4c6b-9a8f-2e7d1b4c6a03',
					identityData: { mac: 'dc:a6:32:4f:1b:7e', sku: 'rpi4-gw' },
					pubkey:
						'-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAq3x1Ue0VZ7c8l5mF1y4b0Q7d2sK9pPZ1m9yNQkLr0ho=\n-----END PUBLIC KEY-----\n',
					status: 'accepted',
					createdAt: '2026-11-22T09:41:07.000Z',
				},
			],
			createdAt: '2026-11-22T09:41:07.000Z',
			occurredAt: '2026-11-22T09:44:52.000Z',
			source: 'mender',
		},
	},
	{
		type: 'device.decommissioned',
		category: 'enrollment',
		title: 'Device decommissioned',
		emoji: ':no_entry:',
		description: 'A device was decommissioned: its data and credentials were removed (Mender device-decommissioned).',
		schema: eventDataSchema({
			properties: {
				reason: longText,
				initiatedBy: initiatedBySchema,
			},
		}),
		sample: {
			device: { id: SAMPLE_LINUX_GATEWAY.id, name: SAMPLE_LINUX_GATEWAY.name, platform: 'linux' },
			reason: 'Gateway replaced after hardware fault',
			initiatedBy: SAMPLE_ADMIN,
			occurredAt: '2026-11-22T11:05:09.000Z',
			source: 'mender',
		},
	},
];

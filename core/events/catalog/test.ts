/** `webhook.test`: the dummy payload that "send test" and "validate & save" deliver. */
import { type CatalogEntry, eventDataSchema, longText } from './shared';

export const TEST_EVENTS: readonly CatalogEntry[] = [
	{
		type: 'webhook.test',
		category: 'test',
		title: 'Test webhook',
		emoji: ':test_tube:',
		description: 'A test payload sent to check that a webhook endpoint is reachable and accepts our requests.',
		schema: eventDataSchema({
			properties: {
				test: { type: 'boolean', const: true },
				message: longText,
			},
		}),
		sample: {
			test: true,
			message: 'This is a test event from n8n-nodes-mdm-webhooks. If you can read this, your webhook works.',
			device: {
				id: 'test-device-0001',
				name: 'Galaxy Note 8',
				platform: 'android',
				model: 'SM-N950F',
				manufacturer: 'Samsung',
				osVersion: '9',
				serialNumber: 'R58J81TEST01',
				user: { id: 'usr_test', name: 'Test User', email: 'test.user@example.com' },
			},
			source: 'n8n-nodes-mdm-webhooks',
		},
	},
];

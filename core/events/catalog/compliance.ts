/** Compliance events: a device breaks or returns to compliance with a policy. */
import {
	type CatalogEntry,
	SAMPLE_ANDROID,
	SAMPLE_IPHONE,
	eventDataSchema,
	longText,
	nonEmptyStr,
	str,
} from './shared';

export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;

const policySchema = {
	type: 'object',
	required: ['id', 'name'],
	properties: {
		id: nonEmptyStr(),
		name: nonEmptyStr(),
		version: { type: ['string', 'integer'], maxLength: 64 },
	},
	additionalProperties: true,
};

const violationSchema = {
	type: 'object',
	required: ['rule'],
	properties: {
		rule: nonEmptyStr(),
		description: longText,
		expected: { type: ['string', 'number', 'boolean', 'null'], maxLength: 512 },
		actual: { type: ['string', 'number', 'boolean', 'null'], maxLength: 512 },
		severity: { type: 'string', enum: [...SEVERITIES] },
	},
	additionalProperties: true,
};

const ACTIONS = ['none', 'notify', 'lock', 'restrict_network', 'wipe', 'unenroll', 'other'];

export const COMPLIANCE_EVENTS: readonly CatalogEntry[] = [
	{
		type: 'compliance.violated',
		category: 'compliance',
		title: 'Compliance violated',
		emoji: ':rotating_light:',
		description: 'A device violates a compliance policy.',
		schema: eventDataSchema({
			required: ['policy', 'severity', 'violations'],
			properties: {
				policy: policySchema,
				severity: { type: 'string', enum: [...SEVERITIES] },
				violations: { type: 'array', minItems: 1, maxItems: 200, items: violationSchema },
				actionsTaken: { type: 'array', maxItems: 20, items: { type: 'string', enum: ACTIONS } },
				gracePeriodHours: { type: 'integer', minimum: 0 },
			},
		}),
		sample: {
			device: SAMPLE_ANDROID,
			policy: { id: 'pol_android_baseline', name: 'Android Corporate Baseline', version: 7 },
			severity: 'high',
			violations: [
				{
					rule: 'os_version_minimum',
					description: 'Android version is below the minimum allowed',
					expected: '>= 12',
					actual: '9',
					severity: 'high',
				},
				{
					rule: 'device_encryption',
					description: 'Storage encryption is disabled',
					expected: true,
					actual: false,
					severity: 'critical',
				},
			],
			actionsTaken: ['notify', 'restrict_network'],
			gracePeriodHours: 24,
			occurredAt: '2026-11-22T10:47:19.000Z',
			source: 'hexnode',
		},
	},
	{
		type: 'compliance.restored',
		category: 'compliance',
		title: 'Compliance restored',
		emoji: ':white_check_mark:',
		description: 'A device that violated a compliance policy is compliant again.',
		schema: eventDataSchema({
			required: ['policy'],
			properties: {
				policy: policySchema,
				severity: { type: 'string', enum: [...SEVERITIES] },
				reasons: { type: 'array', maxItems: 200, items: str(2048) },
				resolvedViolations: { type: 'array', maxItems: 200, items: violationSchema },
				violatedSince: { type: 'string', format: 'date-time' },
			},
		}),
		sample: {
			device: SAMPLE_IPHONE,
			policy: { id: 'pol_ios_baseline', name: 'iOS Corporate Baseline', version: 4 },
			severity: 'medium',
			reasons: ['Passcode set by the user', 'iOS updated to 17.5.1'],
			resolvedViolations: [
				{ rule: 'passcode_required', description: 'A device passcode is required', severity: 'medium' },
				{ rule: 'os_version_minimum', expected: '>= 17.4', actual: '17.5.1' },
			],
			violatedSince: '2026-11-21T16:02:00.000Z',
			occurredAt: '2026-11-22T09:05:44.000Z',
			source: 'hexnode',
		},
	},
];

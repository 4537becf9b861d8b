/** Availability events: device status transitions as Kobiton reports them for device labs. */
import { type CatalogEntry, SAMPLE_KOBITON_DEVICE, dateTime, eventDataSchema, str } from './shared';
import type { JsonObject } from '../../types';

export const AVAILABILITY_STATES = ['online', 'offline', 'utilizing', 'unplugged', 'unknown'] as const;

function availabilitySchema(state: string) {
	return eventDataSchema({
		properties: {
			state: { type: 'string', const: state },
			previousState: { type: 'string', enum: [...AVAILABILITY_STATES] },
			since: dateTime,
			/** The vendor's own activity name, e.g. Kobiton `device.status.online`. */
			activity: str(128),
			lastSeenAt: dateTime,
		},
	});
}

function sample(state: string, previousState: string, activity: string, at: string, extra: JsonObject = {}): JsonObject {
	return {
		device: SAMPLE_KOBITON_DEVICE,
		state,
		previousState,
		activity,
		since: at,
		...extra,
		occurredAt: at,
		source: 'kobiton',
	};
}

export const AVAILABILITY_EVENTS: readonly CatalogEntry[] = [
	{
		type: 'device.online',
		category: 'availability',
		title: 'Device online',
		emoji: ':large_green_circle:',
		description: 'A device came online (from any status except utilizing).',
		schema: availabilitySchema('online'),
		sample: sample('online', 'offline', 'device.status.online', '2026-11-22T07:30:12.000Z'),
	},
	{
		type: 'device.offline',
		category: 'availability',
		title: 'Device offline',
		emoji: ':red_circle:',
		description: 'A device went offline.',
		schema: availabilitySchema('offline'),
		sample: sample('offline', 'online', 'device.status.offline', '2026-11-22T19:45:03.000Z', {
			lastSeenAt: '2026-11-22T19:44:58.000Z',
		}),
	},
	{
		type: 'device.utilizing',
		category: 'availability',
		title: 'Device in use',
		emoji: ':large_blue_circle:',
		description: 'A device started being used (a test session or a user took it).',
		schema: availabilitySchema('utilizing'),
		sample: sample('utilizing', 'online', 'device.state.utilizing', '2023-01-06T04:52:36.963Z'),
	},
	{
		type: 'device.unplugged',
		category: 'availability',
		title: 'Device unplugged',
		emoji: ':electric_plug:',
		description: 'A device was unplugged from its host.',
		schema: availabilitySchema('unplugged'),
		sample: sample('unplugged', 'online', 'device.state.unplugged', '2026-11-22T16:11:27.000Z'),
	},
];

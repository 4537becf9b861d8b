/** JSON Schema of an event posted to `POST /v1/events`. */
import { EVENT_ID_PATTERN } from '../../../core';
import type { JsonSchema } from '../../../core/types';
import type { EventInput } from '../../domain/inputs';

export const eventIngestSchema: JsonSchema = {
	type: 'object',
	additionalProperties: false,
	required: ['type', 'data'],
	properties: {
		type: {
			type: 'string',
			minLength: 1,
			maxLength: 100,
			description: 'A type from `GET /v1/event-types` (operational types are emitted by the dispatcher only).',
		},
		data: { type: 'object', additionalProperties: true, description: 'Validated against the type\'s JSON Schema; device events always need `device.id`.' },
		id: {
			type: 'string',
			pattern: EVENT_ID_PATTERN,
			description: 'Idempotency key: a repeated id is not delivered twice. Generated (`evt_…`) when absent.',
		},
		timestamp: { type: 'string', format: 'date-time', description: 'When it happened; defaults to now.' },
	},
};

export type EventIngestBody = EventInput;

/**
 * The event catalog: every event type the dispatcher accepts and the node pack offers, with its
 * category, a human title, a JSON Schema of `data` and a realistic sample. One file per category
 * under `./catalog/`.
 */
import type { EventCategory, EventTypeDefinition } from '../types';
import { AVAILABILITY_EVENTS } from './catalog/availability';
import { COMPLIANCE_EVENTS } from './catalog/compliance';
import { DEVICE_UPDATE_EVENTS } from './catalog/deviceUpdate';
import { ENROLLMENT_EVENTS } from './catalog/enrollment';
import { MANAGEMENT_EVENTS } from './catalog/management';
import { OPERATIONAL_EVENTS } from './catalog/operational';
import { TEST_EVENTS } from './catalog/test';

export { deviceSchema, eventDataSchema } from './catalog/shared';
export { AUTH_STATUSES } from './catalog/deviceUpdate';
export { AVAILABILITY_STATES } from './catalog/availability';
export { SEVERITIES } from './catalog/compliance';
export { DISABLE_REASONS, FAILURE_CLASSES } from './catalog/operational';

function deepFreeze<T>(value: T): T {
	if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
		Object.freeze(value);
		for (const child of Object.values(value)) deepFreeze(child);
	}
	return value;
}

/** Every event type, grouped by category in catalog order. Deeply frozen: copy before changing. */
export const EVENT_CATALOG: readonly EventTypeDefinition[] = deepFreeze([
	...ENROLLMENT_EVENTS,
	...MANAGEMENT_EVENTS,
	...DEVICE_UPDATE_EVENTS,
	...AVAILABILITY_EVENTS,
	...COMPLIANCE_EVENTS,
	...OPERATIONAL_EVENTS,
	...TEST_EVENTS,
]);

const BY_TYPE: ReadonlyMap<string, EventTypeDefinition> = new Map(EVENT_CATALOG.map((d) => [d.type, d]));

/** All event type names in catalog order. */
export const EVENT_TYPE_NAMES: readonly string[] = Object.freeze(EVENT_CATALOG.map((d) => d.type));

export function getEventType(type: string): EventTypeDefinition | undefined {
	return BY_TYPE.get(type);
}

export function isKnownEventType(type: string): boolean {
	return BY_TYPE.has(type);
}

/** Catalog entries of one category. */
export function eventTypesByCategory(category: EventCategory): EventTypeDefinition[] {
	return EVENT_CATALOG.filter((d) => d.category === category);
}

/**
 * Whether `type` is one of the dispatcher's own operational events (`webhook.failing`, …): emitted
 * by the dispatcher, never accepted from outside.
 */
export function isOperationalEventType(type: string): boolean {
	return BY_TYPE.get(type)?.category === 'operational';
}

/** Human title of a type (`Device enrolled`), falling back to the type itself. */
export function eventTitle(type: string): string {
	return BY_TYPE.get(type)?.title ?? type;
}

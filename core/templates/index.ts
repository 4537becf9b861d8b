/** Payload templates by name. */
import type { EventEnvelope, JsonValue, TemplateName } from '../types';
import { renderCustom } from './custom';
import { renderSlack } from './slack';
import { renderTeams } from './teams';

export { renderCustom } from './custom';
export { renderSlack, escapeSlack } from './slack';
export { renderTeams, ADAPTIVE_CARD_CONTENT_TYPE } from './teams';
export { eventView, formatTime, type EventView, type Fact } from './facts';

export const TEMPLATE_NAMES: readonly TemplateName[] = ['slack', 'teams', 'custom'];

/** The body a template builds for an event. Throws on an unknown template name. */
export function renderTemplate(name: TemplateName, envelope: EventEnvelope): JsonValue {
	switch (name) {
		case 'custom':
			return renderCustom(envelope);
		case 'slack':
			return renderSlack(envelope);
		case 'teams':
			return renderTeams(envelope);
		default:
			throw new Error(`unknown template "${String(name)}"`);
	}
}

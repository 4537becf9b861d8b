/**
 * The `teams` template: a message with exactly one Adaptive Card attachment (v1.4), the only
 * shape Teams Workflows ("Post to a channel when a webhook request is received") accept.
 */
import type { EventEnvelope, JsonObject } from '../types';
import { eventView, type EventView } from './facts';

export const ADAPTIVE_CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';

const COLORS: Record<EventView['tone'], string> = {
	good: 'Good',
	warning: 'Warning',
	attention: 'Attention',
	default: 'Default',
};

export function renderTeams(envelope: EventEnvelope): JsonObject {
	const view = eventView(envelope);
	const body: JsonObject[] = [
		{
			type: 'TextBlock',
			text: `${view.emojiChar} ${view.title}`,
			size: 'Large',
			weight: 'Bolder',
			style: 'heading',
			color: COLORS[view.tone],
			wrap: true,
		},
		{ type: 'TextBlock', text: view.summary, wrap: true, spacing: 'None', isSubtle: true },
	];
	if (view.facts.length) {
		body.push({ type: 'FactSet', facts: view.facts.map((f) => ({ title: f.label, value: f.value })) });
	}
	if (view.details.length) {
		body.push({ type: 'TextBlock', text: view.details.map((d) => `- ${d}`).join('\n'), wrap: true });
	}
	body.push({
		type: 'TextBlock',
		text: `Event ${view.eventId} · ${view.type}`,
		size: 'Small',
		isSubtle: true,
		wrap: true,
	});

	return {
		type: 'message',
		attachments: [
			{
				contentType: ADAPTIVE_CARD_CONTENT_TYPE,
				contentUrl: null,
				content: {
					$schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
					type: 'AdaptiveCard',
					version: '1.4',
					body,
					msteams: { width: 'Full' },
				},
			},
		],
	};
}

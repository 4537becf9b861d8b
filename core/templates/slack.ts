/**
 * The `slack` template: a Block Kit message `{ text, blocks }` for Slack incoming webhooks.
 * `text` is always set (notifications and clients without blocks use it). User-controlled text
 * is escaped for mrkdwn (`&`, `<`, `>`), and Block Kit length limits are respected.
 */
import type { EventEnvelope, JsonObject } from '../types';
import { eventView } from './facts';

/** Escapes text for Slack mrkdwn / the `text` field: `&`, `<`, `>`. */
export function escapeSlack(value: string): string {
	return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function clip(value: string, max: number): string {
	return value.length > max ? `${value.slice(0, max - 1)}…` : value;
}

const MAX_HEADER = 150;
const MAX_SECTION = 3000;
const MAX_FIELD = 2000;
const MAX_FIELDS = 10;

export function renderSlack(envelope: EventEnvelope): JsonObject {
	const view = eventView(envelope);
	const fallback = clip(`${view.emoji} ${escapeSlack(view.summary)}`, MAX_SECTION);

	const blocks: JsonObject[] = [
		{
			type: 'header',
			text: { type: 'plain_text', text: clip(`${view.emoji} ${view.title}`, MAX_HEADER), emoji: true },
		},
		{
			type: 'section',
			text: {
				type: 'mrkdwn',
				text: clip(
					`*${escapeSlack(view.subject)}*${view.description ? `\n${escapeSlack(view.description)}` : ''}`,
					MAX_SECTION,
				),
			},
		},
	];

	// At most 10 fields; the time (always the last fact) is kept.
	const facts =
		view.facts.length > MAX_FIELDS ? [...view.facts.slice(0, MAX_FIELDS - 1), view.facts[view.facts.length - 1]] : view.facts;
	const fields = facts.map((f) => ({
		type: 'mrkdwn',
		text: clip(`*${escapeSlack(f.label)}*\n${escapeSlack(f.value)}`, MAX_FIELD),
	}));
	if (fields.length) blocks.push({ type: 'section', fields });

	if (view.details.length) {
		blocks.push({
			type: 'section',
			text: { type: 'mrkdwn', text: clip(view.details.map((d) => `• ${escapeSlack(d)}`).join('\n'), MAX_SECTION) },
		});
	}

	blocks.push({
		type: 'context',
		elements: [
			{
				type: 'mrkdwn',
				text: clip(`Event \`${escapeSlack(view.eventId)}\` · \`${escapeSlack(view.type)}\``, MAX_SECTION),
			},
		],
	});

	return { text: fallback, blocks };
}

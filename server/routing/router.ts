/**
 * Which deliveries an event makes: one per (webhook, profile-or-direct). Direct subscriptions
 * and enabled profiles whose events match and whose JSONata condition holds. A webhook an admin
 * paused (`enabled: false`) still gets its deliveries: they wait until it is enabled again. One
 * the dispatcher disabled (410 Gone, five days of failures) gets none: its endpoint is gone, and
 * queueing for it without bound would only grow the store.
 *
 * An operational event (`webhook.failing`, …) routes the same way, except never to the webhook it
 * is about (`data.webhook.id`): that one is failing, disabled or gone, and the news is for others.
 *
 * Conditions run in the JSONata pool's threads (`mapping/jsonataPool.ts`), concurrently, each
 * under a hard deadline: a condition that fails, overruns or exhausts its memory counts as false,
 * the profile is skipped for this event and the reason is logged.
 */
import { isOperationalEventType, matchesAnyEventPattern } from '../../core';
import type { EventEnvelope } from '../../core/types';
import type { JsonataPool } from '../mapping/jsonataPool';
import type { ProfileRecord, WebhookRecord } from '../domain/records';

export interface RouteTarget {
	webhookId: string;
	profileId: string | null;
}

export async function routeEvent(
	envelope: EventEnvelope,
	webhooks: readonly WebhookRecord[],
	profiles: readonly ProfileRecord[],
	jsonata: JsonataPool,
): Promise<RouteTarget[]> {
	const targets: RouteTarget[] = [];
	const about = subjectWebhookId(envelope);
	const routable = webhooks.filter(
		(webhook) => (webhook.enabled || webhook.disabledReason === 'manual') && webhook.id !== about,
	);
	const known = new Set(routable.map((webhook) => webhook.id));
	for (const webhook of routable) {
		if (matchesAnyEventPattern(webhook.events, envelope.type)) {
			targets.push({ webhookId: webhook.id, profileId: null });
		}
	}
	const candidates = profiles.filter((profile) => profile.enabled && matchesAnyEventPattern(profile.events, envelope.type));
	const holds = await Promise.all(candidates.map((profile) => conditionHolds(profile, envelope, jsonata)));
	candidates.forEach((profile, index) => {
		if (!holds[index]) return;
		for (const webhookId of profile.webhookIds) {
			if (known.has(webhookId)) targets.push({ webhookId, profileId: profile.id });
		}
	});
	return targets;
}

/** The webhook an operational event is about; undefined for every other event. */
export function subjectWebhookId(envelope: EventEnvelope): string | undefined {
	if (!isOperationalEventType(envelope.type)) return undefined;
	const webhook = envelope.data.webhook;
	if (webhook === null || typeof webhook !== 'object' || Array.isArray(webhook)) return undefined;
	return typeof webhook.id === 'string' ? webhook.id : undefined;
}

function conditionHolds(profile: ProfileRecord, envelope: EventEnvelope, jsonata: JsonataPool): boolean | Promise<boolean> {
	if (profile.condition === null || profile.condition.trim() === '') return true;
	return jsonata.condition(profile.condition, envelope).catch((error: unknown) => {
		// A condition that fails at run time routes nothing; it was compiled at save time.
		console.warn(`profile ${profile.id}: condition failed for event ${envelope.id}, profile skipped: ${(error as Error).message}`);
		return false;
	});
}

/**
 * Which deliveries an event makes: one per (webhook, profile-or-direct). Direct subscriptions
 * and enabled profiles whose events match and whose JSONata condition holds. A webhook an admin
 * paused (`enabled: false`) still gets its deliveries: they wait until it is enabled again. One
 * the dispatcher disabled (410 Gone, five days of failures) gets none: its endpoint is gone, and
 * queueing for it without bound would only grow the store.
 */
import { compileJsonata, evaluateCondition, matchesAnyEventPattern } from '../../core';
import type { EventEnvelope } from '../../core/types';
import type { ProfileRecord, WebhookRecord } from '../domain/records';

export interface RouteTarget {
	webhookId: string;
	profileId: string | null;
}

export async function routeEvent(
	envelope: EventEnvelope,
	webhooks: readonly WebhookRecord[],
	profiles: readonly ProfileRecord[],
): Promise<RouteTarget[]> {
	const targets: RouteTarget[] = [];
	const routable = webhooks.filter((webhook) => webhook.enabled || webhook.disabledReason === 'manual');
	const known = new Set(routable.map((webhook) => webhook.id));
	for (const webhook of routable) {
		if (matchesAnyEventPattern(webhook.events, envelope.type)) {
			targets.push({ webhookId: webhook.id, profileId: null });
		}
	}
	for (const profile of profiles) {
		if (!profile.enabled || !matchesAnyEventPattern(profile.events, envelope.type)) continue;
		if (!(await conditionHolds(profile, envelope))) continue;
		for (const webhookId of profile.webhookIds) {
			if (known.has(webhookId)) targets.push({ webhookId, profileId: profile.id });
		}
	}
	return targets;
}

async function conditionHolds(profile: ProfileRecord, envelope: EventEnvelope): Promise<boolean> {
	if (profile.condition === null || profile.condition.trim() === '') return true;
	try {
		return await evaluateCondition(compileJsonata(profile.condition), envelope);
	} catch (error) {
		// A condition that fails at run time routes nothing; it was compiled at save time.
		console.warn(`profile ${profile.id}: condition failed: ${(error as Error).message}`);
		return false;
	}
}

/**
 * Which deliveries an event makes: one per (webhook, profile-or-direct). Direct subscriptions
 * and enabled profiles whose events match and whose JSONata condition holds. A webhook an admin
 * paused (`enabled: false`) still gets its deliveries: they wait until it is enabled again. One
 * the dispatcher disabled (410 Gone, five days of failures) gets none: its endpoint is gone, and
 * queueing for it without bound would only grow the store.
 */
import { compileJsonata, evaluateCondition, matchesAnyEventPattern } from '../../core';
import type { EventEnvelope } from '../../core/types';
import type { ProfileRecord, WebhookRecord } from '../store/types';

export interface RouteTarget {
	webhookId: string;
	profileId: string | null;
}

/**
 * The targets of an event, in order: direct subscriptions, then each matching profile's
 * webhooks. Returned at once when no matching profile has a condition (nothing to evaluate);
 * a promise when a JSONata condition has to run.
 */
export function routeEvent(
	envelope: EventEnvelope,
	webhooks: readonly WebhookRecord[],
	profiles: readonly ProfileRecord[],
): RouteTarget[] | Promise<RouteTarget[]> {
	const targets: RouteTarget[] = [];
	const routable = webhooks.filter((webhook) => webhook.enabled || webhook.disabledReason === 'manual');
	const known = new Set(routable.map((webhook) => webhook.id));
	for (const webhook of routable) {
		if (matchesAnyEventPattern(webhook.events, envelope.type)) {
			targets.push({ webhookId: webhook.id, profileId: null });
		}
	}
	const matching = profiles.filter((profile) => profile.enabled && matchesAnyEventPattern(profile.events, envelope.type));
	const addTargets = (profile: ProfileRecord) => {
		for (const webhookId of profile.webhookIds) {
			if (known.has(webhookId)) targets.push({ webhookId, profileId: profile.id });
		}
	};
	if (!matching.some(hasCondition)) {
		for (const profile of matching) addTargets(profile);
		return targets;
	}
	return (async () => {
		for (const profile of matching) {
			if (await conditionHolds(profile, envelope)) addTargets(profile);
		}
		return targets;
	})();
}

function hasCondition(profile: ProfileRecord): boolean {
	return profile.condition !== null && profile.condition.trim() !== '';
}

async function conditionHolds(profile: ProfileRecord, envelope: EventEnvelope): Promise<boolean> {
	if (!hasCondition(profile)) return true;
	try {
		return await evaluateCondition(compileJsonata(profile.condition as string), envelope);
	} catch (error) {
		// A condition that fails at run time routes nothing; it was compiled at save time.
		console.warn(`profile ${profile.id}: condition failed: ${(error as Error).message}`);
		return false;
	}
}

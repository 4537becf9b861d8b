/**
 * The delivery summary, counted the same way by every backend: each backend groups the matching
 * deliveries by (webhook, status, failure class of the last attempt) as it can (typed columns,
 * SQL), and this module turns the groups into `DeliverySummary`.
 */
import { FAILURE_CLASSES } from '../../core';
import { type FailureClass, failureClass } from './failureClass';
import type { DeliveryCounts, DeliveryRecord, DeliveryStatus, DeliverySummary } from './records';

export interface SummaryGroup {
	webhookId: string;
	status: DeliveryStatus;
	/** The class of the last attempt when it failed (null: succeeded, or no attempt yet). */
	failure: FailureClass | null;
	count: number;
}

export function emptyCounts(): DeliveryCounts {
	const failuresByClass = Object.fromEntries(FAILURE_CLASSES.map((name) => [name, 0])) as Record<FailureClass, number>;
	return { total: 0, succeeded: 0, failed: 0, pending: 0, failuresByClass };
}

/** The failure class a delivery is counted under: its last attempt's, unless it succeeded. */
export function lastFailure(delivery: Pick<DeliveryRecord, 'status' | 'attempts'>): FailureClass | null {
	const last = delivery.attempts[delivery.attempts.length - 1];
	return last && delivery.status !== 'succeeded' ? failureClass(last) : null;
}

export function summarizeGroups(groups: Iterable<SummaryGroup>): DeliverySummary {
	const overall = emptyCounts();
	const perWebhook = new Map<string, DeliveryCounts>();
	for (const group of groups) {
		let counts = perWebhook.get(group.webhookId);
		if (!counts) perWebhook.set(group.webhookId, (counts = emptyCounts()));
		for (const target of [overall, counts]) {
			target.total += group.count;
			target[group.status] += group.count;
			if (group.failure) target.failuresByClass[group.failure] += group.count;
		}
	}
	const byWebhook = [...perWebhook.entries()]
		.map(([webhookId, counts]) => ({ webhookId, ...counts }))
		.sort((a, b) => b.total - a.total || (a.webhookId < b.webhookId ? -1 : 1));
	return { ...overall, byWebhook };
}

/** The groups of records already read (a short list, e.g. one event's deliveries). */
export function groupRecords(deliveries: readonly DeliveryRecord[]): SummaryGroup[] {
	return deliveries.map((delivery) => ({ webhookId: delivery.webhookId, status: delivery.status, failure: lastFailure(delivery), count: 1 }));
}

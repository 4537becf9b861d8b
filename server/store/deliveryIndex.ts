/**
 * Deliveries in creation order, with the queries the log API needs: filters, newest-first pages
 * with an opaque cursor, and a summary. Shared by stores that keep the log in memory.
 */
import { FAILURE_CLASSES } from '../../core';
import { type FailureClass, failureClass } from '../domain/failureClass';
import {
	type DeliveryCounts,
	type DeliveryFilter,
	type DeliveryPage,
	type DeliveryRecord,
	type DeliverySummary,
	InvalidCursorError,
} from './types';

export class DeliveryIndex {
	private readonly byId = new Map<string, DeliveryRecord>();
	/** Creation order. */
	private ordered: DeliveryRecord[] = [];
	/** Index of each delivery in `ordered` (rebuilt when entries are sorted or removed). */
	private readonly position = new Map<string, number>();
	private readonly pendingIds = new Set<string>();

	get size(): number {
		return this.byId.size;
	}

	get(id: string): DeliveryRecord | undefined {
		return this.byId.get(id);
	}

	/** Adds a delivery, or replaces the stored one with the same id (a later record wins). */
	upsert(delivery: DeliveryRecord): void {
		const known = this.byId.get(delivery.id);
		this.byId.set(delivery.id, delivery);
		const position = known ? this.position.get(delivery.id) : undefined;
		if (position !== undefined) {
			this.ordered[position] = delivery;
		} else {
			this.position.set(delivery.id, this.ordered.length);
			this.ordered.push(delivery);
		}
		this.trackStatus(delivery);
	}

	/** After bulk loading from several files: order by creation time once. */
	sortByCreation(): void {
		this.ordered.sort((a, b) =>
			a.createdAt === b.createdAt ? (a.id < b.id ? -1 : 1) : a.createdAt < b.createdAt ? -1 : 1,
		);
		this.reindex();
	}

	/** The queue: pending deliveries, oldest first. */
	pending(): DeliveryRecord[] {
		const list: DeliveryRecord[] = [];
		for (const id of this.pendingIds) {
			const delivery = this.byId.get(id);
			if (delivery) list.push(delivery);
		}
		return list.sort((a, b) => (this.position.get(a.id) ?? 0) - (this.position.get(b.id) ?? 0));
	}

	query(filter: DeliveryFilter, limit: number, cursor: string | null): DeliveryPage {
		let start = this.ordered.length - 1;
		if (cursor !== null) {
			const position = this.positionOf(decodeCursor(cursor));
			if (position < 0) throw new InvalidCursorError();
			start = position - 1;
		}
		const data: DeliveryRecord[] = [];
		if (filter.requestId !== undefined) {
			const one = this.byId.get(filter.requestId);
			if (one && cursor === null && matches(one, filter)) data.push(one);
			return { data, nextCursor: null };
		}
		for (let i = start; i >= 0; i--) {
			const delivery = this.ordered[i];
			if (!matches(delivery, filter)) continue;
			if (data.length === limit) {
				return { data, nextCursor: encodeCursor(data[data.length - 1].id) };
			}
			data.push(delivery);
		}
		return { data, nextCursor: null };
	}

	summarize(filter: DeliveryFilter): DeliverySummary {
		const overall = emptyCounts();
		const perWebhook = new Map<string, DeliveryCounts>();
		for (const delivery of this.ordered) {
			if (!matches(delivery, filter)) continue;
			let counts = perWebhook.get(delivery.webhookId);
			if (!counts) perWebhook.set(delivery.webhookId, (counts = emptyCounts()));
			const last = delivery.attempts[delivery.attempts.length - 1];
			const failure = last && delivery.status !== 'succeeded' ? failureClass(last) : null;
			for (const target of [overall, counts]) {
				target.total++;
				target[delivery.status]++;
				if (failure) target.failuresByClass[failure]++;
			}
		}
		const byWebhook = [...perWebhook.entries()]
			.map(([webhookId, counts]) => ({ webhookId, ...counts }))
			.sort((a, b) => b.total - a.total || (a.webhookId < b.webhookId ? -1 : 1));
		return { ...overall, byWebhook };
	}

	/** Drops finished deliveries created before `before`; pending ones are never dropped. */
	removeFinishedBefore(before: string): DeliveryRecord[] {
		const removed: DeliveryRecord[] = [];
		this.ordered = this.ordered.filter((delivery) => {
			if (delivery.status === 'pending' || delivery.createdAt >= before) return true;
			removed.push(delivery);
			this.byId.delete(delivery.id);
			return false;
		});
		if (removed.length > 0) this.reindex();
		return removed;
	}

	private reindex(): void {
		this.position.clear();
		for (let i = 0; i < this.ordered.length; i++) this.position.set(this.ordered[i].id, i);
	}

	private trackStatus(delivery: DeliveryRecord): void {
		if (delivery.status === 'pending') this.pendingIds.add(delivery.id);
		else this.pendingIds.delete(delivery.id);
	}

	private positionOf(id: string): number {
		return this.position.get(id) ?? -1;
	}
}

function matches(delivery: DeliveryRecord, filter: DeliveryFilter): boolean {
	if (filter.webhookId !== undefined && delivery.webhookId !== filter.webhookId) return false;
	if (filter.profileId !== undefined && delivery.profileId !== filter.profileId) return false;
	if (filter.eventType !== undefined && delivery.eventType !== filter.eventType) return false;
	if (filter.status !== undefined && delivery.status !== filter.status) return false;
	if (filter.responseCode !== undefined && delivery.responseCode !== filter.responseCode) return false;
	if (filter.requestId !== undefined && delivery.id !== filter.requestId) return false;
	if (filter.eventId !== undefined && delivery.eventId !== filter.eventId) return false;
	if (filter.from !== undefined && delivery.createdAt < filter.from) return false;
	if (filter.to !== undefined && delivery.createdAt > filter.to) return false;
	return true;
}

function emptyCounts(): DeliveryCounts {
	const failuresByClass = Object.fromEntries(FAILURE_CLASSES.map((name) => [name, 0])) as Record<FailureClass, number>;
	return { total: 0, succeeded: 0, failed: 0, pending: 0, failuresByClass };
}

function encodeCursor(id: string): string {
	return Buffer.from(id, 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): string {
	return Buffer.from(cursor, 'base64url').toString('utf8');
}

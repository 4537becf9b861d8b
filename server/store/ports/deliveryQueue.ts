/**
 * The delivery queue port, in the shape of svix-server's queue and Hookdeck Outpost's delivery
 * queue: work is enqueued durably together with its event, workers **claim** due deliveries with
 * a lease, and every claim ends in `record` (an attempt: done, or retry at a time), `defer` (back
 * without an attempt, e.g. throttled) or `release` (shutdown). A claim whose owner died expires
 * and the delivery is claimed again (at-least-once; receivers dedupe by `webhook-id`).
 * Deliveries of a disabled webhook are not claimable: they wait until it is enabled again.
 */
import type { AttemptUpdate, DeliveryRecord, EventRecord } from '../../domain/records';

export interface ClaimedDelivery {
	delivery: DeliveryRecord;
	event: EventRecord;
}

export interface AcceptOutcome {
	/** false: an event with this id was stored before (idempotency); nothing was written. */
	accepted: boolean;
	/** The stored event: this one, or the first one with its id. */
	event: EventRecord;
}

export interface DeliveryQueue {
	/** Stores the event and its pending deliveries in one commit; resolves once durable. */
	accept(event: EventRecord, deliveries: DeliveryRecord[]): Promise<AcceptOutcome>;
	/** Up to `limit` due deliveries, leased to `owner` for `leaseMs`, oldest due first. */
	claim(owner: string, limit: number, leaseMs: number): Promise<ClaimedDelivery[]>;
	/** Extends the leases `owner` holds on `ids` (attempts still in flight). */
	renew(owner: string, ids: string[], leaseMs: number): Promise<void>;
	/** Records an attempt and the delivery's new state; ends its lease. */
	record(update: AttemptUpdate): Promise<void>;
	/** Ends the lease without an attempt; the delivery is due again at `at`. */
	defer(id: string, at: string): Promise<void>;
	/** Ends every lease `owner` holds (graceful stop). */
	release(owner: string): Promise<void>;
	/** Puts finished deliveries back in the queue (replay); returns the ones re-queued. */
	requeue(ids: string[], at: string): Promise<DeliveryRecord[]>;
	/** How many deliveries are pending, and when the oldest of them was created (metrics). */
	pendingStats(): Promise<{ pending: number; oldestCreatedAt: string | null }>;
	/** When the earliest claimable delivery is due (ms since epoch), or null when none waits. */
	nextDueAt(): Promise<number | null>;
	/** Calls `listener` when new work may be due: enqueued or re-queued here or elsewhere. */
	onWork(listener: () => void): () => void;
}

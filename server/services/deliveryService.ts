/** The delivery log as the API offers it: pages, summary, detail, single and bulk replay. */
import { AlreadyPendingError, NotFoundError } from '../domain/errors';
import type { DeliveryFilter, DeliveryPage, DeliveryRecord, DeliverySummary, EventOrigin, EventRecord } from '../domain/records';
import type { DeliveryLog } from '../store/ports/deliveryLog';
import type { DeliveryQueue } from '../store/ports/deliveryQueue';

/** Bulk replay re-queues at most this many deliveries per call. */
export const BULK_RETRY_LIMIT = 10_000;

export class DeliveryService {
	constructor(
		private readonly log: DeliveryLog,
		private readonly queue: DeliveryQueue,
	) {}

	list(filter: DeliveryFilter, limit: number, cursor: string | null): Promise<DeliveryPage> {
		return this.log.queryDeliveries(filter, limit, cursor);
	}

	summarize(filter: DeliveryFilter): Promise<DeliverySummary> {
		return this.log.summarizeDeliveries(filter);
	}

	async get(id: string): Promise<DeliveryRecord> {
		const delivery = await this.log.getDelivery(id);
		if (!delivery) throw new NotFoundError('delivery', id);
		return delivery;
	}

	/** A delivery, and where its event came from when an ingest source sent it. */
	async detail(id: string): Promise<{ delivery: DeliveryRecord; origin: EventOrigin | undefined }> {
		const delivery = await this.get(id);
		return { delivery, origin: (await this.log.getEvent(delivery.eventId))?.origin };
	}

	/** An event with every delivery it made (those still in the log). */
	async event(id: string): Promise<{ event: EventRecord; deliveries: DeliveryRecord[] }> {
		const event = await this.log.getEvent(id);
		if (!event) throw new NotFoundError('event', id);
		const deliveries = await Promise.all(event.deliveries.map((ref) => this.log.getDelivery(ref.id)));
		return { event, deliveries: deliveries.filter((delivery): delivery is DeliveryRecord => delivery !== undefined) };
	}

	/** Replays one finished delivery with the same id (`webhook-id`). */
	async retry(id: string): Promise<DeliveryRecord> {
		const delivery = await this.get(id);
		if (delivery.status === 'pending') throw new AlreadyPendingError();
		const [requeued] = await this.queue.requeue([id], new Date().toISOString());
		if (!requeued) throw new AlreadyPendingError(); // re-queued by a concurrent call
		return delivery;
	}

	/** Replays every finished delivery the filter matches, newest first, up to BULK_RETRY_LIMIT. */
	async retryMatching(filter: DeliveryFilter): Promise<DeliveryRecord[]> {
		const ids: string[] = [];
		let cursor: string | null = null;
		do {
			const page = await this.log.queryDeliveries(filter, 250, cursor);
			for (const delivery of page.data) if (delivery.status !== 'pending') ids.push(delivery.id);
			cursor = page.nextCursor;
		} while (cursor !== null && ids.length < BULK_RETRY_LIMIT);
		return this.queue.requeue(ids.slice(0, BULK_RETRY_LIMIT), new Date().toISOString());
	}
}

/**
 * The delivery log port: events, deliveries and their attempts as the API reads them: by id,
 * filtered newest-first pages with an opaque cursor, a summary, and retention.
 */
import type {
	DeliveryFilter,
	DeliveryPage,
	DeliveryRecord,
	DeliverySummary,
	EventRecord,
} from '../../domain/records';

export interface DeliveryLog {
	getEvent(id: string): Promise<EventRecord | undefined>;
	getDelivery(id: string): Promise<DeliveryRecord | undefined>;
	/** Newest first (creation time, then id); `cursor` is the `nextCursor` of the page before. */
	queryDeliveries(filter: DeliveryFilter, limit: number, cursor: string | null): Promise<DeliveryPage>;
	summarizeDeliveries(filter: DeliveryFilter): Promise<DeliverySummary>;
	/** Drops finished deliveries created before `before` and events left without deliveries. */
	prune(before: string): Promise<void>;
}

/** The delivery log: filtered pages, summary, detail with attempts, single and bulk retry. */
import { Router } from 'express';
import type { DispatcherContext } from '../../context';
import { ApiError, notFound } from '../../http/errors';
import { compileQueryValidator, compileValidator } from '../../http/validation';
import type { DeliveryFilter, DeliveryRecord } from '../../store/types';
import { bulkRetrySchema, deliveryListQuerySchema, deliverySummaryQuerySchema } from '../schemas/delivery';

/** Bulk replay re-queues at most this many deliveries per call. */
const BULK_RETRY_LIMIT = 10_000;

export function deliveriesRouter(context: DispatcherContext): Router {
	const router = Router();
	const { store, worker } = context;
	const validateList = compileQueryValidator<DeliveryFilter & { limit: number; cursor?: string }>(deliveryListQuerySchema);
	const validateSummary = compileQueryValidator<DeliveryFilter>(deliverySummaryQuerySchema);
	const validateBulk = compileValidator<{ filter: DeliveryFilter }>(bulkRetrySchema);

	router.get('/deliveries', (request, response) => {
		const { limit, cursor, ...filter } = validateList(request.query);
		const page = store.queryDeliveries(filter, limit, cursor ?? null);
		response.json({ data: page.data.map(listItem), nextCursor: page.nextCursor });
	});

	router.get('/deliveries/summary', (request, response) => {
		response.json(store.summarizeDeliveries(validateSummary(request.query)));
	});

	router.get('/deliveries/:id', (request, response) => {
		const delivery = store.getDelivery(request.params.id);
		if (!delivery) throw notFound('delivery', request.params.id);
		// An event from an ingest source shows what the MDM sent (its body, size-capped).
		const origin = store.getEvent(delivery.eventId)?.origin;
		response.json({ ...listItem(delivery), request: delivery.request, attempts: delivery.attempts, ...(origin ? { origin } : {}) });
	});

	router.post('/deliveries/:id/retry', async (request, response) => {
		const delivery = store.getDelivery(request.params.id);
		if (!delivery) throw notFound('delivery', request.params.id);
		if (delivery.status === 'pending') {
			throw new ApiError(409, 'already_pending', 'delivery is already pending');
		}
		const requeued = await store.requeueDeliveries([delivery.id], new Date().toISOString());
		worker.enqueue(requeued);
		response.status(202).json(listItem(delivery));
	});

	router.post('/deliveries/retry', async (request, response) => {
		const { filter } = validateBulk(request.body);
		const ids: string[] = [];
		let cursor: string | null = null;
		do {
			const page = store.queryDeliveries(filter, 250, cursor);
			for (const delivery of page.data) if (delivery.status !== 'pending') ids.push(delivery.id);
			cursor = page.nextCursor;
		} while (cursor !== null && ids.length < BULK_RETRY_LIMIT);
		const requeued = await store.requeueDeliveries(ids.slice(0, BULK_RETRY_LIMIT), new Date().toISOString());
		worker.enqueue(requeued);
		response.status(202).json({ requeued: requeued.length, ids: requeued.map((delivery) => delivery.id) });
	});

	return router;
}

function listItem(delivery: DeliveryRecord) {
	const { attempts: _attempts, request: _request, ...item } = delivery;
	return item;
}

/** The delivery log: filtered pages, summary, detail with attempts, single and bulk retry. */
import { Router } from 'express';
import type { DispatcherContext } from '../../context';
import type { DeliveryQuery } from '../../domain/inputs';
import type { DeliveryFilter, DeliveryRecord } from '../../domain/records';
import { compileQueryValidator, compileValidator } from '../../http/validation';
import { bulkRetrySchema, deliveryListQuerySchema, deliverySummaryQuerySchema } from '../schemas/delivery';

export function deliveriesRouter(context: DispatcherContext): Router {
	const router = Router();
	const { deliveries } = context;
	const validateList = compileQueryValidator<DeliveryQuery>(deliveryListQuerySchema);
	const validateSummary = compileQueryValidator<DeliveryFilter>(deliverySummaryQuerySchema);
	const validateBulk = compileValidator<{ filter: DeliveryFilter }>(bulkRetrySchema);

	router.get('/deliveries', async (request, response) => {
		const { limit, cursor, ...filter } = validateList(request.query);
		const page = await deliveries.list(filter, limit, cursor ?? null);
		response.json({ data: page.data.map(listItem), nextCursor: page.nextCursor });
	});

	router.get('/deliveries/summary', async (request, response) => {
		const summary = await deliveries.summarize(validateSummary(request.query));
		// Names as they are now (null for a webhook deleted since).
		const names = new Map((await context.webhooks.list()).map((webhook) => [webhook.id, webhook.name]));
		const byWebhook = summary.byWebhook.map(({ webhookId, ...counts }) => ({ webhookId, name: names.get(webhookId) ?? null, ...counts }));
		response.json({ ...summary, byWebhook });
	});

	router.get('/deliveries/:id', async (request, response) => {
		const { delivery, origin } = await deliveries.detail(request.params.id);
		// An event from an ingest source shows what the MDM sent (its body, size-capped).
		response.json({ ...listItem(delivery), request: delivery.request, attempts: delivery.attempts, ...(origin ? { origin } : {}) });
	});

	router.post('/deliveries/:id/retry', async (request, response) => {
		response.status(202).json(listItem(await deliveries.retry(request.params.id)));
	});

	router.post('/deliveries/retry', async (request, response) => {
		const requeued = await deliveries.retryMatching(validateBulk(request.body).filter);
		response.status(202).json({ requeued: requeued.length, ids: requeued.map((delivery) => delivery.id) });
	});

	return router;
}

export function listItem(delivery: DeliveryRecord) {
	const { attempts: _attempts, request: _request, ...item } = delivery;
	return item;
}

/**
 * `POST /v1/events`: 202 once stored; 200 with the first answer for a repeated id.
 * `GET /v1/events/:id`: the stored event with every delivery it made, as the delivery log lists them.
 */
import { Router } from 'express';
import type { DispatcherContext } from '../../context';
import { notFound } from '../../http/errors';
import { compileValidator } from '../../http/validation';
import type { DeliveryRecord } from '../../store/types';
import { type EventIngestBody, eventIngestSchema } from '../schemas/event';
import { listItem } from './deliveries';

export function eventsRouter(context: DispatcherContext): Router {
	const router = Router();
	const { store } = context;
	const validate = compileValidator<EventIngestBody>(eventIngestSchema);
	router.post('/events', async (request, response) => {
		const result = await context.events.ingest(validate(request.body));
		response.status(result.status).json(result.answer);
	});
	router.get('/events/:id', (request, response) => {
		const event = store.getEvent(request.params.id);
		if (!event) throw notFound('event', request.params.id);
		const deliveries = event.deliveries
			.map((ref) => store.getDelivery(ref.id))
			.filter((delivery): delivery is DeliveryRecord => delivery !== undefined)
			.map(listItem);
		const { deliveries: _refs, ...rest } = event;
		response.json({ ...rest, deliveries });
	});
	return router;
}

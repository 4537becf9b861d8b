/**
 * `POST /v1/events`: 202 once stored; 200 with the first answer for a repeated id.
 * `GET /v1/events/:id`: the stored event with every delivery it made, as the delivery log lists them.
 */
import { Router } from 'express';
import type { DispatcherContext } from '../../context';
import { compileValidator } from '../../http/validation';
import { type EventIngestBody, eventIngestSchema } from '../schemas/event';
import { listItem } from './deliveries';

export function eventsRouter(context: DispatcherContext): Router {
	const router = Router();
	const validate = compileValidator<EventIngestBody>(eventIngestSchema);
	router.post('/events', async (request, response) => {
		const result = await context.events.ingest(validate(request.body));
		response.status(result.status).json(result.answer);
	});
	router.get('/events/:id', async (request, response) => {
		const { event, deliveries } = await context.deliveries.event(request.params.id);
		const { deliveries: _refs, ...rest } = event;
		response.json({ ...rest, deliveries: deliveries.map(listItem) });
	});
	return router;
}

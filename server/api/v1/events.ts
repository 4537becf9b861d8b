/** `POST /v1/events`: 202 once stored; 200 with the first answer for a repeated id. */
import { Router } from 'express';
import type { DispatcherContext } from '../../context';
import { compileValidator } from '../../http/validation';
import { type EventIngestBody, eventIngestSchema } from '../schemas/event';

export function eventsRouter(context: DispatcherContext): Router {
	const router = Router();
	const validate = compileValidator<EventIngestBody>(eventIngestSchema);
	router.post('/events', async (request, response) => {
		const result = await context.events.ingest(validate(request.body));
		response.status(result.status).json(result.answer);
	});
	return router;
}

/** `GET /v1/event-types`: the catalog with each type's JSON Schema and sample. */
import { Router } from 'express';
import { EVENT_CATALOG } from '../../../core';

export function eventTypesRouter(): Router {
	const router = Router();
	const answer = {
		data: EVENT_CATALOG.map(({ type, category, description, schema, sample }) => ({
			type,
			category,
			description,
			schema,
			sample,
		})),
	};
	router.get('/event-types', (_request, response) => {
		response.json(answer);
	});
	return router;
}

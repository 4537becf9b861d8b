/**
 * `POST /ingest/:sourceId/:token`: where an MDM posts its own webhooks (no admin key: the token
 * authenticates the source). The raw body is kept as bytes, since the vendor's signature covers
 * exactly those.
 */
import express, { Router } from 'express';
import type { DispatcherContext } from '../context';

export function ingestRouter(context: DispatcherContext, limitBytes: number): Router {
	const router = Router();
	router.post(
		'/ingest/:sourceId/:token',
		express.raw({ type: () => true, limit: limitBytes }),
		async (request, response) => {
			const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
			const answer = await context.sourceIngest.receive(request.params.sourceId, request.params.token, request.headers, raw);
			response.status(answer.status).json(answer.body);
		},
	);
	return router;
}

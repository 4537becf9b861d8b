/**
 * The HTTP surface: `/healthz`, `/openapi.json` and the `/docs` reference open, `/metrics` behind
 * the API key or the metrics token, everything under `/v1` behind the API key (or a console
 * session from `/v1/session`), the web console at `/`.
 */
import express, { type Express } from 'express';
import { docsRouter } from './api/docs';
import { metricsRouter } from './api/metrics';
import { deliveriesRouter } from './api/v1/deliveries';
import { eventTypesRouter } from './api/v1/eventTypes';
import { eventsRouter } from './api/v1/events';
import { ingestRouter } from './api/ingest';
import { profilesRouter } from './api/v1/profiles';
import { sessionRouter } from './api/v1/session';
import { sourcesRouter } from './api/v1/sources';
import { webhooksRouter } from './api/v1/webhooks';
import type { DispatcherContext } from './context';
import { requireApiKey } from './http/auth';
import { consoleRouter } from './http/console';
import { ApiError, errorHandler } from './http/errors';
import { jsonShapeGuard } from './http/jsonShape';

export const MAX_BODY_BYTES = 1024 * 1024;

export function createApp(context: DispatcherContext): Express {
	const app = express();
	app.disable('x-powered-by');
	app.set('etag', false);
	app.set('query parser', 'simple');
	app.get('/healthz', (_request, response) => {
		response.json({ status: 'ok' });
	});
	app.use(docsRouter(context.publicUrl));
	app.use(metricsRouter(context.metrics, context.apiKeyHash, context.metricsToken));

	app.use('/v1', sessionRouter(context));
	// Vendors' own webhooks: authenticated by the source's URL token, not the admin key.
	app.use(ingestRouter(context, MAX_BODY_BYTES));

	const v1 = express.Router();
	v1.use(requireApiKey(context.apiKeyHash, context.sessions));
	v1.use(express.json({ limit: MAX_BODY_BYTES, strict: false, type: () => true }));
	v1.use(jsonShapeGuard());
	v1.use(eventTypesRouter());
	v1.use(eventsRouter(context));
	v1.use(webhooksRouter(context));
	v1.use(profilesRouter(context));
	v1.use(deliveriesRouter(context));
	v1.use(sourcesRouter(context));
	app.use('/v1', v1);
	app.use(consoleRouter(context.sessions));

	app.use((request, _response, next) => {
		next(new ApiError(404, 'not_found', `no route for ${request.method} ${request.path}`));
	});
	app.use(errorHandler);
	return app;
}

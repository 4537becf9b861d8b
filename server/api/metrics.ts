/**
 * `GET /metrics`: Prometheus' text format. Read with the admin API key, or with
 * `DISPATCHER_METRICS_TOKEN` (a token that can read metrics and nothing else, for a scraper's
 * `authorization` config). Both checks are constant-time.
 */
import { Router } from 'express';
import { digestSecret } from '../domain/secretDigest';
import { isAuthorized } from '../http/auth';
import { ApiError } from '../http/errors';
import type { DispatcherMetrics } from '../observability/metrics';

export function metricsRouter(metrics: DispatcherMetrics, apiKeyHash: () => string, metricsToken: string | null): Router {
	const router = Router();
	const tokenHash = metricsToken ? digestSecret(metricsToken) : null;
	router.get('/metrics', async (request, response) => {
		const header = request.headers.authorization;
		const allowed = isAuthorized(header, apiKeyHash()) || (tokenHash !== null && isAuthorized(header, tokenHash));
		if (!allowed) {
			throw new ApiError(401, 'unauthorized', 'metrics need the API key or the metrics token (Authorization: Bearer <token>)');
		}
		const { contentType, body } = await metrics.render();
		response.setHeader('cache-control', 'no-store');
		response.type(contentType).send(body);
	});
	return router;
}

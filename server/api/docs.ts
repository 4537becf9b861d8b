/**
 * `GET /openapi.json` (the document, with this request's server URL) and `GET /docs`, the API
 * reference page: Swagger UI from the `swagger-ui-dist` package, served by the dispatcher itself
 * (no CDN, nothing fetched from elsewhere) under a Content-Security-Policy that allows only this
 * origin.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Router } from 'express';
import { publicOrigin } from '../http/origin';
import { buildOpenApiDocument } from '../openapi';

/** The files of `swagger-ui-dist` the page uses. */
const ASSETS = new Set(['swagger-ui.css', 'swagger-ui-bundle.js', 'favicon-32x32.png']);

const CONTENT_SECURITY_POLICY = [
	"default-src 'none'",
	"script-src 'self'",
	// Swagger UI sets element styles from script.
	"style-src 'self' 'unsafe-inline'",
	"img-src 'self' data:",
	"connect-src 'self'",
	"base-uri 'none'",
	"form-action 'none'",
	"frame-ancestors 'none'",
].join('; ');

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>MDM webhook dispatcher: API reference</title>
<link rel="icon" href="/docs/assets/favicon-32x32.png">
<link rel="stylesheet" href="/docs/assets/swagger-ui.css">
</head>
<body>
<div id="api-reference"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/docs/assets/init.js"></script>
</body>
</html>
`;

/** Not inline: the CSP allows scripts from this origin only. */
const INIT = `window.ui = SwaggerUIBundle({
  url: '/openapi.json',
  dom_id: '#api-reference',
  deepLinking: true,
  validatorUrl: null,
  tryItOutEnabled: false,
  persistAuthorization: false,
  docExpansion: 'list',
  defaultModelsExpandDepth: 0,
});
`;

function swaggerUiDirectory(): string {
	return path.dirname(require.resolve('swagger-ui-dist/package.json'));
}

export function docsRouter(publicUrl: string | null): Router {
	const router = Router();
	const documents = new Map<string, string>();
	router.get('/openapi.json', (request, response) => {
		const origin = publicOrigin(publicUrl, request);
		let body = documents.get(origin);
		if (body === undefined) {
			body = JSON.stringify(buildOpenApiDocument(origin));
			// A few origins at most (the host names this dispatcher is reached by).
			if (documents.size < 16) documents.set(origin, body);
		}
		response.type('application/json').send(body);
	});

	router.use('/docs', (_request, response, next) => {
		response.setHeader('content-security-policy', CONTENT_SECURITY_POLICY);
		response.setHeader('x-content-type-options', 'nosniff');
		response.setHeader('referrer-policy', 'no-referrer');
		next();
	});
	router.get('/docs', (_request, response) => {
		response.type('html').send(PAGE);
	});
	router.get('/docs/assets/init.js', (_request, response) => {
		response.type('application/javascript').send(INIT);
	});
	const directory = swaggerUiDirectory();
	router.get('/docs/assets/:file', (request, response, next) => {
		const file = request.params.file;
		if (!ASSETS.has(file)) return next();
		response.setHeader('cache-control', 'public, max-age=3600');
		response.sendFile(path.join(directory, file));
	});
	if (!fs.existsSync(path.join(directory, 'swagger-ui-bundle.js'))) {
		throw new Error(`swagger-ui-dist is incomplete at ${directory}`);
	}
	return router;
}

/** Webhook configurations: CRUD, validate-&-save, test and mock sends, secret rotation. */
import { Router } from 'express';
import { getEventType } from '../../../core';
import type { DispatcherContext } from '../../context';
import { validationFailed } from '../../http/errors';
import { compileValidator } from '../../http/validation';
import {
	type WebhookCreateBody,
	type WebhookUpdateBody,
	mockEventSchema,
	secretRotateSchema,
	webhookCreateSchema,
	webhookUpdateSchema,
} from '../schemas/webhook';

export function webhooksRouter(context: DispatcherContext): Router {
	const router = Router();
	const { webhooks } = context;
	const validateCreate = compileValidator<WebhookCreateBody>(webhookCreateSchema);
	const validateUpdate = compileValidator<WebhookUpdateBody>(webhookUpdateSchema);
	const validateRotate = compileValidator<{ secret?: string }>(secretRotateSchema);
	const validateMock = compileValidator<{ type: string }>(mockEventSchema);

	router.post('/webhooks', async (request, response) => {
		// Validate & save with ?test=true: a webhook.test payload must get a 2xx first.
		const record = await webhooks.create(validateCreate(request.body), { test: request.query.test === 'true' });
		response.status(201).json(webhooks.view(record, true));
	});

	router.get('/webhooks', async (_request, response) => {
		response.json({ data: (await webhooks.list()).map((webhook) => webhooks.view(webhook)) });
	});

	router.post('/webhooks/test', async (request, response) => {
		const record = await webhooks.prepare(validateCreate(request.body));
		response.json(await webhooks.testSend(record));
	});

	router.get('/webhooks/:id', async (request, response) => {
		response.json(webhooks.view(await webhooks.get(request.params.id)));
	});

	router.patch('/webhooks/:id', async (request, response) => {
		const record = await webhooks.update(request.params.id, validateUpdate(request.body));
		response.json(webhooks.view(record));
	});

	router.delete('/webhooks/:id', async (request, response) => {
		await webhooks.delete(request.params.id);
		response.status(204).end();
	});

	router.post('/webhooks/:id/test', async (request, response) => {
		response.json(await webhooks.testSend(await webhooks.get(request.params.id)));
	});

	router.post('/webhooks/:id/mock', async (request, response) => {
		const webhook = await webhooks.get(request.params.id);
		const { type } = validateMock(request.body);
		if (!getEventType(type)) throw validationFailed([{ path: '/type', message: `unknown event type "${type}"` }]);
		response.json(await webhooks.testSend(webhook, type));
	});

	router.post('/webhooks/:id/secret/rotate', async (request, response) => {
		const { secret } = validateRotate(request.body ?? {});
		const record = await webhooks.rotateSecret(request.params.id, secret);
		response.json(webhooks.view(record, true));
	});

	return router;
}

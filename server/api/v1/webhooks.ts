/** Webhook configurations: CRUD, validate-&-save, test and mock sends, secret rotation. */
import { Router } from 'express';
import { getEventType, sampleEnvelope } from '../../../core';
import type { DispatcherContext } from '../../context';
import { sendOnce } from '../../delivery/testSender';
import { ApiError, validationFailed } from '../../http/errors';
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
	const { webhooks, client, store } = context;
	const validateCreate = compileValidator<WebhookCreateBody>(webhookCreateSchema);
	const validateUpdate = compileValidator<WebhookUpdateBody>(webhookUpdateSchema);
	const validateRotate = compileValidator<{ secret?: string }>(secretRotateSchema);
	const validateMock = compileValidator<{ type: string }>(mockEventSchema);

	router.post('/webhooks', async (request, response) => {
		const record = await webhooks.prepare(validateCreate(request.body));
		if (request.query.test === 'true') {
			// Validate & save: a webhook.test payload must get a 2xx before anything is stored.
			const test = await sendOnce(client, record, sampleEnvelope('webhook.test'));
			if (!test.ok) {
				throw new ApiError(422, 'webhook_test_failed', 'the test send did not get a 2xx; nothing was saved', [], {
					test,
				});
			}
		}
		await webhooks.create(record);
		response.status(201).json(webhooks.view(record, true));
	});

	router.get('/webhooks', (_request, response) => {
		response.json({ data: store.listWebhooks().map((webhook) => webhooks.view(webhook)) });
	});

	router.post('/webhooks/test', async (request, response) => {
		const record = await webhooks.prepare(validateCreate(request.body), 'test');
		response.json(await sendOnce(client, record, sampleEnvelope('webhook.test')));
	});

	router.get('/webhooks/:id', (request, response) => {
		response.json(webhooks.view(webhooks.get(request.params.id)));
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
		response.json(await sendOnce(client, webhooks.get(request.params.id), sampleEnvelope('webhook.test')));
	});

	router.post('/webhooks/:id/mock', async (request, response) => {
		const webhook = webhooks.get(request.params.id);
		const { type } = validateMock(request.body);
		if (!getEventType(type)) throw validationFailed([{ path: '/type', message: `unknown event type "${type}"` }]);
		response.json(await sendOnce(client, webhook, sampleEnvelope(type)));
	});

	router.post('/webhooks/:id/secret/rotate', async (request, response) => {
		const { secret } = validateRotate(request.body ?? {});
		const record = await webhooks.rotateSecret(request.params.id, secret);
		response.json(webhooks.view(record, true));
	});

	return router;
}

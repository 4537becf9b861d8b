/** Alert profiles: CRUD and the preview of the exact request a profile would send. */
import { Router } from 'express';
import { getEventType, newId, sampleEnvelope } from '../../../core';
import type { DispatcherContext } from '../../context';
import { maskRequest } from '../../delivery/redact';
import { PayloadMappingError, buildDeliveryRequest } from '../../delivery/requestBuilder';
import { ApiError, validationFailed } from '../../http/errors';
import { compileQueryValidator, compileValidator } from '../../http/validation';
import {
	type ProfileCreateBody,
	type ProfileUpdateBody,
	previewQuerySchema,
	profileCreateSchema,
	profileUpdateSchema,
} from '../schemas/profile';

export function profilesRouter(context: DispatcherContext): Router {
	const router = Router();
	const { profiles, webhooks, jsonata } = context;
	const validateCreate = compileValidator<ProfileCreateBody>(profileCreateSchema);
	const validateUpdate = compileValidator<ProfileUpdateBody>(profileUpdateSchema);
	const validatePreview = compileQueryValidator<{ event: string; webhookId: string }>(previewQuerySchema);

	router.post('/profiles', async (request, response) => {
		response.status(201).json(await profiles.create(validateCreate(request.body)));
	});

	router.get('/profiles', async (_request, response) => {
		response.json({ data: await profiles.list() });
	});

	router.get('/profiles/:id', async (request, response) => {
		response.json(await profiles.get(request.params.id));
	});

	router.patch('/profiles/:id', async (request, response) => {
		response.json(await profiles.update(request.params.id, validateUpdate(request.body)));
	});

	router.delete('/profiles/:id', async (request, response) => {
		await profiles.delete(request.params.id);
		response.status(204).end();
	});

	router.get('/profiles/:id/preview', async (request, response) => {
		const profile = await profiles.get(request.params.id);
		const query = validatePreview(request.query);
		if (!getEventType(query.event)) {
			throw validationFailed([{ path: '/event', message: `unknown event type "${query.event}"` }], 400);
		}
		const webhook = await webhooks.get(query.webhookId);
		let outbound;
		try {
			outbound = await buildDeliveryRequest({
				webhook,
				envelope: sampleEnvelope(query.event),
				mapping: profile.payload ? { source: profile.payload, jsonata } : undefined,
				messageId: newId('msg'),
				nowMs: Date.now(),
			});
		} catch (error) {
			if (!(error instanceof PayloadMappingError)) throw error;
			// What a delivery of this sample would do: fail without sending.
			throw new ApiError(422, 'payload_mapping_failed', error.message, [{ path: '/payload', message: error.message }]);
		}
		const sent = maskRequest(outbound, webhook);
		response.json({ method: sent.method, url: sent.url, headers: sent.headers, body: JSON.parse(sent.body) as unknown });
	});

	return router;
}

/** Ingest sources: CRUD and rotation; URL tokens and secrets in full only in the create and rotate answers. */
import { type Request, Router } from 'express';
import type { DispatcherContext } from '../../context';
import { publicOrigin } from '../../http/origin';
import { compileValidator } from '../../http/validation';
import {
	type SourceCreateBody,
	type SourceRotateBody,
	type SourceUpdateBody,
	sourceCreateSchema,
	sourceRotateSchema,
	sourceUpdateSchema,
} from '../schemas/source';

/** The dispatcher's public origin: `DISPATCHER_PUBLIC_URL`, else the origin this request reached. */
function originOf(context: DispatcherContext, request: Request): string {
	return publicOrigin(context.publicUrl, request);
}

export function sourcesRouter(context: DispatcherContext): Router {
	const router = Router();
	const { sources } = context;
	const validateCreate = compileValidator<SourceCreateBody>(sourceCreateSchema);
	const validateUpdate = compileValidator<SourceUpdateBody>(sourceUpdateSchema);
	const validateRotate = compileValidator<SourceRotateBody>(sourceRotateSchema);

	router.post('/sources', async (request, response) => {
		const { record, token } = await sources.create(validateCreate(request.body));
		response.status(201).json(sources.view(record, originOf(context, request), { token, showSecret: true, showAuth: true }));
	});

	router.get('/sources', async (request, response) => {
		response.json({ data: (await sources.list()).map((source) => sources.view(source, originOf(context, request))) });
	});

	router.get('/sources/:id', async (request, response) => {
		response.json(sources.view(await sources.get(request.params.id), originOf(context, request)));
	});

	router.patch('/sources/:id', async (request, response) => {
		const record = await sources.update(request.params.id, validateUpdate(request.body));
		response.json(sources.view(record, originOf(context, request)));
	});

	router.delete('/sources/:id', async (request, response) => {
		await sources.delete(request.params.id);
		response.status(204).end();
	});

	router.post('/sources/:id/rotate', async (request, response) => {
		const { secret } = validateRotate(request.body ?? {});
		const { record, token } = await sources.rotate(request.params.id, secret);
		response.json(sources.view(record, originOf(context, request), { token, showSecret: true, showAuth: false }));
	});

	return router;
}

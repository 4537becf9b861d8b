/**
 * The API's one error shape: `{"error":{"code","message","details":[{path,message}]}}`.
 * Messages never carry secrets: they name fields, not values.
 */
import type { ErrorRequestHandler } from 'express';
import type { FieldError } from '../../core/types';
import { StorageError, UnstorableRecordError } from '../store/errors';

export class ApiError extends Error {
	constructor(
		readonly status: number,
		readonly code: string,
		message: string,
		readonly details: FieldError[] = [],
		/** Extra members of the error object, e.g. the profiles that block a delete. */
		readonly extra: Record<string, unknown> = {},
	) {
		super(message);
	}
}

export function validationFailed(details: FieldError[], status = 422): ApiError {
	const first = details[0];
	const summary = first ? `${first.path || '/'}: ${first.message}` : 'invalid request';
	const more = details.length > 1 ? ` (and ${details.length - 1} more)` : '';
	return new ApiError(status, 'validation_failed', `${summary}${more}`, details);
}

export function notFound(kind: string, id: string): ApiError {
	return new ApiError(404, 'not_found', `${kind} ${JSON.stringify(id)} does not exist`);
}

interface BodyParserError extends Error {
	type?: string;
	status?: number;
}

export const errorHandler: ErrorRequestHandler = (error: unknown, _request, response, _next) => {
	if (error instanceof ApiError) {
		response.status(error.status).json({
			error: {
				code: error.code,
				message: error.message,
				...(error.details.length > 0 ? { details: error.details } : {}),
				...error.extra,
			},
		});
		return;
	}
	if (error instanceof StorageError) {
		// Nothing was stored (the store keeps no trace of a failed write): the client may retry.
		// The store logs when its writes start failing and when they succeed again.
		response.setHeader('retry-after', '30');
		if (error.full) {
			response.status(507).json({
				error: { code: 'storage_full', message: "the dispatcher's disk is full: nothing was stored; retry once space is freed" },
			});
		} else {
			response.status(503).json({
				error: { code: 'storage_unavailable', message: "the dispatcher could not write to its disk: nothing was stored; retry later" },
			});
		}
		return;
	}
	if (error instanceof UnstorableRecordError) {
		response.status(422).json({ error: { code: 'unstorable', message: `${error.message}: nothing was stored` } });
		return;
	}
	const parserError = error as BodyParserError;
	if (parserError.type === 'entity.too.large') {
		response.status(413).json({ error: { code: 'payload_too_large', message: 'request body exceeds 1 MiB' } });
		return;
	}
	if (parserError.type === 'entity.parse.failed') {
		response.status(400).json({ error: { code: 'invalid_json', message: 'request body is not valid JSON' } });
		return;
	}
	if (parserError.type === 'charset.unsupported' || parserError.type === 'encoding.unsupported') {
		response.status(415).json({ error: { code: 'unsupported_media_type', message: parserError.message } });
		return;
	}
	console.error('unhandled error:', parserError.stack ?? parserError.message);
	response.status(500).json({ error: { code: 'internal_error', message: 'internal error' } });
};

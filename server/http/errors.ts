/**
 * The API's one error shape: `{"error":{"code","message","details":[{path,message}]}}`.
 * Messages never carry secrets: they name fields, not values.
 */
import type { ErrorRequestHandler } from 'express';
import type { FieldError } from '../../core/types';
import {
	AlreadyPendingError,
	InUseError,
	InvalidError,
	InvalidJsonError,
	NotFoundError,
	SourceDisabledError,
	StoreUnavailableError,
	TestSendFailedError,
	UnauthorizedError,
} from '../domain/errors';
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

/** The API's answer to a domain error (services know nothing of HTTP), or null for anything else. */
export function fromDomain(error: unknown): ApiError | null {
	if (error instanceof NotFoundError) return new ApiError(404, 'not_found', error.message);
	if (error instanceof SourceDisabledError) return new ApiError(404, 'source_disabled', error.message);
	if (error instanceof UnauthorizedError) return new ApiError(401, error.reason, error.message);
	if (error instanceof InvalidJsonError) return new ApiError(400, 'invalid_json', error.message);
	if (error instanceof InvalidError) return validationFailed(error.details, error.inQuery ? 400 : 422);
	if (error instanceof InUseError) return new ApiError(409, 'webhook_in_use', error.message, [], { profiles: error.profiles });
	if (error instanceof AlreadyPendingError) return new ApiError(409, 'already_pending', error.message);
	if (error instanceof TestSendFailedError) return new ApiError(422, 'webhook_test_failed', error.message, [], { test: error.test });
	if (error instanceof StoreUnavailableError) return new ApiError(503, 'store_unavailable', error.message);
	return null;
}

interface BodyParserError extends Error {
	type?: string;
	status?: number;
	code?: string;
}

/** zlib's and brotli's error codes: a body that does not decode with its `content-encoding`. */
function isDecompressionError(error: BodyParserError): boolean {
	return typeof error.code === 'string' && (/^Z_/.test(error.code) || /^ERR_(_|BROTLI|ZSTD)/.test(error.code));
}

export const errorHandler: ErrorRequestHandler = (raw: unknown, _request, response, _next) => {
	const error = fromDomain(raw) ?? raw;
	if (error instanceof ApiError) {
		if (error.status === 503) response.setHeader('retry-after', '1');
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
	if (parserError instanceof URIError) {
		// The router could not decode a path parameter (`/v1/webhooks/%ff`).
		response.status(400).json({ error: { code: 'invalid_path', message: 'the path has invalid percent-encoding' } });
		return;
	}
	if (isDecompressionError(parserError)) {
		response.status(400).json({
			error: { code: 'invalid_body_encoding', message: 'request body does not decode with its content-encoding' },
		});
		return;
	}
	if (typeof parserError.status === 'number' && parserError.status >= 400 && parserError.status < 500) {
		// Any other client error raised by Express or body-parser (e.g. an aborted or mis-sized body).
		response.status(parserError.status).json({ error: { code: 'bad_request', message: 'the request could not be read' } });
		return;
	}
	console.error('unhandled error:', parserError.stack ?? parserError.message);
	response.status(500).json({ error: { code: 'internal_error', message: 'internal error' } });
};

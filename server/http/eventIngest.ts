/**
 * `POST /v1/events`, the API's busiest call, without the general middleware chain (router
 * layers, body-parser, `res.json`): the profile of a loaded dispatcher showed that chain as a
 * large share of the cost of an event. Only the plain case takes this path: an authorised request
 * with an uncompressed UTF-8 body declared within the size limit. It runs the same validator and
 * the same `EventService.ingest` as the route in `api/v1/events.ts` and hands errors to the same
 * error handler, so the answers are the same. Everything else (no or a wrong key, compressed or
 * non-UTF-8 bodies, no declared body, an oversized one) is declined before a byte is read and
 * goes through the general chain, which gives its usual 401, 413 or 415.
 */
import type { RequestHandler } from 'express';
import type { EventIngestBody } from '../api/schemas/event';
import { eventIngestSchema } from '../api/schemas/event';
import type { DispatcherContext } from '../context';
import { isAuthorized } from './auth';
import { compileValidator } from './validation';

/** No charset, or UTF-8: the only body this path decodes. */
function isUtf8(contentType: string | undefined): boolean {
	const match = contentType ? /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(contentType) : null;
	return match === null || /^utf-?8$/i.test(match[1]);
}

/** body-parser's error shapes, which the error handler maps to 400 and 413. */
function parserError(type: 'entity.parse.failed' | 'entity.too.large', status: number, message: string): Error {
	return Object.assign(new Error(message), { type, status, expose: true });
}

export function eventIngestFastPath(context: DispatcherContext, limitBytes: number): RequestHandler {
	const validate = compileValidator<EventIngestBody>(eventIngestSchema);
	return (request, response, next) => {
		if (request.method !== 'POST' || request.url !== '/v1/events') return next();
		const headers = request.headers;
		const encoding = headers['content-encoding'];
		const length = headers['content-length'];
		if (
			(encoding !== undefined && encoding.toLowerCase() !== 'identity') ||
			!isUtf8(headers['content-type']) ||
			(length === undefined && headers['transfer-encoding'] === undefined) ||
			(length !== undefined && !(Number(length) <= limitBytes)) ||
			!isAuthorized(headers.authorization, context.apiKeyHash())
		) {
			return next();
		}

		const chunks: Buffer[] = [];
		let size = 0;
		let tooLarge = false;
		const onData = (chunk: Buffer) => {
			size += chunk.length;
			if (size > limitBytes) tooLarge = true;
			else chunks.push(chunk);
		};
		const onEnd = () => {
			request.off('data', onData);
			request.off('error', onError);
			if (tooLarge) return next(parserError('entity.too.large', 413, 'request entity too large'));
			let text = (chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size)).toString('utf8');
			if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
			let body: unknown;
			try {
				body = text.length === 0 ? {} : JSON.parse(text);
			} catch (error) {
				return next(parserError('entity.parse.failed', 400, (error as Error).message));
			}
			let input: EventIngestBody;
			try {
				// Depth and prototype keys of `data` are checked by `EventService.ingest`; the schema
				// refuses anything else that is not a plain field.
				input = validate(body);
			} catch (error) {
				return next(error);
			}
			context.events.ingest(input).then((result) => {
				const json = JSON.stringify(result.answer);
				response.writeHead(result.status, {
					'content-type': 'application/json; charset=utf-8',
					'content-length': Buffer.byteLength(json),
				});
				response.end(json);
			}, next);
		};
		// An aborted request has no one to answer; the socket is gone.
		const onError = () => {
			request.off('data', onData);
			request.off('end', onEnd);
		};
		request.on('data', onData);
		request.once('end', onEnd);
		request.once('error', onError);
	};
}

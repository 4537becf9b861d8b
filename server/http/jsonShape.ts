/**
 * The structural limits of JSON input (`domain/jsonShape.ts`: nesting depth, prototype keys) for
 * every body the general routes parse.
 */
import type { RequestHandler } from 'express';
import { checkJsonShape } from '../domain/jsonShape';
import { validationFailed } from './errors';

/**
 * Middleware after `express.json()`: the check for every body the general routes parse.
 * (`EventService.ingest` checks an event's `data` again, whichever way the event came in.)
 */
export function jsonShapeGuard(): RequestHandler {
	return (request, _response, next) => {
		const problem = checkJsonShape(request.body);
		next(problem ? validationFailed([problem]) : undefined);
	};
}

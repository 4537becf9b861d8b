/**
 * What services and stores raise when a request cannot be carried out. They know nothing of HTTP:
 * `server/http/errors.ts` maps each one to the API's one error shape and status.
 */
import type { FieldError } from '../../core/types';

/** Base class: every expected refusal is a DomainError; anything else is a bug (500). */
export class DomainError extends Error {}

/** 404: the record addressed does not exist. */
export class NotFoundError extends DomainError {
	constructor(
		readonly kind: string,
		readonly id: string,
		/** Instead of naming the id (an ingest URL's caller is not told what it asked for). */
		message = `${kind} ${JSON.stringify(id)} does not exist`,
	) {
		super(message);
	}
}

/** 404 `source_disabled`: an ingest source switched off refuses what its vendor sends (and says so). */
export class SourceDisabledError extends DomainError {
	constructor() {
		super('this ingest source is disabled');
	}
}

/**
 * 401: the caller did not prove who it is. `reason` says which proof failed: `unauthorized` (a
 * wrong ingest token, missing or wrong Basic/Bearer credentials) or `invalid_signature` (a
 * vendor's signature missing or not matching the body).
 */
export class UnauthorizedError extends DomainError {
	constructor(
		readonly reason: 'unauthorized' | 'invalid_signature',
		message: string,
	) {
		super(message);
	}
}

/** 400 `invalid_json`: a raw body a service parses itself (a vendor's webhook) is empty or not JSON. */
export class InvalidJsonError extends DomainError {}

/** 422 (or 400 for queries): fields break a rule; each detail names one field (JSON Pointer). */
export class InvalidError extends DomainError {
	constructor(
		readonly details: FieldError[],
		readonly inQuery = false,
	) {
		super(summarize(details));
	}
}

/**
 * A uniqueness rule enforced by the store (a webhook or profile name): reported like an invalid
 * field, since that is how the API has always answered a duplicate name.
 */
export class ConflictError extends InvalidError {
	constructor(
		readonly field: string,
		message: string,
	) {
		super([{ path: field, message }]);
	}
}

/** 400: a delivery-log cursor that does not point into the log (made up, or its delivery was pruned). */
export class InvalidCursorError extends InvalidError {
	constructor() {
		super([{ path: '/cursor', message: 'cursor does not point into the delivery log (start again without a cursor)' }], true);
	}
}

/** 409: a webhook still linked from alert profiles cannot be deleted. */
export class InUseError extends DomainError {
	constructor(readonly profiles: { id: string; name: string }[]) {
		super('alert profiles link this webhook; unlink them first');
	}
}

/** 409: a replay of a delivery that is still pending. */
export class AlreadyPendingError extends DomainError {
	constructor() {
		super('delivery is already pending');
	}
}

/** 422 with extra data: validate & save got no 2xx from the destination. */
export class TestSendFailedError extends DomainError {
	constructor(readonly test: unknown) {
		super('the test send did not get a 2xx; nothing was saved');
	}
}

/**
 * 503: the store cannot be reached (PostgreSQL down). Nothing was accepted; the caller may retry.
 * The message never carries a connection string.
 */
export class StoreUnavailableError extends DomainError {
	constructor(readonly reason: string) {
		super(`the store is unavailable (${reason}); nothing was stored, retry later`);
	}
}

function summarize(details: FieldError[]): string {
	const first = details[0];
	const summary = first ? `${first.path || '/'}: ${first.message}` : 'invalid request';
	const more = details.length > 1 ? ` (and ${details.length - 1} more)` : '';
	return `${summary}${more}`;
}

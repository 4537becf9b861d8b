/**
 * Event intake, the one path of `POST /v1/events`: validate the data, deduplicate by id, route,
 * and answer only once the event and its deliveries are durably queued. The queue wakes the
 * workers itself; a repeated id gets the first answer, also when two dispatchers on one database
 * receive it at once (the store's idempotency key decides).
 */
import { isOperationalEventType, newEventId, newId, normalizeTimestamp, validateEventData } from '../../core';
import type { JsonObject } from '../../core/types';
import { InvalidError } from '../domain/errors';
import type { EventInput } from '../domain/inputs';
import type { DeliveryRecord, EventOrigin, EventRecord } from '../domain/records';
import { assertJsonShape } from '../domain/jsonShape';
import type { JsonataPool } from '../mapping/jsonataPool';
import type { DispatcherMetrics } from '../observability/metrics';
import { routeEvent } from '../routing/router';
import type { ConfigStore } from '../store/ports/configStore';
import type { DeliveryQueue } from '../store/ports/deliveryQueue';

export interface EventAnswer {
	id: string;
	type: string;
	deliveries: { id: string; webhookId: string; profileId: string | null }[];
}

export interface IngestResult {
	/** 202 for a new event, 200 for a repeated id. */
	status: 200 | 202;
	answer: EventAnswer;
}

export class EventService {
	/** Ids being accepted right now, so a concurrent duplicate waits for the first answer. */
	private readonly inFlight = new Map<string, Promise<IngestResult>>();

	constructor(
		private readonly config: ConfigStore,
		private readonly queue: DeliveryQueue,
		private readonly jsonata: JsonataPool,
		private readonly metrics?: DispatcherMetrics,
	) {}

	/**
	 * The one way an event comes in: `POST /v1/events` and the ingest sources (`origin` set, the
	 * vendor's body kept with the event) both call this, so the limits hold for all of them before
	 * anything is routed or stored: `data`'s nesting depth, its schema, a timestamp the dispatcher
	 * can represent.
	 */
	async ingest(input: EventInput, options: { origin?: EventOrigin } = {}): Promise<IngestResult> {
		assertJsonShape(input.data, '/data', 2);
		if (isOperationalEventType(input.type)) {
			throw new InvalidError([{ path: '/type', message: `${input.type} is an operational event: only the dispatcher emits it` }]);
		}
		const errors = validateEventData(input.type, input.data);
		if (errors.length > 0) throw new InvalidError(errors);
		const timestamp = input.timestamp === undefined ? undefined : representableTimestamp(input.timestamp);

		const id = input.id ?? newEventId();
		// In-flight first: a duplicate arriving meanwhile waits for the original's answer.
		const pending = this.inFlight.get(id);
		if (pending) return { status: 200, answer: (await pending).answer };
		// A repeated id is caught by the store's accept (its idempotency key), also across instances.

		const accepting = this.accept(id, input, timestamp, options.origin);
		this.inFlight.set(id, accepting);
		try {
			return await accepting;
		} finally {
			this.inFlight.delete(id);
		}
	}

	/**
	 * An operational event (`webhook.failing`, …) the dispatcher emits itself: a new id, now, routed
	 * and stored like any event (never to the webhook it is about, see `routeEvent`). Throws when
	 * `data` does not fit the type's schema (a bug) or the store cannot write.
	 */
	async emitOperational(type: string, data: JsonObject): Promise<EventAnswer> {
		if (!isOperationalEventType(type)) throw new Error(`${type} is not an operational event type`);
		const errors = validateEventData(type, data);
		if (errors.length > 0) throw new Error(`${type}: ${errors.map((e) => `${e.path} ${e.message}`).join('; ')}`);
		return (await this.accept(newEventId(), { type, data }, undefined, undefined)).answer;
	}

	private async accept(
		id: string,
		input: EventInput,
		timestamp: string | undefined,
		origin: EventOrigin | undefined,
	): Promise<IngestResult> {
		const receivedAt = new Date().toISOString();
		const envelope = { id, type: input.type, timestamp: timestamp ?? receivedAt, data: input.data };
		const [webhooks, profiles] = await Promise.all([this.config.listWebhooks(), this.config.listProfiles()]);
		const targets = await routeEvent(envelope, webhooks, profiles, this.jsonata);
		const deliveries: DeliveryRecord[] = targets.map((target) => ({
			id: newId('msg'),
			eventId: id,
			eventType: input.type,
			webhookId: target.webhookId,
			profileId: target.profileId,
			status: 'pending',
			responseCode: null,
			attemptCount: 0,
			createdAt: receivedAt,
			lastAttemptAt: null,
			nextAttemptAt: receivedAt,
			attempts: [],
			request: null,
		}));
		const event: EventRecord = {
			...envelope,
			receivedAt,
			deliveries: deliveries.map(({ id: deliveryId, webhookId, profileId }) => ({ id: deliveryId, webhookId, profileId })),
			...(origin ? { origin } : {}),
		};
		const outcome = await this.queue.accept(event, deliveries);
		if (outcome.accepted && !isOperationalEventType(input.type)) this.metrics?.eventIngested(origin?.vendor ?? 'api');
		return { status: outcome.accepted ? 202 : 200, answer: answerOf(outcome.event) };
	}
}

/**
 * The timestamp normalised to `…T…:…:….sssZ`. JSON Schema's `date-time` admits what a JavaScript
 * date cannot hold (a leap second `23:59:60`): such a timestamp gets a 422, not a 500.
 */
function representableTimestamp(timestamp: string): string {
	try {
		return normalizeTimestamp(timestamp);
	} catch {
		throw new InvalidError([
			{ path: '/timestamp', message: 'is not a representable date-time (leap seconds such as 23:59:60 are not supported)' },
		]);
	}
}

function answerOf(event: EventRecord): EventAnswer {
	return { id: event.id, type: event.type, deliveries: event.deliveries };
}

/**
 * Event intake: validate, deduplicate by id, route, and answer only once the event and its
 * deliveries are durably stored; then hand the deliveries to the worker.
 */
import { isOperationalEventType, newEventId, newId, normalizeTimestamp, validateEventData } from '../../core';
import type { JsonObject } from '../../core/types';
import type { EventIngestBody } from '../api/schemas/event';
import type { DeliveryWorker } from '../delivery/worker';
import { validationFailed } from '../http/errors';
import { assertJsonShape } from '../http/jsonShape';
import type { JsonataPool } from '../mapping/jsonataPool';
import type { DispatcherMetrics } from '../observability/metrics';
import { routeEvent } from '../routing/router';
import type { DeliveryRecord, EventOrigin, EventRecord, Store } from '../store/types';

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
		private readonly store: Store,
		private readonly worker: DeliveryWorker,
		private readonly jsonata: JsonataPool,
		private readonly metrics?: DispatcherMetrics,
	) {}

	/**
	 * The one way an event comes in: `POST /v1/events` and the ingest sources (`origin` set, the
	 * vendor's body kept with the event) both call this, so the limits hold for all of them before
	 * anything is routed or stored: `data`'s nesting depth, its schema, a timestamp the dispatcher
	 * can represent.
	 */
	async ingest(body: EventIngestBody, options: { origin?: EventOrigin } = {}): Promise<IngestResult> {
		assertJsonShape(body.data, '/data', 2);
		if (isOperationalEventType(body.type)) {
			throw validationFailed([{ path: '/type', message: `${body.type} is an operational event: only the dispatcher emits it` }]);
		}
		const errors = validateEventData(body.type, body.data);
		if (errors.length > 0) throw validationFailed(errors);
		const timestamp = body.timestamp === undefined ? undefined : representableTimestamp(body.timestamp);

		const id = body.id ?? newEventId();
		// In-flight first: the store shows an event only once its commit is on disk, and a
		// duplicate arriving meanwhile must wait for the original's answer, not be accepted twice.
		const pending = this.inFlight.get(id);
		if (pending) return { status: 200, answer: (await pending).answer };
		const known = this.store.getEvent(id);
		if (known) return { status: 200, answer: answerOf(known) };

		const accepting = this.accept(id, body, timestamp, options.origin);
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
		body: EventIngestBody,
		timestamp: string | undefined,
		origin: EventOrigin | undefined,
	): Promise<IngestResult> {
		const receivedAt = new Date().toISOString();
		const envelope = { id, type: body.type, timestamp: timestamp ?? receivedAt, data: body.data };
		const targets = await routeEvent(envelope, this.store.listWebhooks(), this.store.listProfiles(), this.jsonata);
		const deliveries: DeliveryRecord[] = targets.map((target) => ({
			id: newId('msg'),
			eventId: id,
			eventType: body.type,
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
		await this.store.acceptEvent(event, deliveries);
		if (!isOperationalEventType(body.type)) this.metrics?.eventIngested(origin?.vendor ?? 'api');
		this.worker.enqueue(deliveries);
		return { status: 202, answer: answerOf(event) };
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
		throw validationFailed([
			{ path: '/timestamp', message: 'is not a representable date-time (leap seconds such as 23:59:60 are not supported)' },
		]);
	}
}

function answerOf(event: EventRecord): EventAnswer {
	return { id: event.id, type: event.type, deliveries: event.deliveries };
}

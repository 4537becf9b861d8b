/**
 * Event intake: validate, deduplicate by id, route, and answer only once the event and its
 * deliveries are durably stored; then hand the deliveries to the worker.
 */
import { newEventId, newId, normalizeTimestamp, validateEventData } from '../../core';
import type { EventIngestBody } from '../api/schemas/event';
import type { DeliveryWorker } from '../delivery/worker';
import { validationFailed } from '../http/errors';
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
	) {}

	/**
	 * The one way an event comes in: `POST /v1/events` and the ingest sources (`origin` set, the
	 * vendor's body kept with the event) both call this.
	 */
	async ingest(body: EventIngestBody, options: { origin?: EventOrigin } = {}): Promise<IngestResult> {
		const errors = validateEventData(body.type, body.data);
		if (errors.length > 0) throw validationFailed(errors);

		const id = body.id ?? newEventId();
		// In-flight first: the store shows an event only once its commit is on disk, and a
		// duplicate arriving meanwhile must wait for the original's answer, not be accepted twice.
		const pending = this.inFlight.get(id);
		if (pending) return { status: 200, answer: (await pending).answer };
		const known = this.store.getEvent(id);
		if (known) return { status: 200, answer: answerOf(known) };

		const accepting = this.accept(id, body, options.origin);
		this.inFlight.set(id, accepting);
		try {
			return await accepting;
		} finally {
			this.inFlight.delete(id);
		}
	}

	private async accept(id: string, body: EventIngestBody, origin: EventOrigin | undefined): Promise<IngestResult> {
		const receivedAt = new Date().toISOString();
		const envelope = {
			id,
			type: body.type,
			timestamp: body.timestamp ? normalizeTimestamp(body.timestamp) : receivedAt,
			data: body.data,
		};
		const targets = await routeEvent(envelope, this.store.listWebhooks(), this.store.listProfiles());
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
		this.worker.enqueue(deliveries);
		return { status: 202, answer: answerOf(event) };
	}
}

function answerOf(event: EventRecord): EventAnswer {
	return { id: event.id, type: event.type, deliveries: event.deliveries };
}

/**
 * Event intake, the one path of `POST /v1/events`: validate the data, deduplicate by id, route,
 * and answer only once the event and its deliveries are durably queued. The queue wakes the
 * workers itself; a repeated id gets the first answer, also when two dispatchers on one database
 * receive it at once (the store's idempotency key decides).
 */
import { newEventId, newId, normalizeTimestamp, validateEventData } from '../../core';
import { InvalidError } from '../domain/errors';
import type { EventInput } from '../domain/inputs';
import type { DeliveryRecord, EventOrigin, EventRecord } from '../domain/records';
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
	) {}

	/**
	 * The one way an event comes in: `POST /v1/events` and the ingest sources (`origin` set, the
	 * vendor's body kept with the event) both call this.
	 */
	async ingest(input: EventInput, options: { origin?: EventOrigin } = {}): Promise<IngestResult> {
		const errors = validateEventData(input.type, input.data);
		if (errors.length > 0) throw new InvalidError(errors);

		const id = input.id ?? newEventId();
		// In-flight first: a duplicate arriving meanwhile waits for the original's answer.
		const pending = this.inFlight.get(id);
		if (pending) return { status: 200, answer: (await pending).answer };
		// A repeated id is caught by the store's accept (its idempotency key), also across instances.

		const accepting = this.accept(id, input, options.origin);
		this.inFlight.set(id, accepting);
		try {
			return await accepting;
		} finally {
			this.inFlight.delete(id);
		}
	}

	private async accept(id: string, input: EventInput, origin: EventOrigin | undefined): Promise<IngestResult> {
		const receivedAt = new Date().toISOString();
		const envelope = {
			id,
			type: input.type,
			timestamp: input.timestamp ? normalizeTimestamp(input.timestamp) : receivedAt,
			data: input.data,
		};
		const [webhooks, profiles] = await Promise.all([this.config.listWebhooks(), this.config.listProfiles()]);
		const targets = await routeEvent(envelope, webhooks, profiles);
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
		return { status: outcome.accepted ? 202 : 200, answer: answerOf(outcome.event) };
	}
}

function answerOf(event: EventRecord): EventAnswer {
	return { id: event.id, type: event.type, deliveries: event.deliveries };
}

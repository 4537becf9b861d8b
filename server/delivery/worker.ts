/**
 * The delivery worker: takes pending deliveries from the store's queue, sends each attempt,
 * records it, and schedules retries. One lane per webhook keeps order and throttling per
 * destination; lanes are served round-robin so one slow receiver cannot starve the others.
 * A disabled webhook's lane is parked (nothing lost) until the webhook is enabled again.
 */
import { InvalidSecretError } from '../../core';
import type { EventEnvelope } from '../../core/types';
import { StorageError } from '../store/errors';
import type { DeliveryRecord, Store, WebhookRecord } from '../store/types';
import type { AttemptResult, DeliveryHttpClient } from './httpClient';
import { PayloadMappingError, buildDeliveryRequest, maskRequest } from './requestBuilder';
import { classifyAttempt, nextAttemptDelayMs } from './retryPolicy';
import { WebhookThrottle } from './throttle';
import { TimerQueue } from './timerQueue';

/** A webhook whose attempts have all failed for this long is disabled. */
export const FAILING_DISABLE_AFTER_MS = 5 * 24 * 60 * 60 * 1000;

/** An attempt whose result could not be stored (a full disk) is sent again after this long. */
const UNSTORED_ATTEMPT_RETRY_MS = 5000;

export interface DeliveryWorkerOptions {
	store: Store;
	client: DeliveryHttpClient;
	retryScheduleSeconds: readonly number[];
	/** Attempts in flight at once, over all webhooks. */
	maxInFlight?: number;
}

interface Lane {
	queue: string[];
	/** In `readyLanes`, waiting on the throttle, or parked while the webhook is disabled. */
	state: 'idle' | 'ready' | 'throttled' | 'parked';
}

type Due = { kind: 'delivery'; id: string; webhookId: string } | { kind: 'lane'; webhookId: string };

export class DeliveryWorker {
	private readonly store: Store;
	private readonly client: DeliveryHttpClient;
	private readonly schedule: readonly number[];
	private readonly maxInFlight: number;
	private readonly throttle = new WebhookThrottle();
	private readonly lanes = new Map<string, Lane>();
	private readonly readyLanes: string[] = [];
	private readonly timers = new TimerQueue<Due>((due) => this.onDue(due));
	private readonly inFlightAttempts = new Set<Promise<void>>();
	private running = false;

	constructor(options: DeliveryWorkerOptions) {
		this.store = options.store;
		this.client = options.client;
		this.schedule = options.retryScheduleSeconds;
		this.maxInFlight = options.maxInFlight ?? 256;
	}

	/** Resumes every pending delivery in the store (after a restart or a crash). */
	start(): void {
		this.running = true;
		this.enqueue(this.store.listPendingDeliveries());
	}

	async stop(): Promise<void> {
		this.running = false;
		this.timers.stop();
		await Promise.allSettled([...this.inFlightAttempts]);
	}

	/** New or re-queued pending deliveries. */
	enqueue(deliveries: readonly DeliveryRecord[]): void {
		const now = Date.now();
		for (const delivery of deliveries) {
			const due = delivery.nextAttemptAt ? Date.parse(delivery.nextAttemptAt) : now;
			if (due > now) this.timers.push({ kind: 'delivery', id: delivery.id, webhookId: delivery.webhookId }, due);
			else this.addToLane(delivery.webhookId, delivery.id);
		}
		this.pump();
	}

	/** A webhook was enabled, disabled, changed or deleted. */
	webhookChanged(webhookId: string): void {
		const lane = this.lanes.get(webhookId);
		if (lane && lane.state === 'parked') {
			lane.state = 'idle';
			this.markReady(webhookId, lane);
		}
		this.pump();
	}

	get idle(): boolean {
		return this.inFlightAttempts.size === 0 && this.readyLanes.length === 0 && this.timers.size === 0;
	}

	private onDue(due: Due[]): void {
		for (const item of due) {
			if (item.kind === 'delivery') this.addToLane(item.webhookId, item.id);
			else {
				const lane = this.lanes.get(item.webhookId);
				if (lane && lane.state === 'throttled') {
					lane.state = 'idle';
					this.markReady(item.webhookId, lane);
				}
			}
		}
		this.pump();
	}

	private addToLane(webhookId: string, deliveryId: string): void {
		let lane = this.lanes.get(webhookId);
		if (!lane) {
			lane = { queue: [], state: 'idle' };
			this.lanes.set(webhookId, lane);
		}
		lane.queue.push(deliveryId);
		this.markReady(webhookId, lane);
	}

	private markReady(webhookId: string, lane: Lane): void {
		if (lane.state !== 'idle' || lane.queue.length === 0) return;
		lane.state = 'ready';
		this.readyLanes.push(webhookId);
	}

	private pump(): void {
		while (this.running && this.inFlightAttempts.size < this.maxInFlight && this.readyLanes.length > 0) {
			const webhookId = this.readyLanes.shift() as string;
			const lane = this.lanes.get(webhookId);
			if (!lane) continue;
			lane.state = 'idle';
			if (lane.queue.length === 0) {
				this.lanes.delete(webhookId);
				continue;
			}
			const webhook = this.store.getWebhook(webhookId);
			if (!webhook) {
				this.failOrphans(lane.queue.splice(0));
				continue;
			}
			if (!webhook.enabled) {
				lane.state = 'parked';
				continue;
			}
			const now = Date.now();
			const wait = this.throttle.reserve(webhookId, webhook.rateLimitPerSecond, now);
			if (wait > 0) {
				lane.state = 'throttled';
				this.timers.push({ kind: 'lane', webhookId }, now + wait);
				continue;
			}
			const deliveryId = lane.queue.shift() as string;
			this.markReady(webhookId, lane);
			this.track(this.attempt(deliveryId, webhook));
		}
	}

	private track(attempt: Promise<void>): void {
		this.inFlightAttempts.add(attempt);
		void attempt
			.catch((error: unknown) => console.error(`delivery attempt crashed: ${(error as Error).stack ?? error}`))
			.finally(() => {
				this.inFlightAttempts.delete(attempt);
				this.pump();
			});
	}

	private async attempt(deliveryId: string, webhook: WebhookRecord): Promise<void> {
		const delivery = this.store.getDelivery(deliveryId);
		if (!delivery || delivery.status !== 'pending') return;
		const event = this.store.getEvent(delivery.eventId);
		if (!event) return this.finishWithoutSending(delivery, 'event no longer stored');
		const profile = delivery.profileId ? this.store.getProfile(delivery.profileId) : undefined;
		const envelope: EventEnvelope = { id: event.id, type: event.type, timestamp: event.timestamp, data: event.data };

		const startedAt = new Date();
		let request;
		try {
			request = await buildDeliveryRequest({
				webhook,
				envelope,
				profile,
				messageId: delivery.id,
				nowMs: startedAt.getTime(),
			});
		} catch (error) {
			if (error instanceof PayloadMappingError) return this.finishWithoutSending(delivery, error.message);
			// A secret stored before its scheme's rule existed (a non-hex `mender` secret): say so.
			if (error instanceof InvalidSecretError) {
				return this.finishWithoutSending(delivery, `signing failed: ${error.message}`);
			}
			throw error;
		}
		const result = await this.client.send(request, webhook.timeoutSeconds);
		const outcome = classifyAttempt(result);
		const delay =
			outcome === 'retry'
				? nextAttemptDelayMs(delivery.attemptCount + 1, this.schedule, result.retryAfterSeconds)
				: null;
		const status = outcome === 'succeeded' ? 'succeeded' : delay !== null ? 'pending' : 'failed';
		const nextAttemptAt = delay !== null ? new Date(Date.now() + delay).toISOString() : null;

		try {
			await this.store.recordAttempt({
				deliveryId,
				attempt: attemptRecord(startedAt, result),
				status,
				nextAttemptAt,
				request: maskRequest(request),
			});
		} catch (error) {
			if (!(error instanceof StorageError)) throw error;
			// Not stored, so the delivery is still pending as it was: send it again (at-least-once).
			if (this.running) this.timers.push({ kind: 'delivery', id: deliveryId, webhookId: webhook.id }, Date.now() + UNSTORED_ATTEMPT_RETRY_MS);
			return;
		}
		if (delay !== null && this.running) {
			this.timers.push({ kind: 'delivery', id: deliveryId, webhookId: webhook.id }, Date.now() + delay);
		}
		await this.updateWebhookHealth(webhook.id, outcome, startedAt);
	}

	/** 410 disables at once; five days of nothing but failures disables too; a success resets. */
	private async updateWebhookHealth(
		webhookId: string,
		outcome: ReturnType<typeof classifyAttempt>,
		at: Date,
	): Promise<void> {
		const webhook = this.store.getWebhook(webhookId);
		if (!webhook) return;
		const now = at.toISOString();
		if (outcome === 'succeeded') {
			if (webhook.failingSince !== null) await this.store.putWebhook({ ...webhook, failingSince: null });
			return;
		}
		if (outcome === 'gone') {
			await this.store.putWebhook({ ...webhook, enabled: false, disabledReason: 'gone', updatedAt: now });
			return;
		}
		if (webhook.failingSince === null) {
			await this.store.putWebhook({ ...webhook, failingSince: now });
		} else if (webhook.enabled && at.getTime() - Date.parse(webhook.failingSince) >= FAILING_DISABLE_AFTER_MS) {
			await this.store.putWebhook({ ...webhook, enabled: false, disabledReason: 'failing', updatedAt: now });
		}
	}

	/** A delivery that cannot be sent at all (mapping error, webhook or event gone) fails at once. */
	private async finishWithoutSending(delivery: DeliveryRecord, error: string): Promise<void> {
		await this.store.recordAttempt({
			deliveryId: delivery.id,
			attempt: { at: new Date().toISOString(), statusCode: null, durationMs: 0, error, response: null },
			status: 'failed',
			nextAttemptAt: null,
			request: delivery.request ?? { method: '', url: '', headers: {}, body: '' },
		});
	}

	private failOrphans(deliveryIds: string[]): void {
		for (const id of deliveryIds) {
			const delivery = this.store.getDelivery(id);
			if (delivery && delivery.status === 'pending') {
				this.track(this.finishWithoutSending(delivery, 'webhook deleted'));
			}
		}
	}
}

function attemptRecord(startedAt: Date, result: AttemptResult) {
	return {
		at: startedAt.toISOString(),
		statusCode: result.statusCode,
		durationMs: Math.round(result.durationMs * 10) / 10,
		error: result.error,
		response: result.response,
	};
}

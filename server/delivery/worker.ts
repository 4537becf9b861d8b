/**
 * The delivery worker: claims due deliveries from the queue port, sends each attempt, records it
 * (done, or retry at a time) and keeps the webhook's health (410 and five-day disables). It owns
 * no pending set: the queue does, so several workers (processes) can share one queue. It wakes
 * when the queue signals new work, when an attempt finishes, and when the next retry is due.
 * A throttled delivery goes back to the queue for the time its webhook's bucket asks.
 * Everything it does is reported to its observer (logs, metrics, operational events).
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { InvalidSecretError } from '../../core';
import type { EventEnvelope } from '../../core/types';
import type { DeliveryRecord, EventRecord, WebhookRecord } from '../domain/records';
import type { ConfigStore } from '../store/ports/configStore';
import type { ClaimedDelivery, DeliveryQueue } from '../store/ports/deliveryQueue';
import type { RateLimiter } from '../store/ports/rateLimiter';
import { StoreUnavailableError } from '../domain/errors';
import type { JsonataPool } from '../mapping/jsonataPool';
import { StorageError } from '../store/errors';
import { failureClass } from '../domain/failureClass';
import { type AttemptReport, type DeliveryObserver, SILENT_OBSERVER } from './deliveryObserver';
import type { AttemptResult, HttpSender } from './httpClient';
import { STORED_REQUEST_BODY_BYTES, maskRequest, scrubResponse } from './redact';
import { PayloadMappingError, buildDeliveryRequest } from './requestBuilder';
import { classifyAttempt, nextAttemptDelayMs } from './retryPolicy';

/**
 * A throttled delivery whose token comes within this long waits for it holding its claim; later
 * ones go back to the queue. Bounds the claims one throttled webhook holds to ~2 s of its rate.
 */
const THROTTLE_HORIZON_MS = 2000;

/** Shortest time between two claims (bounds claim round trips; adds at most this to latency). */
const CLAIM_SPACING_MS = 2;

/** A webhook whose attempts have all failed for this long is disabled. */
export const FAILING_DISABLE_AFTER_MS = 5 * 24 * 60 * 60 * 1000;

export interface DeliveryWorkerOptions {
	config: ConfigStore;
	queue: DeliveryQueue;
	rateLimiter: RateLimiter;
	client: HttpSender;
	/** Evaluates profiles' JSONata payloads. */
	jsonata: JsonataPool;
	retryScheduleSeconds: readonly number[];
	/** Attempts in flight at once, over all webhooks. */
	maxInFlight?: number;
	/** How long a claim lasts before another worker may take the delivery over. */
	leaseMs?: number;
	/** Longest sleep without a wake-up (a shared queue is also polled this often). */
	pollMs?: number;
	/** Told of every attempt, finished delivery and health change (logs, metrics, operational events). */
	observer?: DeliveryObserver;
}

export class DeliveryWorker {
	/** This worker's name on its leases: host, pid and a random part. */
	readonly owner = `${os.hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
	private readonly config: ConfigStore;
	private readonly queue: DeliveryQueue;
	private readonly rateLimiter: RateLimiter;
	private readonly client: HttpSender;
	private readonly jsonata: JsonataPool;
	private readonly schedule: readonly number[];
	private readonly maxInFlight: number;
	private readonly leaseMs: number;
	private readonly pollMs: number;
	/** Deliveries claimed and not yet recorded, deferred or released. */
	private readonly inFlight = new Map<string, Promise<void>>();
	private running = false;
	private loop: Promise<void> | null = null;
	private wakeUp: (() => void) | null = null;
	private woken = false;
	private renewTimer: NodeJS.Timeout | null = null;
	private readonly unsubscribe: (() => void)[] = [];
	private outage = false;
	private readonly observer: DeliveryObserver;
	/** Health updates run one at a time per webhook, so a change is seen (and reported) once here. */
	private readonly health = new Map<string, Promise<void>>();

	constructor(options: DeliveryWorkerOptions) {
		this.config = options.config;
		this.queue = options.queue;
		this.rateLimiter = options.rateLimiter;
		this.client = options.client;
		this.jsonata = options.jsonata;
		this.schedule = options.retryScheduleSeconds;
		this.maxInFlight = options.maxInFlight ?? 256;
		this.leaseMs = options.leaseMs ?? 60_000;
		this.pollMs = options.pollMs ?? 1000;
		this.observer = options.observer ?? SILENT_OBSERVER;
	}

	start(): void {
		if (this.running) return;
		this.running = true;
		this.unsubscribe.push(this.queue.onWork(() => this.wake()));
		this.unsubscribe.push(this.config.onChange((change) => change.kind === 'webhook' && this.wake()));
		this.renewTimer = setInterval(() => void this.renewLeases(), Math.max(100, this.leaseMs / 3));
		this.renewTimer.unref();
		this.loop = this.run();
	}

	/** Lets attempts in flight finish and gives back every other claim. */
	async stop(): Promise<void> {
		if (!this.running) return;
		this.running = false;
		for (const off of this.unsubscribe.splice(0)) off();
		this.wake();
		await this.loop;
		await Promise.allSettled([...this.inFlight.values()]);
		if (this.renewTimer) clearInterval(this.renewTimer);
		await this.queue.release(this.owner).catch(() => undefined);
	}

	get idle(): boolean {
		return this.inFlight.size === 0;
	}

	private wake(): void {
		this.woken = true;
		this.wakeUp?.();
	}

	private async run(): Promise<void> {
		let backoffMs = 0;
		let lastClaimMs = 0;
		while (this.running) {
			// Claims at most every CLAIM_SPACING_MS while work trickles in: one claim for many
			// finished attempts instead of one each (a round trip on a shared queue).
			const since = Date.now() - lastClaimMs;
			if (since < CLAIM_SPACING_MS) await new Promise((resolve) => setTimeout(resolve, CLAIM_SPACING_MS - since));
			this.woken = false;
			const free = this.maxInFlight - this.inFlight.size;
			let idleClaim = false;
			if (free > 0) {
				let claimed: ClaimedDelivery[];
				try {
					lastClaimMs = Date.now();
					claimed = await this.queue.claim(this.owner, Math.min(free, 128), this.leaseMs);
					if (this.outage) console.error('delivery worker: store reachable again, resuming');
					this.outage = false;
					backoffMs = 0;
				} catch (error) {
					if (!this.outage) console.error(`delivery worker: cannot claim (${(error as Error).message}); backing off`);
					this.outage = true;
					backoffMs = Math.min(Math.max(100, backoffMs * 2), 5000);
					await this.sleep(backoffMs);
					continue;
				}
				for (const item of claimed) this.track(item);
				if (claimed.length > 0 && claimed.length === Math.min(free, 128)) continue;
				idleClaim = claimed.length === 0;
			}
			if (this.woken) continue;
			let next: number | null = null;
			try {
				next = await this.queue.nextDueAt();
			} catch {
				next = null;
			}
			if (this.woken) continue;
			let wait = next === null ? this.pollMs : Math.min(this.pollMs, Math.max(0, next - Date.now()));
			// Due but not claimable this instant (locked by another instance's claim): do not spin.
			if (wait === 0 && idleClaim) wait = 20;
			if (this.inFlight.size >= this.maxInFlight) wait = this.pollMs;
			if (wait > 0) await this.sleep(wait);
		}
	}

	private sleep(ms: number): Promise<void> {
		return new Promise((resolve) => {
			const timer = setTimeout(done, ms);
			timer.unref();
			const self = this;
			function done() {
				clearTimeout(timer);
				if (self.wakeUp === done) self.wakeUp = null;
				resolve();
			}
			this.wakeUp = done;
			if (this.woken || !this.running) done();
		});
	}

	private track(item: ClaimedDelivery): void {
		const id = item.delivery.id;
		const work = this.process(item)
			.catch((error: unknown) => {
				console.error(`delivery attempt crashed: ${(error as Error).stack ?? error}`);
			})
			.finally(() => {
				this.inFlight.delete(id);
				this.wake();
			});
		this.inFlight.set(id, work);
	}

	private async renewLeases(): Promise<void> {
		if (this.inFlight.size === 0) return;
		await this.queue.renew(this.owner, [...this.inFlight.keys()], this.leaseMs).catch(() => undefined);
	}

	private async process({ delivery, event }: ClaimedDelivery): Promise<void> {
		const webhook = await this.config.getWebhook(delivery.webhookId);
		if (!webhook) return this.finishWithoutSending(delivery, 'webhook deleted', undefined);
		if (!webhook.enabled || !this.running) {
			// Disabled since the claim (or stopping): back to the queue, no attempt counted.
			return this.queue.defer(delivery.id, new Date().toISOString());
		}
		const rate = webhook.rateLimitPerSecond;
		if (rate !== null && rate > 0) {
			const booking = await this.rateLimiter.book(webhook.id, rate, THROTTLE_HORIZON_MS);
			if (!booking.reserved) return this.queue.defer(delivery.id, new Date(Date.now() + booking.waitMs).toISOString());
			// A token booked within the horizon: hold the claim until it is valid.
			if (booking.waitMs > 0) await new Promise((resolve) => setTimeout(resolve, booking.waitMs));
		}
		await this.attempt(delivery, event, webhook);
	}

	private async attempt(delivery: DeliveryRecord, event: EventRecord, webhook: WebhookRecord): Promise<void> {
		const profile = delivery.profileId ? await this.config.getProfile(delivery.profileId) : undefined;
		const envelope: EventEnvelope = { id: event.id, type: event.type, timestamp: event.timestamp, data: event.data };
		const startedAt = new Date();
		let request;
		try {
			request = await buildDeliveryRequest({
				webhook,
				envelope,
				mapping: profile?.payload ? { source: profile.payload, jsonata: this.jsonata } : undefined,
				messageId: delivery.id,
				nowMs: startedAt.getTime(),
			});
		} catch (error) {
			if (error instanceof PayloadMappingError) return this.finishWithoutSending(delivery, error.message, webhook);
			// A secret stored before its scheme's rule existed (a non-hex `mender` secret): say so.
			if (error instanceof InvalidSecretError) {
				return this.finishWithoutSending(delivery, `signing failed: ${error.message}`, webhook);
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

		const attempt = attemptRecord(startedAt, result, webhook);
		const report: AttemptReport = {
			webhook,
			delivery,
			attempt: delivery.attemptCount + 1,
			// A retryable failure with the schedule used up is the delivery's final failure.
			outcome: outcome === 'retry' && status === 'failed' ? 'failed' : outcome,
			failureClass: outcome === 'succeeded' ? null : failureClass(attempt),
			statusCode: attempt.statusCode,
			error: attempt.error,
			durationMs: attempt.durationMs,
			at: attempt.at,
			status,
			nextAttemptAt,
		};
		// Health first: once the log shows the attempt, the webhook shows what it did to it.
		await this.updateWebhookHealth(webhook.id, report, startedAt);
		try {
			await this.queue.record({
				deliveryId: delivery.id,
				attempt,
				status,
				nextAttemptAt,
				request: maskRequest(request, webhook, STORED_REQUEST_BODY_BYTES),
			});
		} catch (error) {
			// Not stored: the delivery is still pending as it was, and the queue offers it again
			// (lowdb after a few seconds; a shared queue once the claim expires). At-least-once.
			if (error instanceof StorageError || error instanceof StoreUnavailableError) return;
			throw error;
		}
		this.observer.attempted(report);
	}

	/**
	 * 410 disables at once; five days of nothing but failures disables too; a success resets.
	 * Runs after the webhook's previous update and reads it afresh, so that attempts in flight
	 * together (several 410s, several first failures) change it, and report the change, once.
	 */
	private updateWebhookHealth(webhookId: string, report: AttemptReport, at: Date): Promise<void> {
		const previous = this.health.get(webhookId) ?? Promise.resolve();
		const next = previous.then(() => this.changeHealth(webhookId, report, at));
		const settled = next.catch(() => undefined);
		this.health.set(webhookId, settled);
		void settled.then(() => {
			if (this.health.get(webhookId) === settled) this.health.delete(webhookId);
		});
		return next;
	}

	private async changeHealth(webhookId: string, report: AttemptReport, at: Date): Promise<void> {
		const webhook = await this.config.getWebhook(webhookId);
		if (!webhook) return;
		const now = at.toISOString();
		const { outcome } = report;
		if (outcome === 'succeeded') {
			if (webhook.failingSince !== null) {
				await this.config.clearFailing(webhook.id);
				this.observer.webhookRecovered(webhook, webhook.failingSince, report);
			}
			return;
		}
		if (outcome === 'gone') {
			if (!webhook.enabled && webhook.disabledReason === 'gone') return;
			await this.config.disableWebhook(webhook.id, 'gone', now);
			this.observer.webhookDisabled({ ...webhook, enabled: false, disabledReason: 'gone' }, 'gone', report);
			return;
		}
		const since = webhook.failingSince ?? (await this.config.markFailing(webhook.id, now));
		// This attempt started the run (another instance may have started it already).
		if (webhook.failingSince === null && since === now) this.observer.webhookFailing({ ...webhook, failingSince: since }, report);
		if (since !== null && webhook.enabled && at.getTime() - Date.parse(since) >= FAILING_DISABLE_AFTER_MS) {
			await this.config.disableWebhook(webhook.id, 'failing', now);
			this.observer.webhookDisabled({ ...webhook, enabled: false, disabledReason: 'failing', failingSince: since }, 'failing', report);
		}
	}

	/**
	 * A delivery that cannot be sent at all (mapping error, webhook gone) fails at once. With
	 * `webhook` (its payload or signing failed) that is reported as a failed delivery; a webhook
	 * that is gone has nobody left to tell.
	 */
	private async finishWithoutSending(delivery: DeliveryRecord, error: string, webhook: WebhookRecord | undefined): Promise<void> {
		await this.queue.record({
			deliveryId: delivery.id,
			attempt: { at: new Date().toISOString(), statusCode: null, durationMs: 0, error, response: null },
			status: 'failed',
			nextAttemptAt: null,
			request: delivery.request ?? { method: '', url: '', headers: {}, body: '' },
		});
		this.observer.failedWithoutSending(delivery, webhook, error);
	}
}

function attemptRecord(startedAt: Date, result: AttemptResult, webhook: WebhookRecord) {
	return {
		at: startedAt.toISOString(),
		statusCode: result.statusCode,
		durationMs: Math.round(result.durationMs * 10) / 10,
		error: scrubResponse(result.error, webhook),
		response: scrubResponse(result.response, webhook),
	};
}

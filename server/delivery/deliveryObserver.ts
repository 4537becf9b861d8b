/**
 * What the delivery worker tells the rest of the dispatcher as it works: every attempt, every
 * delivery that ends, and each change of a webhook's health. The worker only reports; what is
 * done with it (log lines, metrics, operational events) is the observer's business
 * (`services/operationsReporter.ts`), so the worker imports nothing above it.
 */
import type { DeliveryRecord, DeliveryStatus, DisabledReason, WebhookRecord } from '../store/types';
import type { FailureClass } from '../domain/failureClass';
import type { AttemptOutcome } from './retryPolicy';

export interface AttemptReport {
	webhook: WebhookRecord;
	/** The delivery as it was before this attempt. */
	delivery: DeliveryRecord;
	/** 1 for the first attempt. */
	attempt: number;
	/** `retry` only when another attempt is scheduled; a last retryable failure reads `failed`. */
	outcome: AttemptOutcome;
	failureClass: FailureClass | null;
	statusCode: number | null;
	/** Already scrubbed of the webhook's credentials. */
	error: string | null;
	durationMs: number;
	at: string;
	/** The delivery's state after the attempt. */
	status: DeliveryStatus;
	nextAttemptAt: string | null;
}

export interface DeliveryObserver {
	/** An attempt was sent and its result stored. */
	attempted(report: AttemptReport): void;
	/** A delivery failed without a request going out (its payload mapping or signing failed). */
	failedWithoutSending(delivery: DeliveryRecord, webhook: WebhookRecord | undefined, error: string): void;
	/** The first failed attempt after a success (or since the webhook was created). */
	webhookFailing(webhook: WebhookRecord, report: AttemptReport): void;
	/** A success after failures; `failingSince` is when they began. */
	webhookRecovered(webhook: WebhookRecord, failingSince: string, report: AttemptReport): void;
	/** The dispatcher (410, five days failing) or an admin (manual) turned the webhook off. */
	webhookDisabled(webhook: WebhookRecord, reason: DisabledReason, report?: AttemptReport): void;
}

/** Reports to nobody (tests that build a worker alone). */
export const SILENT_OBSERVER: DeliveryObserver = {
	attempted: () => undefined,
	failedWithoutSending: () => undefined,
	webhookFailing: () => undefined,
	webhookRecovered: () => undefined,
	webhookDisabled: () => undefined,
};

/**
 * Makes failure visible: what the delivery worker reports (and an admin's pause) becomes
 *   - a log line: one for each failed attempt (webhook, delivery id, status or error, next
 *     attempt), each exhausted delivery, each disable (why), each failing or recovered webhook;
 *   - metrics: attempts by outcome and failure class with their duration, deliveries finished;
 *   - operational events (`webhook.failing`, `webhook.recovered`, `webhook.disabled`,
 *     `delivery.exhausted`), routed like any event but never to the webhook they are about.
 *
 * A delivery that carried an operational event and failed emits no `delivery.exhausted` of its
 * own: two broken webhooks would otherwise report each other's reports for ever. Their health
 * still changes (failing, recovered, disabled), and that is emitted once per change.
 */
import { isOperationalEventType } from '../../core';
import type { JsonObject } from '../../core/types';
import type { AttemptReport, DeliveryObserver } from '../delivery/deliveryObserver';
import { failureClass } from '../domain/failureClass';
import type { Logger } from '../observability/logger';
import type { DispatcherMetrics } from '../observability/metrics';
import type { DeliveryRecord, DisabledReason, WebhookRecord } from '../store/types';

/** Emits one operational event (`EventService.emitOperational`). */
export type EmitOperational = (type: string, data: JsonObject) => Promise<unknown>;

const DISABLE_MESSAGES: Record<DisabledReason, string> = {
	manual: 'Paused by an admin: deliveries wait until the webhook is enabled again.',
	gone: 'The endpoint answered 410 Gone: no more deliveries until the webhook is enabled again.',
	failing: 'Every attempt failed for five days: no more deliveries until the webhook is enabled again.',
};

/** The webhook as operational events and log lines name it: never its URL or credentials. */
export function webhookSubject(webhook: WebhookRecord): JsonObject {
	let host = '';
	try {
		host = new URL(webhook.url).hostname;
	} catch {
		// an unparseable URL names no host
	}
	return { id: webhook.id, name: webhook.name, template: webhook.template, ...(host ? { host } : {}) };
}

function deliveryOf(delivery: DeliveryRecord, attempts: number): JsonObject {
	return {
		id: delivery.id,
		eventId: delivery.eventId,
		eventType: delivery.eventType,
		profileId: delivery.profileId,
		attemptCount: attempts,
	};
}

function failureOf(report: Pick<AttemptReport, 'failureClass' | 'statusCode' | 'error' | 'at'>): JsonObject {
	return { class: report.failureClass ?? 'other', statusCode: report.statusCode, error: report.error, at: report.at };
}

function outcomeText(report: Pick<AttemptReport, 'statusCode' | 'error'>): string {
	return report.statusCode !== null ? `HTTP ${report.statusCode}${report.error ? ` (${report.error})` : ''}` : (report.error ?? 'no answer');
}

export class OperationsReporter implements DeliveryObserver {
	constructor(
		private readonly log: Logger,
		private readonly metrics: DispatcherMetrics,
		private readonly emitEvent: EmitOperational,
	) {}

	attempted(report: AttemptReport): void {
		const { webhook, delivery } = report;
		this.metrics.attempt(report.outcome, report.failureClass, report.durationMs / 1000);
		if (report.status !== 'pending') this.metrics.deliveryFinished(report.status);
		const fields = {
			webhookId: webhook.id,
			webhookName: webhook.name,
			deliveryId: delivery.id,
			eventId: delivery.eventId,
			eventType: delivery.eventType,
			attempt: report.attempt,
			statusCode: report.statusCode,
			error: report.error,
			failureClass: report.failureClass,
			durationMs: report.durationMs,
			nextAttemptAt: report.nextAttemptAt,
		};
		if (report.outcome === 'succeeded') {
			this.log.debug({ event: 'delivery.attempt_succeeded', ...fields }, `delivery ${delivery.id} to webhook "${webhook.name}" succeeded`);
			return;
		}
		const next = report.nextAttemptAt ? `next attempt at ${report.nextAttemptAt}` : 'no more attempts';
		this.log.warn(
			{ event: 'delivery.attempt_failed', ...fields },
			`delivery ${delivery.id} to webhook "${webhook.name}" failed (attempt ${report.attempt}): ${outcomeText(report)}; ${next}`,
		);
		if (report.status === 'failed') this.exhausted(delivery, webhook, report.attempt, report);
	}

	failedWithoutSending(delivery: DeliveryRecord, webhook: WebhookRecord | undefined, error: string): void {
		this.metrics.deliveryFinished('failed');
		if (!webhook) return;
		const at = new Date().toISOString();
		this.exhausted(delivery, webhook, delivery.attemptCount + 1, { failureClass: failureClass({ statusCode: null, error }), statusCode: null, error, at });
	}

	webhookFailing(webhook: WebhookRecord, report: AttemptReport): void {
		this.log.warn(
			{ event: 'webhook.failing', webhookId: webhook.id, webhookName: webhook.name, deliveryId: report.delivery.id, failureClass: report.failureClass },
			`webhook "${webhook.name}" is failing: ${outcomeText(report)}`,
		);
		this.emit('webhook.failing', {
			webhook: webhookSubject(webhook),
			delivery: deliveryOf(report.delivery, report.attempt),
			failure: failureOf(report),
			failingSince: webhook.failingSince ?? report.at,
			occurredAt: report.at,
		});
	}

	webhookRecovered(webhook: WebhookRecord, failingSince: string, report: AttemptReport): void {
		const failingForSeconds = Math.max(0, (Date.parse(report.at) - Date.parse(failingSince)) / 1000);
		this.log.info(
			{ event: 'webhook.recovered', webhookId: webhook.id, webhookName: webhook.name, failingSince, failingForSeconds },
			`webhook "${webhook.name}" recovered after ${Math.round(failingForSeconds)} s of failures`,
		);
		this.emit('webhook.recovered', {
			webhook: webhookSubject(webhook),
			delivery: deliveryOf(report.delivery, report.attempt),
			failingSince,
			failingForSeconds,
			occurredAt: report.at,
		});
	}

	webhookDisabled(webhook: WebhookRecord, reason: DisabledReason, report?: AttemptReport): void {
		const message = DISABLE_MESSAGES[reason];
		this.log.warn(
			{ event: 'webhook.disabled', webhookId: webhook.id, webhookName: webhook.name, reason, statusCode: report?.statusCode ?? null },
			`webhook "${webhook.name}" disabled (${reason}): ${message}`,
		);
		this.emit('webhook.disabled', {
			webhook: webhookSubject(webhook),
			reason,
			message,
			...(report ? { failure: failureOf(report) } : {}),
			failingSince: webhook.failingSince,
			occurredAt: report?.at ?? new Date().toISOString(),
		});
	}

	private exhausted(
		delivery: DeliveryRecord,
		webhook: WebhookRecord,
		attempts: number,
		failure: Pick<AttemptReport, 'failureClass' | 'statusCode' | 'error' | 'at'>,
	): void {
		this.log.error(
			{
				event: 'delivery.exhausted',
				webhookId: webhook.id,
				webhookName: webhook.name,
				deliveryId: delivery.id,
				eventId: delivery.eventId,
				eventType: delivery.eventType,
				attempts,
				statusCode: failure.statusCode,
				error: failure.error,
				failureClass: failure.failureClass,
			},
			`delivery ${delivery.id} to webhook "${webhook.name}" failed for good after ${attempts} attempt${attempts === 1 ? '' : 's'}: ${outcomeText(failure)}`,
		);
		if (isOperationalEventType(delivery.eventType)) return;
		this.emit('delivery.exhausted', {
			webhook: webhookSubject(webhook),
			delivery: deliveryOf(delivery, attempts),
			failure: failureOf(failure),
			occurredAt: failure.at,
		});
	}

	private emit(type: string, data: JsonObject): void {
		this.metrics.operationalEvent(type);
		this.emitEvent(type, data).catch((error: unknown) => {
			this.log.error({ event: 'operational_event.not_stored', type, err: error }, `${type} could not be stored: ${(error as Error).message}`);
		});
	}
}

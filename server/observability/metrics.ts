/**
 * Prometheus metrics (prom-client), served at `GET /metrics`. One registry per dispatcher, so
 * several in one process (tests) do not mix. Every label has a closed set of values (an ingest
 * source's vendor, an outcome, a failure class, a webhook state): nothing per webhook, event or
 * tenant, so the number of series stays bounded however the dispatcher is used. Per-webhook
 * numbers are in `GET /v1/deliveries/summary`.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { PACKAGE_VERSION, VENDOR_NAMES } from '../../core';
import type { AttemptOutcome } from '../delivery/retryPolicy';
import type { FailureClass } from '../domain/failureClass';

/** Where an event came in: the admin API, or an ingest source of one vendor. */
export type IngestSource = 'api' | (typeof VENDOR_NAMES)[number];

export interface QueueStats {
	/** Deliveries not yet finished. */
	pending: number;
	/** Seconds since the oldest pending delivery was created (0 when none). */
	oldestPendingAgeSeconds: number;
}

export interface WebhookCounts {
	enabled: number;
	/** Paused by an admin (`disabledReason: manual`). */
	paused: number;
	/** Disabled by the dispatcher after a 410 Gone. */
	gone: number;
	/** Disabled by the dispatcher after five days of failures. */
	failing: number;
}

/** What the gauges read at scrape time. */
export interface MetricSources {
	queue(): QueueStats | Promise<QueueStats>;
	webhooks(): WebhookCounts | Promise<WebhookCounts>;
}

const PREFIX = 'mdm_dispatcher_';
/** Attempts: from a loopback answer (ms) to the 60 s timeout cap. */
const ATTEMPT_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
/** Store commits: group commits with an fdatasync, from sub-millisecond to a slow disk. */
const COMMIT_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

export class DispatcherMetrics {
	readonly registry = new Registry();
	readonly #eventsIngested: Counter<'source'>;
	readonly #deliveries: Counter<'outcome'>;
	readonly #attempts: Counter<'outcome' | 'failure_class'>;
	readonly #attemptDuration: Histogram<'outcome'>;
	readonly #storeCommit: Histogram;
	readonly #operationalEvents: Counter<'type'>;
	#sources: MetricSources | undefined;

	constructor(options: { processMetrics?: boolean } = {}) {
		const registers = [this.registry];
		if (options.processMetrics !== false) collectDefaultMetrics({ register: this.registry });
		new Gauge({ name: `${PREFIX}info`, help: 'The running version (always 1).', labelNames: ['version'], registers }).set(
			{ version: PACKAGE_VERSION },
			1,
		);
		this.#eventsIngested = new Counter({
			name: `${PREFIX}events_ingested_total`,
			help: 'Events accepted (stored), by where they came in: the admin API or the vendor of an ingest source.',
			labelNames: ['source'],
			registers,
		});
		this.#deliveries = new Counter({
			name: `${PREFIX}deliveries_total`,
			help: 'Deliveries finished, by outcome: succeeded, or failed for good.',
			labelNames: ['outcome'],
			registers,
		});
		this.#attempts = new Counter({
			name: `${PREFIX}delivery_attempts_total`,
			help: 'Delivery attempts sent, by outcome (succeeded, retry, failed, gone) and failure class.',
			labelNames: ['outcome', 'failure_class'],
			registers,
		});
		this.#attemptDuration = new Histogram({
			name: `${PREFIX}delivery_attempt_duration_seconds`,
			help: 'Wall time of one delivery attempt, from connect to the end of the answer.',
			labelNames: ['outcome'],
			buckets: ATTEMPT_BUCKETS,
			registers,
		});
		this.#storeCommit = new Histogram({
			name: `${PREFIX}store_commit_duration_seconds`,
			help: 'Time for a write to reach the disk (a group commit, with its fsync), as the writer waits for it.',
			buckets: COMMIT_BUCKETS,
			registers,
		});
		this.#operationalEvents = new Counter({
			name: `${PREFIX}operational_events_total`,
			help: 'Operational events the dispatcher emitted (webhook.failing, webhook.recovered, webhook.disabled, delivery.exhausted).',
			labelNames: ['type'],
			registers,
		});
		const sources = () => this.#sources;
		const pending = new Gauge({
			name: `${PREFIX}queue_depth`,
			help: 'Deliveries pending (waiting for their next attempt, or for a paused webhook).',
			registers,
			async collect() {
				const stats = await sources()?.queue();
				if (stats) pending.set(stats.pending);
			},
		});
		const oldest = new Gauge({
			name: `${PREFIX}queue_oldest_pending_age_seconds`,
			help: 'Age of the oldest pending delivery (0 when the queue is empty).',
			registers,
			async collect() {
				const stats = await sources()?.queue();
				if (stats) oldest.set(stats.oldestPendingAgeSeconds);
			},
		});
		const webhooks = new Gauge({
			name: `${PREFIX}webhooks`,
			help: 'Webhooks by state: enabled, paused by an admin, disabled after a 410 (gone) or after five days of failures (failing).',
			labelNames: ['state'],
			registers,
			async collect() {
				const counts = await sources()?.webhooks();
				if (!counts) return;
				for (const state of ['enabled', 'paused', 'gone', 'failing'] as const) webhooks.set({ state }, counts[state]);
			},
		});
		// Every labelled series exists from the start, at 0, so rates work from the first scrape.
		for (const source of ['api', ...VENDOR_NAMES]) this.#eventsIngested.inc({ source }, 0);
		for (const outcome of ['succeeded', 'failed']) this.#deliveries.inc({ outcome }, 0);
	}

	/** The gauges' data; set once the store and worker exist. */
	setSources(sources: MetricSources): void {
		this.#sources = sources;
	}

	eventIngested(source: IngestSource, count = 1): void {
		this.#eventsIngested.inc({ source }, count);
	}

	attempt(outcome: AttemptOutcome, failureClass: FailureClass | null, seconds: number): void {
		this.#attempts.inc({ outcome, failure_class: failureClass ?? 'none' });
		this.#attemptDuration.observe({ outcome }, seconds);
	}

	deliveryFinished(outcome: 'succeeded' | 'failed'): void {
		this.#deliveries.inc({ outcome });
	}

	storeCommit(seconds: number): void {
		this.#storeCommit.observe(seconds);
	}

	operationalEvent(type: string): void {
		this.#operationalEvents.inc({ type });
	}

	/** The text exposition format and its content type. */
	async render(): Promise<{ contentType: string; body: string }> {
		return { contentType: this.registry.contentType, body: await this.registry.metrics() };
	}
}

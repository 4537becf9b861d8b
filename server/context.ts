/** The parts of a running dispatcher that request handlers use. */
import type { AddressGuard } from './delivery/addressGuard';
import type { HttpSender } from './delivery/httpClient';
import type { DeliveryWorker } from './delivery/worker';
import type { Logger } from './observability/logger';
import type { DispatcherMetrics } from './observability/metrics';
import type { DeliveryService } from './services/deliveryService';
import type { JsonataPool } from './mapping/jsonataPool';
import type { EventService } from './services/eventService';
import type { ProfileService } from './services/profileService';
import type { SessionStore } from './http/session';
import type { SourceIngestService } from './services/sourceIngestService';
import type { SourceService } from './services/sourceService';
import type { WebhookService } from './services/webhookService';
import type { StoreBackend } from './store/ports/backend';

export interface DispatcherContext {
	backend: StoreBackend;
	guard: AddressGuard;
	client: HttpSender;
	worker: DeliveryWorker;
	/** Where profiles' JSONata runs: worker threads with a hard deadline. */
	jsonata: JsonataPool;
	webhooks: WebhookService;
	profiles: ProfileService;
	events: EventService;
	deliveries: DeliveryService;
	sources: SourceService;
	sourceIngest: SourceIngestService;
	/** `DISPATCHER_PUBLIC_URL`: the origin ingest URLs are built with (else the request's). */
	publicUrl: string | null;
	/** sha256 of the admin API key (kept current when another instance changes it). */
	apiKeyHash: () => string;
	/** The web console's signed-in sessions (in memory). */
	sessions: SessionStore;
	/** The structured log (pino). */
	logger: Logger;
	metrics: DispatcherMetrics;
	/** `DISPATCHER_METRICS_TOKEN`: reads `/metrics` only (the API key does too). */
	metricsToken: string | null;
}

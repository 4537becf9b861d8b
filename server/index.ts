/**
 * Starting and stopping a dispatcher: backend, worker, HTTP server, retention. `main.ts` calls
 * this with settings from the environment; tests and the node pack's tests call it directly.
 */
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { PACKAGE_VERSION, precompileEventValidators } from '../core';
import { createApp } from './app';
import { DEFAULT_SETTINGS, type DispatcherSettings } from './config';
import type { DispatcherContext } from './context';
import { AddressGuard, type HostResolver } from './delivery/addressGuard';
import { DeliveryHttpClient, type HttpSender } from './delivery/httpClient';
import { ThreadedHttpClient } from './delivery/threadedHttpClient';
import { DeliveryWorker } from './delivery/worker';
import { digestSecret } from './domain/secretDigest';
import { DeliveryService } from './services/deliveryService';
import { fromDomain } from './http/errors';
import { SessionStore } from './http/session';
import { JsonataPool } from './mapping/jsonataPool';
import { type Logger, createLogger } from './observability/logger';
import { DispatcherMetrics } from './observability/metrics';
import { EventService } from './services/eventService';
import { OperationsReporter } from './services/operationsReporter';
import { ProfileService } from './services/profileService';
import { SourceIngestService } from './services/sourceIngestService';
import { SourceService } from './services/sourceService';
import { WebhookService } from './services/webhookService';
import type { StoreFiles } from './store/lowdb/files';
import { openBackend } from './store/openBackend';

export interface StartOptions extends Partial<Omit<DispatcherSettings, 'dataFile' | 'apiKey'>> {
	/** The lowdb file (ignored with `databaseUrl`). */
	dataFile: string;
	/** When absent, the stored key stays; on a first start one is generated (see `generatedApiKey`). */
	apiKey?: string | null;
	/** Bytes of journal before compaction (tests use small values). */
	compactAfterBytes?: number;
	/** How destination hostnames resolve (default: the system resolver). */
	resolver?: HostResolver;
	/** The store's file layer (default: the disk; fault tests pass one whose writes fail). */
	storeFiles?: StoreFiles;
	/** Where log lines go (default: a logger on stdout at `logLevel`). */
	logger?: Logger;
}

export interface RunningDispatcher {
	baseUrl: string;
	port: number;
	/** Set only when this start generated the admin key: print it once, it is not stored. */
	generatedApiKey: string | null;
	context: DispatcherContext;
	close(): Promise<void>;
}

const PRUNE_INTERVAL_MS = 60 * 60 * 1000;

export async function startDispatcher(options: StartOptions): Promise<RunningDispatcher> {
	const { resolver: _resolver, compactAfterBytes: _compact, storeFiles: _files, logger: givenLogger, ...rest } = options;
	const settings = { ...DEFAULT_SETTINGS, ...withoutUndefined(rest) };
	const logger =
		givenLogger ??
		createLogger({
			level: settings.logLevel,
			format: settings.logFormat,
			knownSecrets: [options.apiKey ?? '', settings.metricsToken ?? ''],
		});
	const metrics = new DispatcherMetrics();
	const backend = await openBackend({
		databaseUrl: settings.databaseUrl,
		dataFile: options.dataFile,
		syncWrites: settings.syncWrites,
		compactAfterBytes: options.compactAfterBytes,
		files: options.storeFiles,
		onCommit: (seconds) => metrics.storeCommit(seconds),
	});
	const { config, log, queue } = backend;

	let generatedApiKey: string | null = null;
	const meta = await config.getMeta();
	if (options.apiKey) {
		const hash = digestSecret(options.apiKey);
		if (meta.apiKeyHash !== hash) await config.setApiKeyHash(hash);
	} else if (!meta.apiKeyHash) {
		generatedApiKey = `mdk_${randomBytes(24).toString('base64url')}`;
		await config.setApiKeyHash(digestSecret(generatedApiKey));
	}
	let apiKeyHash = (await config.getMeta()).apiKeyHash ?? '';
	const stopWatchingKey = config.onChange((change) => {
		if (change.kind !== 'meta') return;
		void config.getMeta().then((current) => (apiKeyHash = current.apiKeyHash ?? ''));
	});

	// Compile every event type's validator now rather than on the first request of each type.
	precompileEventValidators();

	const retentionMs = settings.logRetentionDays * 24 * 60 * 60 * 1000;
	const prune = () => log.prune(new Date(Date.now() - retentionMs).toISOString());
	await prune();

	const guard = new AddressGuard({
		allowHttp: settings.allowHttp,
		allowedCidrs: settings.allowedCidrs,
		resolver: options.resolver,
	});
	// An injected resolver (tests) is a function of this thread: its sends stay here too.
	let client: HttpSender;
	if (settings.sendThreads > 0 && !options.resolver) {
		const threaded = new ThreadedHttpClient({ allowHttp: settings.allowHttp, allowedCidrs: settings.allowedCidrs }, settings.sendThreads);
		await threaded.start();
		client = threaded;
	} else {
		client = new DeliveryHttpClient({ guard });
	}
	const jsonata = new JsonataPool();
	const usesJsonata =
		(await config.listProfiles()).some((profile) => profile.condition || profile.payload) ||
		(await config.listSources()).some((source) => source.mapping);
	if (usesJsonata) jsonata.warm();
	// The reporter emits operational events through the event service.
	let events: EventService | undefined;
	const reporter = new OperationsReporter(logger, metrics, (type, data) =>
		events ? events.emitOperational(type, data) : Promise.reject(new Error('not started')),
	);
	const worker = new DeliveryWorker({
		config,
		queue,
		rateLimiter: backend.rateLimiter,
		client,
		jsonata,
		retryScheduleSeconds: settings.retryScheduleSeconds,
		leaseMs: settings.leaseSeconds * 1000,
		observer: reporter,
	});
	events = new EventService(config, queue, jsonata, metrics);
	const context: DispatcherContext = {
		backend,
		guard,
		client,
		worker,
		jsonata,
		webhooks: new WebhookService(config, guard, client, reporter),
		profiles: new ProfileService(config, jsonata),
		events,
		deliveries: new DeliveryService(log, queue),
		sources: new SourceService(config),
		sourceIngest: new SourceIngestService(config, events, jsonata, logger, fromDomain),
		publicUrl: settings.publicUrl ? settings.publicUrl.replace(/\/+$/, '') : null,
		apiKeyHash: () => apiKeyHash,
		sessions: new SessionStore(),
		logger,
		metrics,
		metricsToken: settings.metricsToken,
	};
	metrics.setSources({
		queue: async () => {
			const { pending, oldestCreatedAt } = await queue.pendingStats();
			const age = oldestCreatedAt === null ? 0 : Math.max(0, (Date.now() - Date.parse(oldestCreatedAt)) / 1000);
			return { pending, oldestPendingAgeSeconds: age };
		},
		webhooks: async () => {
			const counts = { enabled: 0, paused: 0, gone: 0, failing: 0 };
			for (const webhook of await config.listWebhooks()) {
				if (webhook.enabled) counts.enabled++;
				else if (webhook.disabledReason === 'gone') counts.gone++;
				else if (webhook.disabledReason === 'failing') counts.failing++;
				else counts.paused++;
			}
			return counts;
		},
	});
	worker.start();

	const server = createApp(context).listen(settings.port, settings.host);
	try {
		await new Promise<void>((resolve, reject) => {
			server.once('listening', resolve);
			server.once('error', reject);
		});
	} catch (error) {
		// Not listening (the port is taken): stop what started, so nothing keeps the process alive.
		await worker.stop();
		await Promise.all([jsonata.close(), client.close()]);
		await backend.close();
		throw error;
	}
	server.keepAliveTimeout = 65_000;
	const pruneTimer = setInterval(() => void prune().catch(() => undefined), PRUNE_INTERVAL_MS);
	pruneTimer.unref();

	const { port } = server.address() as AddressInfo;
	const host = settings.host.includes(':') ? `[${settings.host}]` : settings.host;
	const baseUrl = `http://${host}:${port}`;
	logger.info(
		{
			event: 'dispatcher.started',
			url: baseUrl,
			version: PACKAGE_VERSION,
			backend: backend.kind,
			...(backend.kind === 'lowdb' ? { dataFile: options.dataFile } : {}),
			pending: (await queue.pendingStats()).pending,
		},
		`dispatcher ${PACKAGE_VERSION} listening on ${baseUrl}`,
	);
	return {
		baseUrl,
		port,
		generatedApiKey,
		context,
		async close() {
			const startedAt = Date.now();
			logger.info({ event: 'dispatcher.stopping' }, 'stopping: finishing in-flight deliveries');
			clearInterval(pruneTimer);
			stopWatchingKey();
			await closeServer(server);
			await worker.stop();
			await jsonata.close();
			await client.close();
			await backend.close();
			logger.info({ event: 'dispatcher.stopped', durationMs: Date.now() - startedAt }, 'stopped');
		},
	};
}

function closeServer(server: Server): Promise<void> {
	return new Promise((resolve) => {
		server.close(() => resolve());
		server.closeIdleConnections();
		// Connections still busy after a grace period are cut: shutdown must not hang on a client.
		setTimeout(() => server.closeAllConnections(), 2000).unref();
	});
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
	return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Dispatcher settings, read once from the environment (see README and SPEC "Start and settings"). */
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_RETRY_SCHEDULE_SECONDS, parseRetrySchedule } from './delivery/retryPolicy';
import { type LogFormat, type LogLevel, logSettingsFromEnv } from './observability/logger';

export interface DispatcherSettings {
	host: string;
	port: number;
	/** Path of the lowdb file; journal and log archive sit beside it. */
	dataFile: string;
	/** Admin API key given by the operator; when null one is generated on first start. */
	apiKey: string | null;
	allowHttp: boolean;
	allowedCidrs: string[];
	retryScheduleSeconds: number[];
	logRetentionDays: number;
	/** fdatasync every group commit; only tests turn it off. */
	syncWrites: boolean;
	/** `postgres://…`: the shared PostgreSQL backend instead of the lowdb files. */
	databaseUrl: string | null;
	/** How long a claimed delivery stays leased to a worker that stops renewing it (it died). */
	leaseSeconds: number;
	/** The origin MDMs reach the dispatcher at, for ingest URLs (`DISPATCHER_PUBLIC_URL`); null: the request's. */
	publicUrl: string | null;
	/** `DISPATCHER_LOG_LEVEL`: fatal, error, warn, info (default), debug, trace or silent. */
	logLevel: LogLevel;
	/** `DISPATCHER_LOG_FORMAT`: json or pretty; default pretty on a terminal, else JSON. */
	logFormat?: LogFormat;
	/** `DISPATCHER_METRICS_TOKEN`: a bearer token that reads `/metrics` (and nothing else). */
	metricsToken: string | null;
	/**
	 * `DISPATCHER_SEND_THREADS`: worker threads that send deliveries' HTTP requests; 0 sends them
	 * from the main thread. Default: one per core beyond the first, at most 4.
	 */
	sendThreads: number;
}

export const DEFAULT_SETTINGS: Omit<DispatcherSettings, 'dataFile' | 'apiKey'> = {
	host: '127.0.0.1',
	port: 8787,
	allowHttp: false,
	allowedCidrs: [],
	retryScheduleSeconds: [...DEFAULT_RETRY_SCHEDULE_SECONDS],
	logRetentionDays: 30,
	syncWrites: true,
	databaseUrl: null,
	leaseSeconds: 30,
	publicUrl: null,
	logLevel: 'info',
	metricsToken: null,
	sendThreads: Math.min(4, Math.max(0, os.availableParallelism() - 1)),
};

export function settingsFromEnv(env: NodeJS.ProcessEnv = process.env): DispatcherSettings {
	return {
		host: env.HOST ?? DEFAULT_SETTINGS.host,
		port: parseInteger('PORT', env.PORT, DEFAULT_SETTINGS.port, 0, 65535),
		dataFile: path.resolve(env.DISPATCHER_DATA ?? './data/dispatcher.json'),
		apiKey: env.DISPATCHER_API_KEY && env.DISPATCHER_API_KEY.length > 0 ? env.DISPATCHER_API_KEY : null,
		allowHttp: env.DISPATCHER_ALLOW_HTTP === 'true',
		allowedCidrs: (env.DISPATCHER_ALLOWED_CIDRS ?? '')
			.split(',')
			.map((cidr) => cidr.trim())
			.filter((cidr) => cidr.length > 0),
		retryScheduleSeconds: env.DISPATCHER_RETRY_SCHEDULE
			? parseRetrySchedule(env.DISPATCHER_RETRY_SCHEDULE)
			: [...DEFAULT_SETTINGS.retryScheduleSeconds],
		logRetentionDays: parseInteger(
			'DISPATCHER_LOG_RETENTION_DAYS',
			env.DISPATCHER_LOG_RETENTION_DAYS,
			DEFAULT_SETTINGS.logRetentionDays,
			1,
			3650,
		),
		syncWrites: env.DISPATCHER_SYNC_WRITES !== 'false',
		databaseUrl: parseDatabaseUrl(env.DISPATCHER_DATABASE_URL),
		leaseSeconds: parseInteger('DISPATCHER_LEASE_SECONDS', env.DISPATCHER_LEASE_SECONDS, DEFAULT_SETTINGS.leaseSeconds, 1, 3600),
		publicUrl: parsePublicUrl(env.DISPATCHER_PUBLIC_URL),
		...logFormatAndLevel(env),
		metricsToken: env.DISPATCHER_METRICS_TOKEN && env.DISPATCHER_METRICS_TOKEN.length > 0 ? env.DISPATCHER_METRICS_TOKEN : null,
		sendThreads: parseInteger('DISPATCHER_SEND_THREADS', env.DISPATCHER_SEND_THREADS, DEFAULT_SETTINGS.sendThreads, 0, 16),
	};
}

function logFormatAndLevel(env: NodeJS.ProcessEnv): { logLevel: LogLevel; logFormat?: LogFormat } {
	const { level, format } = logSettingsFromEnv(env);
	return { logLevel: level, ...(format ? { logFormat: format } : {}) };
}

function parsePublicUrl(value: string | undefined): string | null {
	if (value === undefined || value.trim() === '') return null;
	let url: URL;
	try {
		url = new URL(value.trim());
	} catch {
		throw new Error(`DISPATCHER_PUBLIC_URL must be an http(s) URL, got "${value}"`);
	}
	if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('DISPATCHER_PUBLIC_URL must be an http(s) URL');
	return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

function parseInteger(name: string, value: string | undefined, fallback: number, min: number, max: number): number {
	if (value === undefined || value === '') return fallback;
	const parsed = Number(value);
	if (!Number.isInteger(parsed) || parsed < min || parsed > max) {
		throw new Error(`${name} must be an integer from ${min} to ${max}, got "${value}"`);
	}
	return parsed;
}

function parseDatabaseUrl(value: string | undefined): string | null {
	if (value === undefined || value.trim() === '') return null;
	if (!/^postgres(ql)?:\/\//.test(value.trim())) {
		throw new Error('DISPATCHER_DATABASE_URL must be a postgres:// or postgresql:// URL');
	}
	return value.trim();
}

/**
 * The dispatcher's structured log: pino, one JSON object per line on stdout (what log shippers
 * want), or pino-pretty's readable lines when stdout is a terminal. The level comes from
 * `DISPATCHER_LOG_LEVEL`.
 *
 * Secrets are removed by the logger itself, whatever a call site passes: fields named like a
 * credential (`secret`, `password`, `token`, `authorization`, `apiKey`, …) are censored by pino's
 * `redact`, and every string that goes out (the message and each string field) is scrubbed of
 * signing secrets (`whsec_…`, `whsk_…`), generated API keys (`mdk_…`), `Bearer`/`Basic`
 * credentials and the exact values of the secrets the dispatcher was configured with.
 */
import pino, { type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import pretty from 'pino-pretty';
import { MASK } from '../../core';

export type { Logger } from 'pino';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export type LogFormat = 'json' | 'pretty';

export interface LoggerSettings {
	level: LogLevel;
	/** Default: pretty when stdout is a terminal, else JSON. */
	format?: LogFormat;
	/** Secret values to scrub wherever they appear (the admin API key, the metrics token). */
	knownSecrets?: readonly string[];
	/** Where lines go (tests); default stdout. */
	destination?: DestinationStream;
}

/** Field names whose value is a credential, at any of the first three levels. */
const SECRET_FIELDS = ['secret', 'previousSecret', 'password', 'token', 'apiKey', 'authorization', 'cookie', 'signingSecret'];
export const REDACT_PATHS: readonly string[] = SECRET_FIELDS.flatMap((field) => [field, `*.${field}`, `*.*.${field}`]);

const SECRET_PATTERNS: readonly [RegExp, string][] = [
	[/\b(whsec_|whsk_|mdk_)[A-Za-z0-9+/=_-]+/g, `$1${MASK}`],
	[/\b(Bearer|Basic)\s+[A-Za-z0-9+/=._~-]+/gi, `$1 ${MASK}`],
];

/** `text` with every secret pattern and every known secret value masked. */
export function scrubSecrets(text: string, knownSecrets: readonly string[] = []): string {
	let out = text;
	for (const [pattern, replacement] of SECRET_PATTERNS) out = out.replace(pattern, replacement);
	for (const secret of knownSecrets) if (secret.length >= 8) out = out.split(secret).join(MASK);
	return out;
}

function scrubValue(value: unknown, knownSecrets: readonly string[], depth = 0): unknown {
	if (typeof value === 'string') return scrubSecrets(value, knownSecrets);
	if (depth > 4 || value === null || typeof value !== 'object') return value;
	if (value instanceof Error) {
		const copy = new Error(scrubSecrets(value.message, knownSecrets));
		copy.name = value.name;
		copy.stack = value.stack === undefined ? undefined : scrubSecrets(value.stack, knownSecrets);
		return copy;
	}
	if (Array.isArray(value)) return value.map((item) => scrubValue(item, knownSecrets, depth + 1));
	return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, scrubValue(item, knownSecrets, depth + 1)]));
}

export function createLogger(settings: LoggerSettings): Logger {
	const knownSecrets = (settings.knownSecrets ?? []).filter((secret) => secret.length > 0);
	const options: LoggerOptions = {
		level: settings.level,
		base: { service: 'mdm-dispatcher' },
		timestamp: pino.stdTimeFunctions.isoTime,
		redact: { paths: [...REDACT_PATHS], censor: MASK },
		formatters: {
			level: (label) => ({ level: label }),
			log: (object) => scrubValue(object, knownSecrets) as Record<string, unknown>,
		},
		hooks: {
			logMethod(args, method) {
				const scrubbed = args.map((arg) => (typeof arg === 'string' ? scrubSecrets(arg, knownSecrets) : arg));
				return method.apply(this, scrubbed as Parameters<typeof method>);
			},
		},
	};
	const format = settings.format ?? (process.stdout.isTTY ? 'pretty' : 'json');
	if (settings.destination) return pino(options, settings.destination);
	if (format === 'pretty') {
		return pino(options, pretty({ colorize: true, sync: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname,service' }));
	}
	return pino(options, pino.destination({ dest: 1, sync: true }));
}

/** Reads `DISPATCHER_LOG_LEVEL` / `DISPATCHER_LOG_FORMAT`; throws naming the variable on a bad value. */
export function logSettingsFromEnv(env: NodeJS.ProcessEnv): { level: LogLevel; format?: LogFormat } {
	const level = (env.DISPATCHER_LOG_LEVEL ?? 'info').trim().toLowerCase();
	if (!(LOG_LEVELS as readonly string[]).includes(level)) {
		throw new Error(`DISPATCHER_LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${env.DISPATCHER_LOG_LEVEL}"`);
	}
	const format = env.DISPATCHER_LOG_FORMAT?.trim().toLowerCase();
	if (format !== undefined && format !== '' && format !== 'json' && format !== 'pretty') {
		throw new Error(`DISPATCHER_LOG_FORMAT must be json or pretty, got "${env.DISPATCHER_LOG_FORMAT}"`);
	}
	return { level: level as LogLevel, ...(format ? { format: format as LogFormat } : {}) };
}

/**
 * Sends one delivery attempt over undici, with a keep-alive pool per origin, and turns whatever
 * happens into an AttemptResult: the worker loop records it and never has to catch.
 */
import { performance } from 'node:perf_hooks';
import { setImmediate as nextLoopTurn } from 'node:timers/promises';
import { Agent } from 'undici';
import type { OutboundRequest } from '../../core/types';
import { DestinationRefusedError, type AddressGuard } from './addressGuard';

export interface AttemptResult {
	/** null when no response arrived (network error, timeout, refused destination). */
	statusCode: number | null;
	/** Wall time of the attempt in ms, with decimals. */
	durationMs: number;
	error: string | null;
	/** Response body as text, truncated to 4 KiB on a UTF-8 character boundary. */
	response: string | null;
	/** Parsed Retry-After in seconds, null when absent or invalid. */
	retryAfterSeconds: number | null;
	/** True when the guard refused the destination (nothing was sent); such attempts are not retried. */
	refused?: boolean;
}

/**
 * What sends a delivery's request: `DeliveryHttpClient` on the calling thread, or
 * `ThreadedHttpClient` in send threads. Never throws.
 */
export interface HttpSender {
	send(req: OutboundRequest, timeoutSeconds: number): Promise<AttemptResult>;
	/** Lets sends in flight finish and closes every connection; calling it again is harmless. */
	close(): Promise<void>;
}

export interface DeliveryHttpClientOptions {
	guard: AddressGuard;
	/** Concurrent connections per origin (default 16). */
	connectionsPerOrigin?: number;
	/** Bytes of response body kept (default 4096). */
	maxResponseBytes?: number;
}

/** `timeoutSeconds: 0` means "no timeout of its own"; nothing runs longer than this. */
export const MAX_TIMEOUT_SECONDS = 60;
export const DEFAULT_MAX_RESPONSE_BYTES = 4096;
/**
 * Bodies are read past the kept bytes and discarded so the socket can be reused, but only this
 * far: beyond it, closing the connection is cheaper than draining it.
 */
const DRAIN_LIMIT_BYTES = 1024 * 1024;
/** Destinations whose check and parse are kept (a dispatcher sends to one URL per webhook). */
const KNOWN_URLS = 1024;

/** What `send` needs of a URL: the guard's verdict on it, and where the request goes. */
type Destination = { refusal: string } | { refusal: null; origin: string; path: string };

/** A destination that does not accept a TCP/TLS connection within this is down. */
const CONNECT_TIMEOUT_MS = 10_000;

const NETWORK_ERRORS: Record<string, string> = {
	ECONNREFUSED: 'connection refused',
	ECONNRESET: 'connection reset by peer',
	EPIPE: 'connection closed by peer',
	UND_ERR_SOCKET: 'connection closed by peer',
	UND_ERR_CONNECT_TIMEOUT: `connect timeout after ${CONNECT_TIMEOUT_MS / 1000} s`,
	ETIMEDOUT: 'connect timeout',
	EHOSTUNREACH: 'host unreachable',
	ENETUNREACH: 'network unreachable',
	ENOTFOUND: 'host not found',
	EAI_AGAIN: 'DNS lookup failed (temporary)',
};

export class DeliveryHttpClient implements HttpSender {
	readonly #guard: AddressGuard;
	readonly #agent: Agent;
	readonly #maxResponseBytes: number;
	readonly #destinations = new Map<string, Destination>();
	#closing: Promise<void> | undefined;

	constructor(options: DeliveryHttpClientOptions) {
		this.#guard = options.guard;
		this.#maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
		this.#agent = new Agent({
			connections: options.connectionsPerOrigin ?? 16,
			pipelining: 1,
			// HTTP/1.1 only: one predictable pool of `connections` sockets per origin.
			allowH2: false,
			keepAliveTimeout: 10_000,
			keepAliveMaxTimeout: 60_000,
			// Backstops only: `send` sets both per request from the webhook's timeout.
			headersTimeout: MAX_TIMEOUT_SECONDS * 1000,
			bodyTimeout: MAX_TIMEOUT_SECONDS * 1000,
			// Every new connection resolves through the guard, which is what catches DNS rebinding.
			// Node skips `lookup` for IP literals; `send` refuses those before dispatching.
			connect: { lookup: this.#guard.lookup, timeout: CONNECT_TIMEOUT_MS },
		});
	}

	/**
	 * Sends exactly `req.body` with `req.headers`, never following redirects (a 3xx is an ordinary
	 * non-2xx status). Never throws.
	 */
	async send(req: OutboundRequest, timeoutSeconds: number): Promise<AttemptResult> {
		const started = performance.now();
		const elapsed = () => Math.round((performance.now() - started) * 1000) / 1000;
		const seconds = timeoutSeconds > 0 ? Math.min(timeoutSeconds, MAX_TIMEOUT_SECONDS) : MAX_TIMEOUT_SECONDS;
		const timeoutMessage = `timeout after ${seconds} s`;

		// The scheme and literal addresses are checked before sending, not only when the URL was
		// saved: settings may have changed since, and literals never pass through the guard's `lookup`.
		const destination = this.#destination(req.url);
		if (destination.refusal !== null) return refusedResult(destination.refusal, elapsed());

		const controller = new AbortController();
		const timer = setTimeout(() => controller.abort(), seconds * 1000);
		let statusCode: number | null = null;
		let retryAfterSeconds: number | null = null;
		const kept: Buffer[] = [];
		let keptBytes = 0;
		try {
			const res = await this.#agent.request({
				origin: destination.origin,
				path: destination.path,
				method: req.method,
				headers: req.headers,
				body: req.body,
				signal: controller.signal,
				headersTimeout: seconds * 1000,
				bodyTimeout: seconds * 1000,
			});
			statusCode = res.statusCode;
			retryAfterSeconds = parseRetryAfter(res.headers['retry-after']);
			let readBytes = 0;
			for await (const chunk of res.body as AsyncIterable<Buffer>) {
				readBytes += chunk.length;
				// One byte past the limit shows whether the cut falls inside a UTF-8 character.
				if (keptBytes <= this.#maxResponseBytes) {
					const part = chunk.subarray(0, this.#maxResponseBytes + 1 - keptBytes);
					kept.push(part);
					keptBytes += part.length;
				}
				if (readBytes > DRAIN_LIMIT_BYTES) {
					res.body.destroy();
					break;
				}
			}
			const result: AttemptResult = {
				statusCode,
				durationMs: elapsed(),
				error: null,
				response: truncateUtf8(Buffer.concat(kept), this.#maxResponseBytes),
				retryAfterSeconds,
			};
			// undici frees a keep-alive socket one event-loop turn after the response ends (it checks
			// that the server did not close it); waiting that turn lets the caller's next send reuse
			// the socket instead of opening a second one.
			await nextLoopTurn();
			return result;
		} catch (error) {
			if (findRefusal(error)) return refusedResult(findRefusal(error)?.message ?? '', elapsed());
			const timedOut = controller.signal.aborted || isTimeoutCode(errorCode(error));
			return {
				// A status line that arrived stays the receiver's answer even if its body did not.
				statusCode,
				durationMs: elapsed(),
				error: timedOut ? timeoutMessage : describeError(error),
				response: statusCode === null ? null : truncateUtf8(Buffer.concat(kept), this.#maxResponseBytes),
				retryAfterSeconds,
			};
		} finally {
			clearTimeout(timer);
		}
	}

	/** The guard's verdict on `url` and its parts, computed once per URL (the guard's settings are fixed). */
	#destination(url: string): Destination {
		let known = this.#destinations.get(url);
		if (known === undefined) {
			const refusal = this.#guard.checkUrlSyntax(url);
			if (refusal !== null) known = { refusal };
			else {
				const parsed = new URL(url);
				known = { refusal: null, origin: parsed.origin, path: `${parsed.pathname}${parsed.search}` };
			}
			if (this.#destinations.size >= KNOWN_URLS) this.#destinations.delete(this.#destinations.keys().next().value as string);
			this.#destinations.set(url, known);
		}
		return known;
	}

	/** Closes every pooled connection once in-flight requests finish; calling it again is harmless. */
	close(): Promise<void> {
		this.#closing ??= this.#agent.close();
		return this.#closing;
	}
}

/** An attempt that got no response because it never left (refused here, or a sender stopping). */
export function unsentResult(error: string, durationMs = 0): AttemptResult {
	return { statusCode: null, durationMs, error, response: null, retryAfterSeconds: null };
}

function refusedResult(message: string, durationMs: number): AttemptResult {
	return { ...unsentResult(`destination refused: ${message}`, durationMs), refused: true };
}

/** Errors reach us wrapped (AggregateError from happy-eyeballs, `cause` chains); look inside. */
function findRefusal(error: unknown, depth = 0): DestinationRefusedError | null {
	if (error instanceof DestinationRefusedError) return error;
	if (depth > 4 || typeof error !== 'object' || error === null) return null;
	const nested = [
		(error as { cause?: unknown }).cause,
		...(error instanceof AggregateError ? (error.errors as unknown[]) : []),
	];
	for (const inner of nested) {
		const found = findRefusal(inner, depth + 1);
		if (found) return found;
	}
	return null;
}

function errorCode(error: unknown): string | undefined {
	let current: unknown = error;
	for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
		const code = (current as { code?: unknown }).code;
		if (typeof code === 'string') return code;
		current = (current as { cause?: unknown }).cause;
	}
	return undefined;
}

function isTimeoutCode(code: string | undefined): boolean {
	return code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT';
}

function describeError(error: unknown): string {
	const code = errorCode(error);
	if (code && code in NETWORK_ERRORS) return NETWORK_ERRORS[code] as string;
	const message = error instanceof Error ? error.message : String(error);
	if (code && (/CERT|TLS|SSL/.test(code) || code.startsWith('ERR_SSL'))) return `TLS error: ${message} (${code})`;
	return code ? `${message} (${code})` : message;
}

/** Cuts at `maxBytes` without splitting a UTF-8 character. */
export function truncateUtf8(bytes: Buffer, maxBytes: number): string {
	if (bytes.length <= maxBytes) return bytes.toString('utf8');
	let cut = maxBytes;
	// Step back over continuation bytes (10xxxxxx) to the start of the character that straddles the cut.
	while (cut > 0 && ((bytes[cut] as number) & 0xc0) === 0x80) cut--;
	return bytes.subarray(0, cut).toString('utf8');
}

/**
 * Retry-After as seconds from now: delta-seconds or an HTTP-date (a past date gives 0). null when
 * absent or unparseable.
 */
export function parseRetryAfter(value: string | string[] | undefined, nowMs: number = Date.now()): number | null {
	const text = (Array.isArray(value) ? value[0] : value)?.trim();
	if (!text) return null;
	if (/^\d+$/.test(text)) return Number(text);
	// All three HTTP-date forms start with a day name; without this test Date.parse('1.5') is a date.
	if (!/^(Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*,? /i.test(text)) return null;
	const at = Date.parse(text);
	if (Number.isNaN(at)) return null;
	return Math.max(0, Math.ceil((at - nowMs) / 1000));
}

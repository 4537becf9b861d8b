/**
 * The console's only way to the dispatcher: same-origin `fetch` to `/v1`, authenticated by the
 * HttpOnly session cookie (the browser sends it; scripts cannot read it). Every request carries
 * the `X-MDM-Console` header that cookie-authenticated changes need (CSRF rule).
 */
import type { ErrorBody, FieldError } from './types';

export class ApiFailure extends Error {
	constructor(
		readonly status: number,
		readonly code: string,
		message: string,
		readonly details: FieldError[],
		/** The whole `error` object (e.g. `profiles` of `webhook_in_use`, `test` of `webhook_test_failed`). */
		readonly body: ErrorBody['error'] | null,
	) {
		super(message);
	}
}

type Listener = () => void;
const signedOutListeners = new Set<Listener>();

/** Called when the API says the session is gone (401), so the shell can show sign-in. */
export function onSignedOut(listener: Listener): () => void {
	signedOutListeners.add(listener);
	return () => signedOutListeners.delete(listener);
}

export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
	let response: Response;
	try {
		response = await fetch(path, {
			method,
			credentials: 'same-origin',
			cache: 'no-store',
			headers: {
				'x-mdm-console': '1',
				accept: 'application/json',
				...(body !== undefined ? { 'content-type': 'application/json' } : {}),
			},
			body: body !== undefined ? JSON.stringify(body) : undefined,
		});
	} catch (error) {
		throw new ApiFailure(0, 'network_error', `the dispatcher did not answer (${(error as Error).message})`, [], null);
	}
	const text = await response.text();
	let parsed: unknown = null;
	try {
		parsed = text.length > 0 ? JSON.parse(text) : null;
	} catch {
		parsed = null;
	}
	if (!response.ok) {
		const error = (parsed as ErrorBody | null)?.error ?? null;
		if (response.status === 401 && path !== '/v1/session') for (const listener of signedOutListeners) listener();
		throw new ApiFailure(
			response.status,
			error?.code ?? 'http_error',
			error?.message ?? `HTTP ${response.status}`,
			error?.details ?? [],
			error,
		);
	}
	return parsed as T;
}

export const get = <T>(path: string) => api<T>('GET', path);
export const post = <T>(path: string, body: unknown = {}) => api<T>('POST', path, body);
export const patch = <T>(path: string, body: unknown) => api<T>('PATCH', path, body);
export const del = (path: string) => api<null>('DELETE', path);

/** `?a=1&b=2` from the set values of `params` (empty string when none). */
export function query(params: object): string {
	const search = new URLSearchParams();
	for (const [key, value] of Object.entries(params) as [string, unknown][]) {
		if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
	}
	const text = search.toString();
	return text ? `?${text}` : '';
}

/** Field errors by JSON Pointer path (`/url`, `/auth/password`). */
export function fieldErrors(error: unknown): Record<string, FieldError> {
	const out: Record<string, FieldError> = {};
	if (error instanceof ApiFailure) for (const detail of error.details) out[detail.path] ??= detail;
	return out;
}

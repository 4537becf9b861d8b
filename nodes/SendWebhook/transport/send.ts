import type { IDataObject, IExecuteFunctions, IHttpRequestMethods } from 'n8n-workflow';

import type { OutboundRequest } from '../../../core';

/** The longest any request may take, as in the dispatcher. */
export const MAX_TIMEOUT_SECONDS = 60;

export interface SendResult {
	statusCode: number;
	headers: IDataObject;
	/** Parsed JSON when the answer is JSON, else the text. */
	body: unknown;
	durationMs: number;
}

interface FullResponse {
	statusCode: number;
	headers?: Record<string, unknown>;
	body?: unknown;
}

function plainHeaders(headers: Record<string, unknown> | undefined): IDataObject {
	const out: IDataObject = {};
	for (const [name, value] of Object.entries(headers ?? {})) {
		if (value === undefined || value === null || typeof value === 'function') continue;
		out[name.toLowerCase()] = Array.isArray(value) ? value.map(String) : String(value);
	}
	return out;
}

function parseBody(text: unknown, contentType: unknown): unknown {
	if (typeof text !== 'string') return text ?? '';
	if (text !== '' && /\bjson\b/i.test(String(contentType ?? ''))) {
		try {
			return JSON.parse(text) as unknown;
		} catch {
			return text;
		}
	}
	return text;
}

/**
 * Sends a request exactly as the core built it: the body goes out as those bytes (a Buffer, so
 * nothing re-serialises it), the headers as given, redirects are not followed, and any HTTP
 * status comes back as a result (the caller decides what is an error). Network failures and
 * timeouts throw.
 */
export async function sendOutboundRequest(
	this: IExecuteFunctions,
	request: OutboundRequest,
	timeoutSeconds: number,
): Promise<SendResult> {
	const started = performance.now();
	const response = (await this.helpers.httpRequest({
		url: request.url,
		method: request.method as IHttpRequestMethods,
		headers: request.headers,
		body: Buffer.from(request.body, 'utf8'),
		json: false,
		encoding: 'text',
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		disableFollowRedirect: true,
		// As in the dispatcher: 0 = no timeout of its own, but nothing waits longer than 60 s.
		timeout: Math.round((timeoutSeconds > 0 ? Math.min(timeoutSeconds, MAX_TIMEOUT_SECONDS) : MAX_TIMEOUT_SECONDS) * 1000),
	})) as FullResponse;
	const durationMs = Math.round(performance.now() - started);

	const headers = plainHeaders(response.headers);
	return {
		statusCode: response.statusCode,
		headers,
		body: parseBody(response.body, headers['content-type']),
		durationMs,
	};
}

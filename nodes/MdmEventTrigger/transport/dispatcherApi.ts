import type {
	IDataObject,
	IHookFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

/** The contexts that talk to the dispatcher's admin API. */
export type DispatcherContext = IHookFunctions | ILoadOptionsFunctions;

export interface DispatcherCredentials {
	baseUrl: string;
	apiKey: string;
}

/** `{"error":{"code","message","details":[{path,message}]}}`, the dispatcher's one error shape. */
interface DispatcherErrorBody {
	error?: {
		code?: string;
		message?: string;
		details?: Array<{ path?: string; message?: string }>;
	};
}

interface FullResponse {
	statusCode: number;
	body: unknown;
}

/** The base URL without trailing slashes (the credential is typed by hand). */
export function normaliseBaseUrl(baseUrl: string): string {
	return String(baseUrl ?? '').trim().replace(/\/+$/, '');
}

function describeError(body: unknown): { message?: string; description?: string } {
	const error = (body as DispatcherErrorBody | undefined)?.error;
	if (!error || typeof error !== 'object') return {};
	const details = Array.isArray(error.details)
		? error.details.map((d) => `${d.path ?? ''} ${d.message ?? ''}`.trim()).filter(Boolean)
		: [];
	return {
		message: error.message ? `Dispatcher: ${error.message}` : undefined,
		description: [error.code, ...details].filter(Boolean).join('; ') || undefined,
	};
}

/**
 * One call to the dispatcher API (`{baseUrl}/v1{path}`) with the credential's bearer key.
 * A 2xx gives the parsed body; with `allowNotFound`, a 404 gives `undefined`; anything else is a
 * NodeApiError carrying the dispatcher's message and field details.
 */
export async function dispatcherApiRequest(
	this: DispatcherContext,
	method: IHttpRequestMethods,
	path: string,
	body?: IDataObject,
	opts: { allowNotFound?: boolean } = {},
): Promise<unknown> {
	const credentials = await this.getCredentials<DispatcherCredentials>('mdmDispatcherApi');
	const options: IHttpRequestOptions = {
		method,
		url: `${normaliseBaseUrl(credentials.baseUrl)}/v1${path}`,
		json: true,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		disableFollowRedirect: true,
	};
	if (body !== undefined) options.body = body;

	let response: FullResponse;
	try {
		response = (await this.helpers.httpRequestWithAuthentication.call(
			this,
			'mdmDispatcherApi',
			options,
		)) as FullResponse;
	} catch (error) {
		// Network-level failure (refused, DNS, TLS): no HTTP answer at all.
		throw new NodeApiError(this.getNode(), error as JsonObject, {
			message: `Could not reach the MDM dispatcher at ${normaliseBaseUrl(credentials.baseUrl)}`,
		});
	}

	const { statusCode } = response;
	if (statusCode >= 200 && statusCode < 300) return response.body;
	if (statusCode === 404 && opts.allowNotFound) return undefined;

	const { message, description } = describeError(response.body);
	throw new NodeApiError(this.getNode(), (response.body ?? {}) as JsonObject, {
		httpCode: String(statusCode),
		message: message ?? `The dispatcher answered ${method} ${path} with HTTP ${statusCode}`,
		description,
	});
}

/** Removes a webhook at the dispatcher; one already gone (404) counts as removed. */
export async function deleteDispatcherWebhook(this: DispatcherContext, webhookId: string): Promise<void> {
	await dispatcherApiRequest.call(this, 'DELETE', `/webhooks/${encodeURIComponent(webhookId)}`, undefined, {
		allowNotFound: true,
	});
}

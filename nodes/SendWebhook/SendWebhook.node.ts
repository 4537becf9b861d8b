import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError, NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';
import { buildOutboundRequest, checkCustomHeaders, newId } from '../../core';
import type { HttpMethod } from '../../core';
import { destinationAuthTest, webhookSigningSecretTest } from '../shared/credentialTests';
import { resolveAuth, resolveSigning } from './actions/credentials';
import { buildPayload } from './actions/payload';
import { MAX_TIMEOUT_SECONDS, sendOutboundRequest } from './transport/send';
import type { SendResult } from './transport/send';

function customHeaders(ctx: IExecuteFunctions, itemIndex: number): Record<string, string> {
	const collection = ctx.getNodeParameter('headers', itemIndex, {}) as {
		values?: Array<{ name?: string; value?: string }>;
	};
	const out: Record<string, string> = {};
	for (const { name, value } of collection.values ?? []) {
		const key = String(name ?? '').trim();
		if (key) out[key] = String(value ?? '');
	}
	return out;
}

function isTimeout(error: unknown): boolean {
	const e = error as { code?: string; message?: string; cause?: { code?: string } };
	return (
		e?.code === 'ECONNABORTED' ||
		e?.code === 'ETIMEDOUT' ||
		e?.cause?.code === 'ETIMEDOUT' ||
		/timeout/i.test(String(e?.message ?? ''))
	);
}

export class SendWebhook implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Send Webhook',
		name: 'sendWebhook',
		icon: { light: 'file:sendWebhook.svg', dark: 'file:sendWebhook.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{ $parameter["method"] + " " + $parameter["template"] }}',
		description:
			'Send an event to Slack, Teams or a custom endpoint, signed exactly as the MDM dispatcher signs it',
		defaults: { name: 'Send Webhook' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{
				name: 'destinationAuthApi',
				required: true,
				testedBy: 'destinationAuthTest',
				displayOptions: { show: { authentication: ['destinationAuthApi'] } },
			},
			{
				name: 'webhookSigningSecretApi',
				required: true,
				testedBy: 'webhookSigningSecretTest',
				displayOptions: { show: { signing: ['webhookSigningSecretApi'] } },
			},
		],
		properties: [
			{
				displayName: 'Template',
				name: 'template',
				type: 'options',
				options: [
					{
						name: 'Custom',
						value: 'custom',
						description: 'The event envelope as JSON, for your own endpoint',
					},
					{
						name: 'Microsoft Teams',
						value: 'teams',
						description: 'A message with one Adaptive Card (Teams Workflows webhook)',
					},
					{
						name: 'Slack',
						value: 'slack',
						description: 'Slack incoming-webhook message with text and blocks',
					},
				],
				default: 'custom',
				description: 'Destination kind; with payload "From Template" it also shapes the body',
			},
			{
				displayName: 'URL',
				name: 'url',
				type: 'string',
				default: '',
				required: true,
				placeholder: 'https://hooks.slack.com/services/…',
				description: 'Where to send the request',
			},
			{
				displayName: 'Method',
				name: 'method',
				type: 'options',
				options: [
					{ name: 'PATCH', value: 'PATCH' },
					{ name: 'POST', value: 'POST' },
					{ name: 'PUT', value: 'PUT' },
				],
				default: 'POST',
			},
			{
				displayName: 'Payload',
				name: 'payloadSource',
				type: 'options',
				options: [
					{
						name: 'From Template',
						value: 'template',
						description: 'Render the chosen template from the item (an event envelope)',
					},
					{
						name: 'JSONata Expression',
						value: 'jsonata',
						description: 'Build the body with a JSONata expression over the item',
					},
					{
						name: 'JSON',
						value: 'json',
						description: 'Send the JSON given below',
					},
				],
				default: 'template',
			},
			{
				displayName: 'JSONata Expression',
				name: 'jsonataExpression',
				type: 'string',
				typeOptions: { rows: 4 },
				default: '',
				placeholder: '{ "text": "Device " & data.device.name & " enrolled" }',
				description: 'Evaluated over the item JSON; its result is the body',
				displayOptions: { show: { payloadSource: ['jsonata'] } },
			},
			{
				displayName: 'JSON Body',
				name: 'jsonBody',
				type: 'json',
				default: '{}',
				description: 'Sent as given (serialised compactly)',
				displayOptions: { show: { payloadSource: ['json'] } },
			},
			{
				displayName: 'Authentication',
				name: 'authentication',
				type: 'options',
				options: [
					{ name: 'None', value: 'none' },
					{ name: 'Destination Auth', value: 'destinationAuthApi' },
				],
				default: 'none',
				description: 'Basic or bearer authentication towards the destination',
			},
			{
				displayName: 'Signing',
				name: 'signing',
				type: 'options',
				options: [
					{ name: 'None', value: 'none' },
					{ name: 'Webhook Signing Secret', value: 'webhookSigningSecretApi' },
				],
				default: 'none',
				description:
					'Sign the request with the credential\'s scheme (Standard Webhooks, Scalefusion or Mender)',
			},
			{
				displayName: 'Timeout (Seconds)',
				name: 'timeoutSeconds',
				type: 'number',
				typeOptions: { minValue: 0, maxValue: MAX_TIMEOUT_SECONDS },
				default: 30,
				description:
					'How long to wait for the answer; 0 = no timeout of its own (still capped at 60 s, as in the dispatcher)',
			},
			{
				displayName: 'Headers',
				name: 'headers',
				type: 'fixedCollection',
				typeOptions: { multipleValues: true },
				placeholder: 'Add Header',
				default: {},
				description:
					'Extra request headers. Hop-by-hop headers, Host, Content-Length and signature headers are refused.',
				options: [
					{
						displayName: 'Header',
						name: 'values',
						values: [
							{ displayName: 'Name', name: 'name', type: 'string', default: '' },
							{ displayName: 'Value', name: 'value', type: 'string', default: '' },
						],
					},
				],
			},
			{
				displayName: 'Message ID',
				name: 'messageId',
				type: 'string',
				default: '',
				placeholder: 'msg_…',
				description:
					'The webhook-ID header (request ID). Leave empty for a fresh ID per item; set it (e.g. from the event ID) to make retries idempotent.',
			},
		],
	};

	methods = {
		credentialTest: { destinationAuthTest, webhookSigningSecretTest },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const returnData: INodeExecutionData[] = [];

		for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
			const pairedItem = { item: itemIndex };
			try {
				const url = String(this.getNodeParameter('url', itemIndex, '') ?? '').trim();
				if (!url) throw new NodeOperationError(this.getNode(), 'The URL is empty', { itemIndex });
				const method = this.getNodeParameter('method', itemIndex, 'POST') as HttpMethod;
				const timeoutSeconds = Number(this.getNodeParameter('timeoutSeconds', itemIndex, 30));
				if (!Number.isFinite(timeoutSeconds) || timeoutSeconds < 0 || timeoutSeconds > MAX_TIMEOUT_SECONDS) {
					throw new NodeOperationError(this.getNode(), 'Timeout must be between 0 and 60 seconds', {
						itemIndex,
					});
				}

				const headers = customHeaders(this, itemIndex);
				const headerProblems = checkCustomHeaders(headers);
				if (headerProblems.length) {
					throw new NodeOperationError(this.getNode(), 'Some custom headers are not allowed', {
						itemIndex,
						description: headerProblems.map((p) => `${p.path}: ${p.message}`).join('; '),
					});
				}

				const payload = await buildPayload.call(this, itemIndex, items[itemIndex]);
				const auth = await resolveAuth.call(this, itemIndex);
				const signing = await resolveSigning.call(this, itemIndex);
				const messageId =
					String(this.getNodeParameter('messageId', itemIndex, '') ?? '').trim() || newId('msg');

				const request = buildOutboundRequest({
					url,
					method,
					payload,
					messageId,
					timestamp: Math.floor(Date.now() / 1000),
					signing,
					auth,
					headers,
				});

				let result: SendResult;
				try {
					result = await sendOutboundRequest.call(this, request, timeoutSeconds);
				} catch (error) {
					// Only what matters is passed on: with the raw network error's `code`, n8n would
					// replace this message with a generic one ("The connection was aborted…").
					const cause = error as { message?: string; code?: string };
					throw new NodeApiError(
						this.getNode(),
						{ message: String(cause.message ?? error), networkError: cause.code ?? null } as JsonObject,
						{
							itemIndex,
							message: isTimeout(error)
								? `No answer from ${url} within ${timeoutSeconds || MAX_TIMEOUT_SECONDS} s`
								: `Could not send to ${url}: ${String(cause.message ?? error)}`,
							description: cause.code ? `Network error ${cause.code}` : undefined,
						},
					);
				}

				if (result.statusCode < 200 || result.statusCode > 299) {
					const bodyText =
						typeof result.body === 'string' ? result.body : JSON.stringify(result.body);
					throw new NodeApiError(
						this.getNode(),
						{ statusCode: result.statusCode, body: bodyText.slice(0, 4096) } as JsonObject,
						{
							itemIndex,
							httpCode: String(result.statusCode),
							message: `The destination answered HTTP ${result.statusCode}`,
							description: bodyText.slice(0, 1024) || undefined,
						},
					);
				}

				returnData.push({
					json: {
						statusCode: result.statusCode,
						headers: result.headers,
						body: result.body as IDataObject,
						durationMs: result.durationMs,
						messageId,
					},
					pairedItem,
				});
			} catch (error) {
				if (this.continueOnFail()) {
					const json: IDataObject = { error: (error as Error).message };
					const httpCode = (error as NodeApiError).httpCode;
					if (httpCode && /^\d{3}$/.test(httpCode)) json.statusCode = Number(httpCode);
					const description = (error as NodeApiError).description;
					if (description) json.description = description;
					returnData.push({ json, pairedItem });
					continue;
				}
				// Both constructors hand back an error that is already of their kind unchanged.
				if (error instanceof NodeApiError) {
					throw new NodeApiError(this.getNode(), error as unknown as JsonObject);
				}
				throw new NodeOperationError(this.getNode(), error as Error, { itemIndex });
			}
		}

		return [returnData];
	}
}

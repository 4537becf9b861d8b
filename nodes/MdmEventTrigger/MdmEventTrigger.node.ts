import type {
	IDataObject,
	IHookFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError, NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';
import { createHash } from 'node:crypto';

import { compileJsonata, evaluateCondition, matchesEventPattern, verifySignature } from '../../core';
import type { EventEnvelope } from '../../core';
import { getEventTypes } from './methods/loadOptions';
import { deleteDispatcherWebhook, dispatcherApiRequest } from './transport/dispatcherApi';

/** What the node keeps in the workflow's static data (per node). */
interface TriggerStaticData extends IDataObject {
	webhookId?: string;
	/** What requests are verified with: the `whsec_` secret (HMAC) or the `whpk_` public key (ed25519). */
	secret?: string;
	/** The scheme the webhook was registered with; absent in data stored before ed25519 (HMAC). */
	scheme?: TriggerScheme;
	/** The n8n URL the webhook was registered for: what makes it this node's own. */
	webhookUrl?: string;
}

type WebhookMode = 'production' | 'test';

/** Standard Webhooks HMAC (`v1`, shared secret) or ed25519 (`v1a`, n8n keeps only the public key). */
type TriggerScheme = 'standard' | 'standard-ed25519';

/** The webhook object the dispatcher answers with (only the fields used here). */
interface DispatcherWebhook {
	id: string;
	name?: string;
	url?: string;
	events?: string[];
	signing?: { scheme?: string; secret?: string; publicKey?: string };
}

interface TriggerOptions {
	includeHeaders?: boolean;
	toleranceSeconds?: number;
}

const DEFAULT_TOLERANCE_SECONDS = 300;
const MAX_NAME_LENGTH = 50;
/** The dispatcher's test send ("Send test" in its API); answered, never an execution. */
const TEST_EVENT_TYPE = 'webhook.test';

function staticData(ctx: IHookFunctions | IWebhookFunctions): TriggerStaticData {
	return ctx.getWorkflowStaticData('node') as TriggerStaticData;
}

function forget(data: TriggerStaticData): void {
	delete data.webhookId;
	delete data.secret;
	delete data.scheme;
	delete data.webhookUrl;
}

function hookMode(ctx: IHookFunctions): WebhookMode {
	return ctx.getMode() === 'manual' ? 'test' : 'production';
}

/**
 * Whether the stored webhook is this node's: registered by it for the URL n8n gives it now.
 * Static data can name another node's webhook — a duplicated workflow carries its original's,
 * and a test run starts from a copy of the active workflow's — and that one is never this
 * node's to adopt or remove. Only `forget` is done with it.
 */
function ownsStoredWebhook(ctx: IHookFunctions, data: TriggerStaticData): boolean {
	return !!data.webhookUrl && data.webhookUrl === ctx.getNodeWebhookUrl('default');
}

function selectedEvents(ctx: IHookFunctions | IWebhookFunctions): string[] {
	const raw = ctx.getNodeParameter('events', []) as string[] | string;
	const list = Array.isArray(raw) ? raw : String(raw).split(',');
	return [...new Set(list.map((e) => String(e).trim()).filter(Boolean))];
}

/**
 * A name unique per webhook URL (so per node, and apart for production and test URLs), readable,
 * and ≤ 50 characters as the dispatcher wants: `n8n [test ]<workflow id> <node id…> <url hash>`.
 */
function webhookName(ctx: IHookFunctions, url: string): string {
	const test = hookMode(ctx) === 'test' ? 'test ' : '';
	const workflowId = ctx.getWorkflow().id ?? 'unsaved';
	const hash = createHash('sha256').update(url).digest('hex').slice(0, 8);
	const head = `n8n ${test}${workflowId} ${ctx.getNode().id.slice(0, 8)}`;
	return `${head.slice(0, MAX_NAME_LENGTH - hash.length - 1)} ${hash}`;
}

function selectedScheme(ctx: IHookFunctions): TriggerScheme {
	return ctx.getNodeParameter('signatureScheme', 'standard') === 'standard-ed25519' ? 'standard-ed25519' : 'standard';
}

function sameEvents(a: readonly string[] = [], b: readonly string[] = []): boolean {
	const left = [...new Set(a)].sort();
	const right = [...new Set(b)].sort();
	return left.length === right.length && left.every((e, i) => e === right[i]);
}

function isEnvelope(value: unknown): value is EventEnvelope {
	if (!value || typeof value !== 'object' || Array.isArray(value)) return false;
	const v = value as Record<string, unknown>;
	return (
		typeof v.id === 'string' &&
		typeof v.type === 'string' &&
		typeof v.timestamp === 'string' &&
		!!v.data &&
		typeof v.data === 'object' &&
		!Array.isArray(v.data)
	);
}

/** Compiles the optional JSONata condition; a syntax error names its position. */
function compileCondition(ctx: IHookFunctions | IWebhookFunctions, source: string) {
	try {
		return compileJsonata(source);
	} catch (error) {
		const position = (error as { position?: number }).position;
		throw new NodeOperationError(
			ctx.getNode(),
			`The condition is not valid JSONata${position !== undefined ? ` (at position ${position})` : ''}: ${(error as Error).message}`,
		);
	}
}

export class MdmEventTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'MDM Event Trigger',
		name: 'mdmEventTrigger',
		icon: { light: 'file:mdmEventTrigger.svg', dark: 'file:mdmEventTrigger.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{ [].concat($parameter["events"] || []).join(", ") }}',
		description:
			'Starts the workflow when the MDM webhook dispatcher delivers a device event (signed, verified)',
		defaults: { name: 'MDM Event Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'mdmDispatcherApi', required: true }],
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				responseMode: 'onReceived',
				path: 'webhook',
			},
		],
		properties: [
			{
				displayName:
					'On activation this node registers a webhook at the dispatcher pointing to this workflow, signed with Standard Webhooks; deactivating the workflow removes it. Every request is verified before the workflow starts.',
				name: 'notice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Event Names or IDs',
				name: 'events',
				type: 'multiOptions',
				typeOptions: { loadOptionsMethod: 'getEventTypes' },
				default: [],
				required: true,
				description:
					'Event types to receive, or wildcards such as device.* (every type under "device.") and * (all). Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
			},
			{
				displayName: 'Signature',
				name: 'signatureScheme',
				type: 'options',
				options: [
					{
						name: 'HMAC (Shared Secret)',
						value: 'standard',
						description: 'Standard Webhooks v1: n8n keeps the whsec_ secret the dispatcher signs with',
					},
					{
						name: 'Ed25519 (Public Key)',
						value: 'standard-ed25519',
						description:
							'Standard Webhooks v1a: n8n keeps only the whpk_ public key, which can verify but never forge an event',
					},
				],
				default: 'standard',
				description: 'How the dispatcher signs the requests it sends to this trigger',
			},
			{
				displayName: 'Condition (JSONata)',
				name: 'condition',
				type: 'string',
				typeOptions: { rows: 2 },
				default: '',
				placeholder: 'data.device.platform = "android"',
				description:
					'Optional JSONata expression evaluated on the event envelope ({ID, type, timestamp, data}). When it is false, empty or undefined, the request is acknowledged and no execution starts.',
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{
						displayName: 'Include Headers',
						name: 'includeHeaders',
						type: 'boolean',
						default: false,
						description: 'Whether to add the request headers to the output item as "headers"',
					},
					{
						displayName: 'Timestamp Tolerance (Seconds)',
						name: 'toleranceSeconds',
						type: 'number',
						typeOptions: { minValue: 1 },
						default: DEFAULT_TOLERANCE_SECONDS,
						description:
							'How far the webhook-timestamp header may be from now; older (replayed) or future requests are refused with 401',
					},
				],
			},
		],
	};

	methods = {
		loadOptions: { getEventTypes },
	};

	webhookMethods = {
		default: {
			/**
			 * True when this node's webhook still exists at the dispatcher, for this URL and these
			 * events, and its secret is in the static data. Otherwise the static data is cleared so
			 * that create() registers anew; a stale webhook of this node's own is removed first,
			 * one that is not this node's is left alone.
			 */
			async checkExists(this: IHookFunctions): Promise<boolean> {
				const data = staticData(this);
				if (!data.webhookId) {
					forget(data);
					return false;
				}
				if (!ownsStoredWebhook(this, data)) {
					forget(data);
					return false;
				}

				const webhook = (await dispatcherApiRequest.call(
					this,
					'GET',
					`/webhooks/${encodeURIComponent(data.webhookId)}`,
					undefined,
					{ allowNotFound: true },
				)) as DispatcherWebhook | undefined;

				// Removed at the dispatcher meanwhile, or pointed elsewhere there (no longer ours).
				if (!webhook || webhook.url !== data.webhookUrl) {
					forget(data);
					return false;
				}

				// Ours and current: unless the secret is gone (deliveries could not be verified), the
				// events or the signature scheme changed. Then it is removed and create() registers anew.
				const scheme = data.scheme ?? 'standard';
				if (data.secret && sameEvents(webhook.events, selectedEvents(this)) && scheme === selectedScheme(this)) return true;
				await deleteDispatcherWebhook.call(this, data.webhookId);
				forget(data);
				return false;
			},

			/** Registers a webhook (custom template, Standard Webhooks signing) at the dispatcher. */
			async create(this: IHookFunctions): Promise<boolean> {
				const url = this.getNodeWebhookUrl('default');
				if (!url) throw new NodeOperationError(this.getNode(), 'n8n gave this node no webhook URL');

				const events = selectedEvents(this);
				if (events.length === 0) {
					throw new NodeOperationError(this.getNode(), 'Choose at least one event type', {
						description: 'Pick event types in "Events", or use a wildcard such as device.* or *',
					});
				}
				const condition = String(this.getNodeParameter('condition', '') ?? '').trim();
				if (condition) compileCondition(this, condition);

				const name = webhookName(this, url);
				const workflow = this.getWorkflow();
				const body: IDataObject = {
					name,
					description:
						`Registered by n8n for workflow "${workflow.name ?? workflow.id ?? ''}", node "${this.getNode().name}"`.slice(
							0,
							512,
						),
					template: 'custom',
					url,
					method: 'POST',
					signing: { scheme: selectedScheme(this) },
					events,
				};

				// Names are unique at the dispatcher. One of ours for this very URL is left over (its id
				// was lost, e.g. the workflow was not saved after a test run): remove it first.
				const existing = (await dispatcherApiRequest.call(this, 'GET', '/webhooks')) as
					| { data?: DispatcherWebhook[] }
					| undefined;
				const leftover = existing?.data?.find(
					(w) => String(w.name ?? '').trim().toLowerCase() === name.toLowerCase() && w.url === url,
				);
				if (leftover) {
					await deleteDispatcherWebhook.call(this, leftover.id);
				}

				let webhook: DispatcherWebhook | undefined;
				try {
					webhook = (await dispatcherApiRequest.call(this, 'POST', '/webhooks', body)) as
						| DispatcherWebhook
						| undefined;
				} catch (error) {
					const apiError = error as NodeApiError;
					if (/\/url/.test(String(apiError.description ?? ''))) {
						apiError.description = `${apiError.description}. The dispatcher only accepts https:// URLs on public addresses unless it runs with DISPATCHER_ALLOW_HTTP=true and DISPATCHER_ALLOWED_CIDRS covering n8n (${url}).`;
					}
					// Hands back the same error (now with the hint).
					throw new NodeApiError(this.getNode(), apiError as unknown as JsonObject);
				}

				// With ed25519 only the public key is kept: the secret key in the answer is dropped here.
				const scheme = selectedScheme(this);
				const secret = scheme === 'standard-ed25519' ? webhook?.signing?.publicKey : webhook?.signing?.secret;
				const prefix = scheme === 'standard-ed25519' ? 'whpk_' : 'whsec_';
				if (!webhook?.id || typeof secret !== 'string' || !secret.startsWith(prefix)) {
					throw new NodeOperationError(
						this.getNode(),
						`The dispatcher created the webhook but did not return its id and ${scheme === 'standard-ed25519' ? 'public key' : 'full signing secret'}`,
					);
				}

				const data = staticData(this);
				data.webhookId = webhook.id;
				data.secret = secret;
				data.scheme = scheme;
				data.webhookUrl = url;
				return true;
			},

			/**
			 * Removes this node's webhook (one already gone counts as removed) and clears the static
			 * data. A webhook that is not this node's is not touched. When the dispatcher cannot be
			 * reached, the static data is cleared all the same (the next activation registers anew)
			 * and the failure is logged.
			 */
			async delete(this: IHookFunctions): Promise<boolean> {
				const data = staticData(this);
				const webhookId = data.webhookId;
				if (!webhookId || !ownsStoredWebhook(this, data)) {
					forget(data);
					return true;
				}
				try {
					const webhook = (await dispatcherApiRequest.call(
						this,
						'GET',
						`/webhooks/${encodeURIComponent(webhookId)}`,
						undefined,
						{ allowNotFound: true },
					)) as DispatcherWebhook | undefined;
					if (webhook && webhook.url === data.webhookUrl) await deleteDispatcherWebhook.call(this, webhookId);
				} catch (error) {
					this.logger.warn(
						`MDM Event Trigger: could not remove webhook ${webhookId} at the dispatcher (${(error as Error).message}); it is forgotten here, remove it at the dispatcher if it is still there`,
						{ workflowId: this.getWorkflow().id, node: this.getNode().name },
					);
					forget(data);
					return false;
				}
				forget(data);
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const req = this.getRequestObject();
		const res = this.getResponseObject();
		const reject = (status: number, code: string, message: string): IWebhookResponseData => {
			res.status(status).json({ error: { code, message } });
			return { noWebhookResponse: true };
		};

		const { secret, scheme = 'standard' } = staticData(this);
		if (!secret) {
			return reject(
				401,
				'not_registered',
				'This trigger holds no signing secret; deactivate and activate the workflow again',
			);
		}

		// n8n reads the body before calling the node; read it here if it did not.
		if (req.rawBody === undefined && typeof req.readRawBody === 'function') await req.readRawBody();
		const rawBody: Buffer = req.rawBody ?? Buffer.alloc(0);

		const options = this.getNodeParameter('options', {}) as TriggerOptions;
		const toleranceSeconds =
			typeof options.toleranceSeconds === 'number' && options.toleranceSeconds > 0
				? options.toleranceSeconds
				: DEFAULT_TOLERANCE_SECONDS;
		const headers = this.getHeaderData();

		const verdict = verifySignature(scheme, {
			headers,
			body: rawBody,
			secret,
			toleranceSeconds,
		});
		if (!verdict.valid) return reject(401, verdict.reason, verdict.message);

		let envelope: unknown;
		try {
			envelope = JSON.parse(rawBody.toString('utf8'));
		} catch {
			return reject(400, 'invalid_body', 'The body is not JSON');
		}
		if (!isEnvelope(envelope)) {
			return reject(400, 'invalid_body', 'The body is not an event envelope {id, type, timestamp, data}');
		}

		const answer = (body: IDataObject): IWebhookResponseData => {
			res.status(200).json(body);
			return { noWebhookResponse: true };
		};
		const skip = () => answer({ received: true, skipped: true });

		// The dispatcher's test send: a signed, valid request, acknowledged like GitHub's ping.
		if (envelope.type === TEST_EVENT_TYPE) return answer({ received: true, test: true });

		const events = selectedEvents(this);
		if (!events.some((pattern) => matchesEventPattern(pattern, envelope.type))) return skip();

		const condition = String(this.getNodeParameter('condition', '') ?? '').trim();
		if (condition) {
			const compiled = compileCondition(this, condition);
			let holds: boolean;
			try {
				holds = await evaluateCondition(compiled, envelope);
			} catch (error) {
				throw new NodeOperationError(
					this.getNode(),
					`The condition failed on event ${envelope.id}: ${(error as Error).message}`,
				);
			}
			if (!holds) return skip();
		}

		const json: IDataObject = {
			id: envelope.id,
			type: envelope.type,
			timestamp: envelope.timestamp,
			data: envelope.data as IDataObject,
		};
		if (options.includeHeaders) json.headers = headers as IDataObject;
		const item: INodeExecutionData = { json };

		// Answered here, in JSON, before the execution runs: left to n8n, a trigger's "onReceived"
		// answer without `responseData` is the literal text "firstEntryJson" (n8n 2.40.7), which
		// would land in the dispatcher's delivery log.
		return { ...answer({ received: true, id: envelope.id }), workflowData: [[item]] };
	}
}

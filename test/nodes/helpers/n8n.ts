/**
 * n8n's edge for the node tests. The nodes run inside n8n-core's real engine: `WorkflowExecute`
 * for Send Webhook and Verify Signature, n8n-core's `HookContext`, `WebhookContext` and
 * `LoadOptionsContext` for the trigger, with n8n's real expression engine and HTTP helpers
 * (`this.helpers.httpRequest` / `httpRequestWithAuthentication` go over the network).
 * Only what an n8n instance provides around them is stood in for here: the node-type registry,
 * a credentials store (with the same generic-auth resolution n8n's CredentialsHelper does), the
 * instance's base URLs, and the HTTP front that hands webhook requests to the node.
 */
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import type http from 'node:http';
import type { AddressInfo } from 'node:net';

import express from 'express';
import {
	ExecutionLifecycleHooks,
	HookContext,
	LoadOptionsContext,
	WebhookContext,
	WorkflowExecute,
} from 'n8n-core';
import type {
	IConnections,
	ICredentialDataDecryptedObject,
	ICredentials,
	ICredentialType,
	IDataObject,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INode,
	INodeCredentialsDetails,
	INodeExecutionData,
	INodeProperties,
	INodeType,
	INodeTypes,
	IRequestOptionsSimplified,
	IRun,
	IRunExecutionData,
	ITaskData,
	IVersionedNodeType,
	IWebhookData,
	IWebhookResponseData,
	IWorkflowBase,
	IWorkflowExecuteAdditionalData,
	WorkflowActivateMode,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { ICredentialsHelper, NodeHelpers, Workflow } from 'n8n-workflow';

import { DestinationAuthApi } from '../../../credentials/DestinationAuthApi.credentials';
import { MdmDispatcherApi } from '../../../credentials/MdmDispatcherApi.credentials';
import { WebhookSigningSecretApi } from '../../../credentials/WebhookSigningSecretApi.credentials';
import { MdmEventTrigger } from '../../../nodes/MdmEventTrigger/MdmEventTrigger.node';
import { MdmVendorEvent } from '../../../nodes/MdmVendorEvent/MdmVendorEvent.node';
import { SendWebhook } from '../../../nodes/SendWebhook/SendWebhook.node';
import { VerifySignature } from '../../../nodes/VerifySignature/VerifySignature.node';

export const PACKAGE = 'n8n-nodes-mdm-webhooks';

export const NODE_TYPES: Record<string, INodeType> = {
	[`${PACKAGE}.mdmEventTrigger`]: new MdmEventTrigger(),
	[`${PACKAGE}.sendWebhook`]: new SendWebhook(),
	[`${PACKAGE}.verifySignature`]: new VerifySignature(),
	[`${PACKAGE}.mdmVendorEvent`]: new MdmVendorEvent(),
};

export const CREDENTIAL_TYPES: Record<string, ICredentialType> = Object.fromEntries(
	[new MdmDispatcherApi(), new WebhookSigningSecretApi(), new DestinationAuthApi()].map((c) => [c.name, c]),
);

/** The node-type registry an n8n instance builds from the package's `n8n` section. */
export const nodeTypes: INodeTypes = {
	getByName: (type: string) => {
		const nodeType = NODE_TYPES[type];
		if (!nodeType) throw new Error(`unknown node type ${type}`);
		return nodeType as INodeType | IVersionedNodeType;
	},
	getByNameAndVersion: (type: string, version?: number) =>
		NodeHelpers.getVersionedNodeType(nodeTypes.getByName(type), version),
	getKnownTypes: () => ({}),
};

/**
 * Credentials by type, as n8n would decrypt them. `authenticate` resolves a credential type's
 * generic auth (`={{$credentials.x}}` expressions) with the workflow's expression engine, as
 * n8n's CredentialsHelper does.
 */
export class TestCredentialsHelper extends ICredentialsHelper {
	constructor(private readonly credentials: Record<string, ICredentialDataDecryptedObject>) {
		super();
	}

	getParentTypes(): string[] {
		return [];
	}

	isCredentialUsableByNode(): boolean {
		return true;
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions | IRequestOptionsSimplified,
		workflow?: Workflow,
		node?: INode,
	): Promise<IHttpRequestOptions> {
		const type = CREDENTIAL_TYPES[typeName];
		const options = requestOptions as IHttpRequestOptions;
		const auth = type?.authenticate;
		if (typeof auth === 'function') return await auth(credentials, options);
		if (auth?.type === 'generic' && workflow && node) {
			const resolve = (value: string) =>
				value.startsWith('=')
					? String(
							workflow.expression.getSimpleParameterValue(
								node,
								value,
								'internal',
								{ $credentials: credentials } as IDataObject,
								undefined,
								'',
							) ?? '',
						)
					: value;
			for (const [outerKey, inner] of Object.entries(auth.properties)) {
				const target = ((options as unknown as Record<string, Record<string, string>>)[outerKey] ??= {});
				for (const [key, value] of Object.entries(inner as Record<string, string>)) {
					target[resolve(key)] = resolve(value);
				}
			}
		}
		return options;
	}

	async preAuthentication(
		_helpers: IHttpRequestHelper,
		_credentials: ICredentialDataDecryptedObject,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		return undefined;
	}

	async runPreAuthentication(): Promise<ICredentialDataDecryptedObject | undefined> {
		return undefined;
	}

	async getCredentials(nodeCredentials: INodeCredentialsDetails, type: string): Promise<ICredentials> {
		return { id: nodeCredentials.id, name: nodeCredentials.name, type, data: '' } as unknown as ICredentials;
	}

	async getDecrypted(
		_additionalData: IWorkflowExecuteAdditionalData,
		_nodeCredentials: INodeCredentialsDetails,
		type: string,
	): Promise<ICredentialDataDecryptedObject> {
		const data = this.credentials[type];
		if (!data) throw new Error(`no test credentials of type ${type}`);
		return { ...data };
	}

	async updateCredentials(): Promise<void> {}

	async updateCredentialsOauthTokenData(): Promise<void> {}

	getCredentialsProperties(type: string): INodeProperties[] {
		return CREDENTIAL_TYPES[type]?.properties ?? [];
	}
}

export interface InstanceOptions {
	credentials?: Record<string, ICredentialDataDecryptedObject>;
	/** e.g. `http://127.0.0.1:5678/webhook`. */
	webhookBaseUrl?: string;
	webhookTestBaseUrl?: string;
	hooks?: ExecutionLifecycleHooks;
	httpRequest?: express.Request;
	httpResponse?: express.Response;
}

/** What an n8n instance hands every execution (`IWorkflowExecuteAdditionalData`), minimal. */
export function additionalData(options: InstanceOptions = {}): IWorkflowExecuteAdditionalData {
	const data: Partial<IWorkflowExecuteAdditionalData> = {
		credentialsHelper: new TestCredentialsHelper(options.credentials ?? {}),
		hooks: options.hooks,
		executionId: randomUUID(),
		restApiUrl: 'http://127.0.0.1:5678/rest',
		instanceBaseUrl: 'http://127.0.0.1:5678/',
		formWaitingBaseUrl: 'http://127.0.0.1:5678/form-waiting',
		webhookBaseUrl: options.webhookBaseUrl ?? 'http://127.0.0.1:5678/webhook',
		webhookWaitingBaseUrl: 'http://127.0.0.1:5678/webhook-waiting',
		webhookTestBaseUrl: options.webhookTestBaseUrl ?? 'http://127.0.0.1:5678/webhook-test',
		currentNodeParameters: undefined,
		variables: {},
		userId: 'user-1',
	};
	if (options.httpRequest) data.httpRequest = options.httpRequest;
	if (options.httpResponse) data.httpResponse = options.httpResponse;
	return data as IWorkflowExecuteAdditionalData;
}

export interface NodeSpec {
	type: 'mdmEventTrigger' | 'sendWebhook' | 'verifySignature' | 'mdmVendorEvent';
	parameters: INode['parameters'];
	credentials?: INode['credentials'];
	name?: string;
	onError?: INode['onError'];
}

export function makeNode(spec: NodeSpec): INode {
	return {
		id: randomUUID(),
		webhookId: spec.type === 'mdmEventTrigger' ? randomUUID() : undefined,
		name: spec.name ?? spec.type,
		type: `${PACKAGE}.${spec.type}`,
		typeVersion: 1,
		position: [0, 0],
		parameters: spec.parameters,
		credentials: spec.credentials,
		onError: spec.onError,
	};
}

export function makeWorkflow(nodes: INode[], staticData: IDataObject = {}, id = 'wf_TestWorkflow1'): Workflow {
	return new Workflow({
		id,
		name: 'Node pack test',
		nodes,
		connections: {},
		active: false,
		nodeTypes,
		staticData,
	});
}

export interface NodeRun {
	/** Items per output (Send Webhook: one output; Verify Signature: Valid, Invalid). */
	outputs: INodeExecutionData[][];
	task: ITaskData;
	run: IRun;
}

/**
 * Runs a workflow in n8n-core's WorkflowExecute from `start` with `items` as its input, the way
 * n8n's own NodeTestHarness does (and the way n8n runs a trigger's output after a webhook).
 */
export async function executeWorkflow(
	nodes: INode[],
	connections: IConnections,
	start: INode,
	items: INodeExecutionData[],
	options: InstanceOptions & { mode?: WorkflowExecuteMode } = {},
): Promise<IRun> {
	const workflow = new Workflow({
		id: 'wf_TestWorkflow1',
		name: 'Node pack test',
		nodes,
		connections,
		active: false,
		nodeTypes,
		staticData: {},
	});
	const mode = options.mode ?? 'manual';
	const workflowData = {
		id: workflow.id,
		name: workflow.name,
		nodes,
		connections,
		active: false,
		settings: {},
		createdAt: new Date(),
		updatedAt: new Date(),
	} as unknown as IWorkflowBase;
	const hooks = new ExecutionLifecycleHooks(mode, randomUUID(), workflowData);
	let finished!: (run: IRun) => void;
	const done = new Promise<IRun>((resolve) => (finished = resolve));
	hooks.addHandler('workflowExecuteAfter', (fullRun) => finished(fullRun));

	const runExecutionData = {
		startData: {},
		resultData: { runData: {} },
		executionData: {
			contextData: {},
			metadata: {},
			nodeExecutionStack: [{ node: start, data: { main: [items] }, source: null }],
			waitingExecution: {},
			waitingExecutionSource: {},
		},
	} as unknown as IRunExecutionData;

	const execute = new WorkflowExecute(additionalData({ ...options, hooks }), mode, runExecutionData);
	await execute.processRunExecutionData(workflow);
	return await done;
}

/** Runs one node (see `executeWorkflow`) and returns what it produced, or its error in `task.error`. */
export async function executeNode(
	spec: NodeSpec,
	items: INodeExecutionData[],
	options: InstanceOptions & { mode?: WorkflowExecuteMode } = {},
): Promise<NodeRun> {
	const node = makeNode(spec);
	const run = await executeWorkflow([node], {}, node, items, options);
	const task = run.data.resultData.runData[node.name]?.[0];
	if (!task) throw new Error(`node ${node.name} did not run: ${JSON.stringify(run.data.resultData.error)}`);
	const outputs = (task.data?.main ?? []).map((output) => output ?? []);
	return { outputs, task, run };
}

/** The webhook n8n would register for the trigger node (`NodeHelpers`' rules for the path). */
export function triggerWebhookData(
	workflow: Workflow,
	node: INode,
	data: IWorkflowExecuteAdditionalData,
	isTest: boolean,
): IWebhookData {
	const nodeType = nodeTypes.getByNameAndVersion(node.type, node.typeVersion);
	const description = nodeType.description.webhooks![0];
	return {
		httpMethod: 'POST',
		node: node.name,
		path: `${node.webhookId}/${String(description.path)}`,
		webhookDescription: description,
		workflowId: workflow.id,
		workflowExecuteAdditionalData: data,
		webhookId: node.webhookId,
		isTest,
	};
}

/** n8n-core's HookContext, as n8n builds it to call `webhookMethods.default.*`. */
export function hookContext(
	workflow: Workflow,
	node: INode,
	data: IWorkflowExecuteAdditionalData,
	mode: WorkflowExecuteMode,
	activation: WorkflowActivateMode,
): HookContext {
	return new HookContext(
		workflow,
		node,
		data,
		mode,
		activation,
		triggerWebhookData(workflow, node, data, mode === 'manual'),
	);
}

export function loadOptionsContext(workflow: Workflow, node: INode, data: IWorkflowExecuteAdditionalData) {
	return new LoadOptionsContext(workflow, node, data, 'events');
}

export interface WebhookCall {
	status: number;
	body: unknown;
	result?: IWebhookResponseData;
	error?: Error;
}

/**
 * n8n's webhook front, reduced: an HTTP server that reads the raw body (as n8n's
 * `rawBodyReader` + `parseBody` do), builds n8n-core's WebhookContext and calls the node's
 * `webhook()`. When the node returns workflow data without answering, the front answers as n8n
 * 2.40.7's "onReceived" mode does; when it answered itself (`noWebhookResponse`) the front adds
 * nothing.
 */
export class WebhookFront {
	readonly calls: WebhookCall[] = [];
	private server?: http.Server;
	baseUrl = '';

	constructor(
		private readonly workflow: Workflow,
		private readonly node: INode,
		private readonly credentials: Record<string, ICredentialDataDecryptedObject>,
		private readonly mode: WorkflowExecuteMode = 'webhook',
	) {}

	get webhookBaseUrl(): string {
		return `${this.baseUrl}/webhook`;
	}

	get webhookTestBaseUrl(): string {
		return `${this.baseUrl}/webhook-test`;
	}

	async start(): Promise<this> {
		const app = express();
		app.use((req, res) => void this.handle(req, res));
		this.server = app.listen(0, '127.0.0.1');
		await once(this.server, 'listening');
		this.baseUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
		return this;
	}

	async close(): Promise<void> {
		if (!this.server) return;
		this.server.closeAllConnections();
		await new Promise<void>((resolve) => this.server!.close(() => resolve()));
	}

	/** The workflow data of every call that started an execution. */
	get executions(): INodeExecutionData[][][] {
		return this.calls.flatMap((c) => (c.result?.workflowData ? [c.result.workflowData] : []));
	}

	private async handle(req: express.Request, res: express.Response): Promise<void> {
		const call: WebhookCall = { status: 0, body: undefined };
		this.calls.push(call);
		// n8n's rawBodyReader + parseBody: the exact bytes in req.rawBody, JSON parsed into req.body.
		req.readRawBody = async () => {
			if (req.rawBody !== undefined) return;
			const chunks: Buffer[] = [];
			for await (const chunk of req) chunks.push(chunk as Buffer);
			req.rawBody = Buffer.concat(chunks);
		};
		await req.readRawBody();
		const contentType = String(req.headers['content-type'] ?? '').split(';')[0].trim();
		req.body = contentType === 'application/json' && req.rawBody.length ? safeJson(req.rawBody.toString('utf8')) : {};

		const originalJson = res.json.bind(res);
		res.json = (body: unknown) => {
			call.status = res.statusCode;
			call.body = body;
			return originalJson(body);
		};
		const data = additionalData({
			credentials: this.credentials,
			webhookBaseUrl: this.webhookBaseUrl,
			webhookTestBaseUrl: this.webhookTestBaseUrl,
			httpRequest: req,
			httpResponse: res,
		});
		const isTest = req.url.startsWith('/webhook-test/');
		const webhookData = triggerWebhookData(this.workflow, this.node, data, isTest);
		const context = new WebhookContext(this.workflow, this.node, data, this.mode, webhookData, [], null);
		const nodeType = nodeTypes.getByNameAndVersion(this.node.type, this.node.typeVersion);
		try {
			call.result = await nodeType.webhook!.call(context);
			if (call.result.workflowData && !res.headersSent) {
				// n8n 2.40.7's "onReceived" answer when the webhook description has no `responseData`:
				// the default's name, as text (webhook-helpers' extractWebhookOnReceivedResponse).
				const description = nodeType.description.webhooks?.[0];
				const responseData = String(description?.responseData ?? 'firstEntryJson');
				if (responseData === 'noData') res.status(200).end();
				else res.status(200).send(responseData);
			} else if (!call.result.noWebhookResponse && !res.headersSent) {
				res.status(200).json({ message: 'Webhook call received' });
			}
		} catch (error) {
			call.error = error as Error;
			if (!res.headersSent) res.status(500).json({ message: (error as Error).message });
		}
	}
}

function safeJson(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		return {};
	}
}

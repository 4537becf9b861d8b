import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { verificationSecretProblem } from '../../core';
import { webhookSigningSecretTest } from '../shared/credentialTests';
import { verifyItem } from './actions/verify';
import type { VerifySchemeName, VerifySettings } from './actions/verify';

const DEFAULT_TOLERANCE_SECONDS = 300;

const SCHEME_LABELS: Record<string, string> = {
	standard: 'Standard Webhooks',
	'standard-ed25519': 'Standard Webhooks Ed25519',
	scalefusion: 'Scalefusion',
	mender: 'Mender',
	hmac: 'Generic HMAC',
};

function schemeLabel(scheme: string): string {
	return SCHEME_LABELS[scheme] ?? `"${scheme}"`;
}

export class VerifySignature implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Verify Signature',
		name: 'verifySignature',
		icon: { light: 'file:verifySignature.svg', dark: 'file:verifySignature.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["scheme"] }}',
		description:
			'Check a webhook request\'s signature (Standard Webhooks HMAC or Ed25519, Scalefusion, Mender or any HMAC) and route it to Valid or Invalid',
		defaults: { name: 'Verify Signature' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main],
		outputNames: ['Valid', 'Invalid'],
		credentials: [
			{ name: 'webhookSigningSecretApi', required: true, testedBy: 'webhookSigningSecretTest' },
		],
		properties: [
			{
				displayName:
					'Turn on "Raw Body" in the Webhook node\'s options: signatures cover the exact bytes received. Without it the JSON body is re-serialised, which only matches senders that serialise compactly.',
				name: 'rawBodyNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Scheme',
				name: 'scheme',
				type: 'options',
				options: [
					{
						name: 'Generic HMAC',
						value: 'hmac',
						description: 'An HMAC of the body in a header you name (e.g. GitHub X-Hub-Signature-256)',
					},
					{
						name: 'Mender',
						value: 'mender',
						description: 'X-Men-Signature: hex HMAC-SHA256 of the body',
					},
					{
						name: 'Scalefusion',
						value: 'scalefusion',
						description: 'X-SF-Signature: hex HMAC-SHA256 of the body',
					},
					{
						name: 'Standard Webhooks',
						value: 'standard',
						description: 'Webhook-ID / webhook-timestamp / webhook-signature v1 (HMAC, the MDM dispatcher\'s default)',
					},
					{
						name: 'Standard Webhooks Ed25519',
						value: 'standard-ed25519',
						description: 'The same headers with a v1a (ed25519) signature, checked with the public key whpk_…',
					},
				],
				default: 'standard',
			},
			{
				displayName: 'Header Name',
				name: 'headerName',
				type: 'string',
				default: 'x-hub-signature-256',
				required: true,
				description: 'The header that carries the signature',
				displayOptions: { show: { scheme: ['hmac'] } },
			},
			{
				displayName: 'Algorithm',
				name: 'algorithm',
				type: 'options',
				options: [
					{ name: 'SHA-1', value: 'sha1' },
					{ name: 'SHA-256', value: 'sha256' },
					{ name: 'SHA-512', value: 'sha512' },
				],
				default: 'sha256',
				displayOptions: { show: { scheme: ['hmac'] } },
			},
			{
				displayName: 'Encoding',
				name: 'encoding',
				type: 'options',
				options: [
					{ name: 'Hex', value: 'hex' },
					{ name: 'Base64', value: 'base64' },
				],
				default: 'hex',
				displayOptions: { show: { scheme: ['hmac'] } },
			},
			{
				displayName: 'Prefix',
				name: 'prefix',
				type: 'string',
				default: '',
				placeholder: 'sha256=',
				description:
					'Text in front of the digest in the header value. GitHub sends <code>X-Hub-Signature-256: sha256=&lt;hex digest&gt;</code>, so its prefix is <code>sha256=</code>. Leave empty when the header holds the digest alone.',
				displayOptions: { show: { scheme: ['hmac'] } },
			},
			{
				displayName: 'Raw Body Binary Property',
				name: 'binaryPropertyName',
				type: 'string',
				default: 'data',
				description:
					'Binary property holding the raw request body (the Webhook node\'s Raw Body output). When the item has none, JSON body is used.',
			},
			{
				displayName: 'Timestamp Tolerance (Seconds)',
				name: 'toleranceSeconds',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: DEFAULT_TOLERANCE_SECONDS,
				description: 'How far webhook-timestamp may be from now before the request counts as replayed',
				displayOptions: { show: { scheme: ['standard', 'standard-ed25519'] } },
			},
		],
	};

	methods = {
		credentialTest: { webhookSigningSecretTest },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const valid: INodeExecutionData[] = [];
		const invalid: INodeExecutionData[] = [];

		for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
			const item = items[itemIndex];
			const pairedItem = { item: itemIndex };
			try {
				const scheme = this.getNodeParameter('scheme', itemIndex, 'standard') as VerifySchemeName;
				const credentials = await this.getCredentials<{ scheme?: string; secret?: string }>(
					'webhookSigningSecretApi',
					itemIndex,
				);
				const secret = String(credentials.secret ?? '');
				if (!secret) {
					throw new NodeOperationError(this.getNode(), 'The signing credential has no secret', {
						itemIndex,
					});
				}
				// The credential says which scheme its secret is for (its default is Standard
				// Webhooks); checking it with another scheme is a configuration mistake, not an
				// invalid request.
				const credentialScheme = String(credentials.scheme ?? 'standard');
				if (credentialScheme !== scheme) {
					throw new NodeOperationError(
						this.getNode(),
						`The node checks ${schemeLabel(scheme)} signatures, but its signing credential is for ${schemeLabel(credentialScheme)}`,
						{
							itemIndex,
							description:
								'Choose the same scheme in the node\'s "Scheme" and in the Webhook Signing Secret API credential (or pick a credential made for this scheme).',
						},
					);
				}
				const secretProblem = scheme === 'mender' || scheme === 'standard-ed25519' ? verificationSecretProblem(scheme, secret) : undefined;
				if (secretProblem) {
					throw new NodeOperationError(this.getNode(), `The signing credential's secret cannot verify ${scheme === 'mender' ? 'Mender' : 'Standard Webhooks Ed25519'} requests`, {
						itemIndex,
						description:
							scheme === 'mender'
								? `${secretProblem}. Use the secret exactly as entered in Mender's webhook integration.`
								: `${secretProblem}. Use the public key (whpk_…) the dispatcher shows for the webhook.`,
					});
				}
				const hmacOnly = scheme === 'hmac';
				const settings: VerifySettings = {
					scheme,
					secret,
					toleranceSeconds: Number(
						scheme === 'standard' || scheme === 'standard-ed25519'
							? this.getNodeParameter('toleranceSeconds', itemIndex, DEFAULT_TOLERANCE_SECONDS)
							: DEFAULT_TOLERANCE_SECONDS,
					),
					binaryPropertyName: String(this.getNodeParameter('binaryPropertyName', itemIndex, 'data') ?? ''),
					hmac: {
						headerName: hmacOnly ? String(this.getNodeParameter('headerName', itemIndex, '')) : '',
						algorithm: hmacOnly
							? (this.getNodeParameter('algorithm', itemIndex, 'sha256') as VerifySettings['hmac']['algorithm'])
							: 'sha256',
						encoding: hmacOnly
							? (this.getNodeParameter('encoding', itemIndex, 'hex') as VerifySettings['hmac']['encoding'])
							: 'hex',
						prefix: hmacOnly ? String(this.getNodeParameter('prefix', itemIndex, '') ?? '') : '',
					},
				};
				if (hmacOnly && !settings.hmac.headerName.trim()) {
					throw new NodeOperationError(this.getNode(), 'Header Name is empty', { itemIndex });
				}

				const verdict = await verifyItem(this, item, itemIndex, settings);
				if (verdict.valid) {
					valid.push({ ...item, pairedItem });
				} else {
					invalid.push({
						...item,
						json: {
							...item.json,
							signatureError: { reason: verdict.reason, message: verdict.message } as IDataObject,
						},
						pairedItem,
					});
				}
			} catch (error) {
				if (this.continueOnFail()) {
					invalid.push({
						...item,
						json: {
							...item.json,
							signatureError: { reason: 'error', message: (error as Error).message },
						},
						pairedItem,
					});
					continue;
				}
				// Hands back an error that already is a NodeOperationError unchanged.
				throw new NodeOperationError(this.getNode(), error as Error, { itemIndex });
			}
		}

		return [valid, invalid];
	}
}

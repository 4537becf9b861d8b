import type { Icon, ICredentialType, INodeProperties } from 'n8n-workflow';

/**
 * A shared signing secret and the scheme it is used with. Send Webhook signs with it, Verify
 * Signature checks incoming requests against it. Tested offline by the nodes (`testedBy`): the
 * secret's shape is checked against the scheme, nothing is sent anywhere.
 */
export class WebhookSigningSecretApi implements ICredentialType {
	name = 'webhookSigningSecretApi';

	displayName = 'Webhook Signing Secret API';

	icon: Icon = {
		light: 'file:icons/webhookSigningSecretApi.svg',
		dark: 'file:icons/webhookSigningSecretApi.dark.svg',
	};

	documentationUrl = 'https://www.npmjs.com/package/n8n-nodes-mdm-webhooks';

	properties: INodeProperties[] = [
		{
			displayName: 'Scheme',
			name: 'scheme',
			type: 'options',
			options: [
				{
					name: 'Standard Webhooks',
					value: 'standard',
					description:
						'Webhook-ID, webhook-timestamp and webhook-signature headers; secret starts with whsec_',
				},
				{
					name: 'Standard Webhooks Ed25519',
					value: 'standard-ed25519',
					description:
						'Same headers, signature v1a (ed25519): Verify Signature takes the public key whpk_…, Send Webhook signs with the secret key whsk_…',
				},
				{
					name: 'Scalefusion',
					value: 'scalefusion',
					description: 'X-SF-Signature: hex HMAC-SHA256 of the body',
				},
				{
					name: 'Mender',
					value: 'mender',
					description:
						'X-Men-Signature: hex HMAC-SHA256 of the body, keyed with the hex-decoded secret; the secret is hex, as Mender requires',
				},
				{
					name: 'Generic HMAC',
					value: 'hmac',
					description: 'Any HMAC of the body in a header (verification only), e.g. GitHub',
				},
			],
			default: 'standard',
		},
		{
			displayName: 'Secret',
			name: 'secret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			placeholder: 'whsec_…',
			description:
				'For Standard Webhooks the whsec_ secret the dispatcher showed when the webhook was created; for Standard Webhooks Ed25519 the public key whpk_… to verify (or the secret key whsk_… to sign); for Mender the hex string entered in Mender (e.g. 64 hex characters); for the other HMAC schemes the shared secret as text',
			required: true,
		},
	];
}

import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { signingSecretProblem } from '../../../core';
import type { DestinationAuth, SigningSchemeName } from '../../../core';

/** The schemes Send Webhook can sign with (generic HMAC is verification-only). */
const SENDING_SCHEMES: readonly SigningSchemeName[] = ['standard', 'standard-ed25519', 'scalefusion', 'mender'];

/** The destination auth the core puts into the request (`none` unless a credential is chosen). */
export async function resolveAuth(this: IExecuteFunctions, itemIndex: number): Promise<DestinationAuth> {
	const authentication = this.getNodeParameter('authentication', itemIndex, 'none') as string;
	if (authentication !== 'destinationAuthApi') return { type: 'none' };

	const credentials = await this.getCredentials<{
		authType?: string;
		username?: string;
		password?: string;
		token?: string;
	}>('destinationAuthApi', itemIndex);
	if (credentials.authType === 'basic') {
		return {
			type: 'basic',
			username: String(credentials.username ?? ''),
			password: String(credentials.password ?? ''),
		};
	}
	if (credentials.authType === 'bearer') {
		return { type: 'bearer', token: String(credentials.token ?? '') };
	}
	throw new NodeOperationError(
		this.getNode(),
		`Destination Auth credential has unknown auth type "${String(credentials.authType)}"`,
		{ itemIndex },
	);
}

/** Scheme and secret to sign with (`none` unless a signing credential is chosen). */
export async function resolveSigning(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<{ scheme: SigningSchemeName; secrets: string[] }> {
	const signing = this.getNodeParameter('signing', itemIndex, 'none') as string;
	if (signing !== 'webhookSigningSecretApi') return { scheme: 'none', secrets: [] };

	const credentials = await this.getCredentials<{ scheme?: string; secret?: string }>(
		'webhookSigningSecretApi',
		itemIndex,
	);
	const scheme = String(credentials.scheme ?? 'standard') as SigningSchemeName;
	if (!SENDING_SCHEMES.includes(scheme)) {
		throw new NodeOperationError(
			this.getNode(),
			`The signing credential's scheme "${scheme}" cannot sign requests`,
			{
				itemIndex,
				description:
					'Send Webhook signs with Standard Webhooks (HMAC or Ed25519), Scalefusion or Mender; generic HMAC is for Verify Signature only',
			},
		);
	}
	const secret = String(credentials.secret ?? '');
	if (!secret) {
		throw new NodeOperationError(this.getNode(), 'The signing credential has no secret', { itemIndex });
	}
	const secretProblem = signingSecretProblem(scheme, secret);
	if (secretProblem) {
		throw new NodeOperationError(this.getNode(), `The signing credential's secret cannot sign with "${scheme}"`, {
			itemIndex,
			description: secretProblem,
		});
	}
	return { scheme, secrets: [secret] };
}

import type {
	ICredentialTestFunctions,
	ICredentialsDecrypted,
	INodeCredentialTestResult,
} from 'n8n-workflow';

import { signingSecretProblem, verificationSecretProblem } from '../../core';

/**
 * Offline test of a Webhook Signing Secret credential (`testedBy` on the nodes that use it):
 * the secret must be set and fit its scheme (Standard Webhooks: a `whsec_` key; Mender: hex), by
 * the core's rule. Nothing leaves n8n.
 */
export async function webhookSigningSecretTest(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	const scheme = String(credential.data?.scheme ?? 'standard');
	const secret = String(credential.data?.secret ?? '');
	if (!secret) return { status: 'Error', message: 'The secret is empty' };
	if (scheme === 'standard-ed25519') {
		// A public key verifies (Verify Signature); only the secret key can also sign (Send Webhook).
		const problem = verificationSecretProblem(scheme, secret);
		if (problem) return { status: 'Error', message: `Not an ed25519 key: ${problem}` };
		const signs = signingSecretProblem(scheme, secret) === undefined;
		return {
			status: 'OK',
			message: signs
				? 'The secret key (whsk_) can sign (Send Webhook) and verify (Verify Signature)'
				: 'The public key (whpk_) can verify (Verify Signature); signing needs the secret key whsk_',
		};
	}
	if (scheme === 'standard' || scheme === 'mender') {
		const problem = signingSecretProblem(scheme, secret);
		if (problem) {
			const name = scheme === 'standard' ? 'a Standard Webhooks' : 'a Mender';
			return { status: 'Error', message: `Not ${name} secret: ${problem}` };
		}
	}
	return { status: 'OK', message: `The secret can be used with the "${scheme}" scheme` };
}

/** Offline test of a Destination Auth credential: the fields its type needs are filled in. */
export async function destinationAuthTest(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	const data = credential.data ?? {};
	if (data.authType === 'basic') {
		if (!data.username) return { status: 'Error', message: 'Basic auth needs a username' };
		return { status: 'OK', message: 'Basic auth credential is complete' };
	}
	if (data.authType === 'bearer') {
		if (!data.token) return { status: 'Error', message: 'Bearer auth needs a token' };
		return { status: 'OK', message: 'Bearer token credential is complete' };
	}
	return { status: 'Error', message: `Unknown auth type "${String(data.authType)}"` };
}

/** The credential types: names, fields, and the offline credential tests the nodes declare. */
import { randomBytes } from 'node:crypto';

import type {
	ICredentialDataDecryptedObject,
	ICredentialTestFunctions,
	ICredentialsDecrypted,
} from 'n8n-workflow';
import { describe, expect, it } from 'vitest';

import { generateEd25519KeyPair } from '../../core';
import { DestinationAuthApi } from '../../credentials/DestinationAuthApi.credentials';
import { MdmDispatcherApi } from '../../credentials/MdmDispatcherApi.credentials';
import { WebhookSigningSecretApi } from '../../credentials/WebhookSigningSecretApi.credentials';
import { SendWebhook } from '../../nodes/SendWebhook/SendWebhook.node';
import { VerifySignature } from '../../nodes/VerifySignature/VerifySignature.node';
import { destinationAuthTest, webhookSigningSecretTest } from '../../nodes/shared/credentialTests';

// The offline tests use nothing from their context.
const context = {} as ICredentialTestFunctions;
const credential = (data: ICredentialDataDecryptedObject): ICredentialsDecrypted => ({ id: 'c', name: 'c', type: 't', data });

describe('credential types', () => {
	it('MDM Dispatcher API: base URL + password-masked key, bearer auth, a test against /v1/event-types', () => {
		const type = new MdmDispatcherApi();
		expect(type.name).toBe('mdmDispatcherApi');
		expect(type.displayName).toBe('MDM Dispatcher API');
		expect(type.properties.map((p) => p.name)).toEqual(['baseUrl', 'apiKey']);
		expect(type.properties[1].typeOptions?.password).toBe(true);
		expect(type.authenticate).toEqual({
			type: 'generic',
			properties: { headers: { Authorization: '=Bearer {{$credentials.apiKey}}' } },
		});
		expect(type.test.request).toMatchObject({ url: '/v1/event-types', method: 'GET' });
	});

	it('Webhook Signing Secret and Destination Auth fields', () => {
		const signing = new WebhookSigningSecretApi();
		expect(signing.name).toBe('webhookSigningSecretApi');
		expect(signing.displayName).toBe('Webhook Signing Secret API');
		const scheme = signing.properties.find((p) => p.name === 'scheme');
		expect(scheme?.options?.map((o) => (o as { value: string }).value)).toEqual([
			'standard',
			'standard-ed25519',
			'scalefusion',
			'mender',
			'hmac',
		]);
		expect(signing.properties.find((p) => p.name === 'secret')?.typeOptions?.password).toBe(true);

		const auth = new DestinationAuthApi();
		expect(auth.name).toBe('destinationAuthApi');
		expect(auth.displayName).toBe('Destination Auth API');
		expect(auth.properties.map((p) => p.name)).toEqual(['authType', 'username', 'password', 'token']);
		for (const name of ['password', 'token']) {
			expect(auth.properties.find((p) => p.name === name)?.typeOptions?.password).toBe(true);
		}
	});

	it('the nodes wire their offline credential tests', () => {
		const send = new SendWebhook();
		expect(send.description.credentials?.map((c) => [c.name, c.testedBy])).toEqual([
			['destinationAuthApi', 'destinationAuthTest'],
			['webhookSigningSecretApi', 'webhookSigningSecretTest'],
		]);
		expect(Object.keys(send.methods.credentialTest)).toEqual(['destinationAuthTest', 'webhookSigningSecretTest']);
		expect(new VerifySignature().methods.credentialTest.webhookSigningSecretTest).toBe(webhookSigningSecretTest);
	});
});

describe('offline credential tests', () => {
	it('signing secret: a whsec_ key passes for standard, garbage does not; HMAC schemes need any secret', async () => {
		const good = `whsec_${randomBytes(24).toString('base64')}`;
		expect((await webhookSigningSecretTest.call(context, credential({ scheme: 'standard', secret: good }))).status).toBe('OK');
		const bad = await webhookSigningSecretTest.call(context, credential({ scheme: 'standard', secret: 'whsec_%%%' }));
		expect(bad.status).toBe('Error');
		expect(bad.message).toMatch(/Standard Webhooks/);
		expect((await webhookSigningSecretTest.call(context, credential({ scheme: 'hmac', secret: 'x' }))).status).toBe('OK');
		expect((await webhookSigningSecretTest.call(context, credential({ scheme: 'mender', secret: '' }))).status).toBe('Error');
	});

	it('signing secret: an ed25519 public key verifies, its secret key also signs, anything else is refused', async () => {
		const { secretKey, publicKey } = generateEd25519KeyPair();
		const test = (secret: string) => webhookSigningSecretTest.call(context, credential({ scheme: 'standard-ed25519', secret }));
		expect(await test(publicKey)).toMatchObject({ status: 'OK', message: expect.stringMatching(/public key .*verify/) });
		expect(await test(secretKey)).toMatchObject({ status: 'OK', message: expect.stringMatching(/sign .*and verify/) });
		expect(await test(`whsec_${randomBytes(24).toString('base64')}`)).toMatchObject({ status: 'Error', message: expect.stringMatching(/ed25519/) });
		expect(await test('whpk_AQID')).toMatchObject({ status: 'Error' });
	});

	it('signing secret: a Mender secret must be hex, as Mender requires', async () => {
		const hex = randomBytes(32).toString('hex');
		expect((await webhookSigningSecretTest.call(context, credential({ scheme: 'mender', secret: hex }))).status).toBe('OK');
		const text = await webhookSigningSecretTest.call(context, credential({ scheme: 'mender', secret: 'not-hex-at-all' }));
		expect(text.status).toBe('Error');
		expect(text.message).toMatch(/Mender secret.*hex/);
		const odd = await webhookSigningSecretTest.call(context, credential({ scheme: 'mender', secret: 'abc' }));
		expect(odd.status).toBe('Error');
	});

	it('destination auth: basic needs a username, bearer a token', async () => {
		const test = (data: ICredentialDataDecryptedObject) => destinationAuthTest.call(context, credential(data));
		expect((await test({ authType: 'basic', username: 'ana', password: 'x' })).status).toBe('OK');
		expect((await test({ authType: 'basic', username: '' })).status).toBe('Error');
		expect((await test({ authType: 'bearer', token: 'tok' })).status).toBe('OK');
		expect((await test({ authType: 'bearer', token: '' })).status).toBe('Error');
	});
});

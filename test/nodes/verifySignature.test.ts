/**
 * Verify Signature, run in n8n-core's WorkflowExecute. Items look like what n8n's Webhook node
 * emits with "Raw Body" on: json {headers, params, query, body} + binary `data` with the bytes.
 * Signatures are made independently of the core: Standard Webhooks by the `standardwebhooks`
 * package, Scalefusion / Mender / GitHub-style HMACs with node:crypto.
 */
import { createHmac, randomBytes } from 'node:crypto';

import type { ICredentialDataDecryptedObject, IDataObject, INodeExecutionData } from 'n8n-workflow';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { VerifySignature } from '../../nodes/VerifySignature/VerifySignature.node';
import { type TestDispatcher, startTestDispatcher } from '../helpers/dispatcher';
import { menderEvent, menderHeaders, menderWebhookBody } from '../helpers/mender';
import { type Receiver, startReceiver } from '../helpers/receiver';
import { executeNode } from './helpers/n8n';

const STANDARD_SECRET = `whsec_${randomBytes(24).toString('base64')}`;
const HMAC_SECRET = 'shared-hmac-secret-for-tests';
/** As entered in Mender's webhook integration: hex (Mender keys its HMAC with the decoded bytes). */
const MENDER_SECRET = randomBytes(32).toString('hex');

const envelope = {
	id: 'evt_2fQ9cX1',
	type: 'device.enrolled',
	timestamp: '2026-11-22T10:00:00.000Z',
	data: { device: { id: 'dev_1', name: 'Galaxy Note 8', platform: 'android' } },
};
// Pretty-printed on purpose: a re-serialised JSON body would not match these bytes.
const RAW = JSON.stringify(envelope, null, 2);

/** An item as n8n's Webhook node emits it with the Raw Body option. */
function webhookItem(headers: Record<string, string>, raw: string | Buffer = RAW, withBinary = true): INodeExecutionData {
	const bytes = Buffer.isBuffer(raw) ? raw : Buffer.from(raw, 'utf8');
	const item: INodeExecutionData = {
		json: {
			headers: { host: 'n8n.example.com', 'content-type': 'application/json', ...headers },
			params: {},
			query: {},
			body: JSON.parse(bytes.toString('utf8')) as IDataObject,
			webhookUrl: 'https://n8n.example.com/webhook/mdm',
			executionMode: 'production',
		},
	};
	if (withBinary) {
		item.binary = {
			data: { data: bytes.toString('base64'), mimeType: 'application/json', fileSize: String(bytes.length) },
		};
	}
	return item;
}

function standardHeaders(secret: string, raw: string, at = new Date(), id = `msg_${randomBytes(6).toString('hex')}`) {
	const signature = new Webhook(secret).sign(id, at, raw);
	return {
		'webhook-id': id,
		'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
		'webhook-signature': signature,
	};
}

const hexHmac = (algorithm: string, secret: string, body: string) =>
	createHmac(algorithm, secret).update(body).digest('hex');

async function verify(
	parameters: IDataObject,
	items: INodeExecutionData[],
	secret: ICredentialDataDecryptedObject,
	onError?: 'continueRegularOutput',
) {
	const { outputs, task } = await executeNode(
		{
			type: 'verifySignature',
			parameters: { binaryPropertyName: 'data', ...parameters } as IDataObject as never,
			credentials: { webhookSigningSecretApi: { id: 'cred-sign', name: 'Signing secret' } },
			onError,
		},
		items,
		{ credentials: { webhookSigningSecretApi: secret } },
	);
	expect(task.error, task.error?.message).toBeUndefined();
	const [valid = [], invalid = []] = outputs;
	return { valid, invalid };
}

describe('Verify Signature: Standard Webhooks (signed by the standardwebhooks package)', () => {
	const credential = { scheme: 'standard', secret: STANDARD_SECRET };

	it('routes a real signature to Valid and its tampered twins to Invalid, keeping paired items', async () => {
		const good = webhookItem(standardHeaders(STANDARD_SECRET, RAW));
		const tamperedBody = webhookItem(
			standardHeaders(STANDARD_SECRET, RAW),
			RAW.replace('Galaxy Note 8', 'Galaxy Note 9'),
		);
		const otherSecret = webhookItem(standardHeaders(`whsec_${randomBytes(24).toString('base64')}`, RAW));
		const stale = webhookItem(standardHeaders(STANDARD_SECRET, RAW, new Date(Date.now() - 10 * 60 * 1000)));
		const noSignature = webhookItem({ 'webhook-id': 'msg_1', 'webhook-timestamp': String(Math.floor(Date.now() / 1000)) });

		const { valid, invalid } = await verify(
			{ scheme: 'standard', toleranceSeconds: 300 },
			[good, tamperedBody, otherSecret, stale, noSignature],
			credential,
		);

		expect(valid).toHaveLength(1);
		expect(valid[0].pairedItem).toEqual({ item: 0 });
		expect(valid[0].json.body).toEqual(envelope);
		expect(valid[0].json.signatureError).toBeUndefined();
		expect(valid[0].binary?.data).toBeDefined();

		expect(invalid.map((i) => i.pairedItem)).toEqual([{ item: 1 }, { item: 2 }, { item: 3 }, { item: 4 }]);
		expect(invalid.map((i) => (i.json.signatureError as IDataObject).reason)).toEqual([
			'bad_signature',
			'bad_signature',
			'timestamp_out_of_window',
			'missing_header',
		]);
		for (const item of invalid) expect(typeof (item.json.signatureError as IDataObject).message).toBe('string');
	});

	it('honours the tolerance: a 10-minute-old request passes with a 900 s window', async () => {
		const old = webhookItem(standardHeaders(STANDARD_SECRET, RAW, new Date(Date.now() - 10 * 60 * 1000)));
		const { valid, invalid } = await verify({ scheme: 'standard', toleranceSeconds: 900 }, [old], credential);
		expect(valid).toHaveLength(1);
		expect(invalid).toHaveLength(0);
	});

	it('without the Raw Body binary, verifies the re-serialised JSON body of a compact sender', async () => {
		const compact = JSON.stringify(envelope);
		const item = webhookItem(standardHeaders(STANDARD_SECRET, compact), compact, false);
		const prettySigned = webhookItem(standardHeaders(STANDARD_SECRET, RAW), RAW, false);
		const { valid, invalid } = await verify({ scheme: 'standard' }, [item, prettySigned], credential);
		expect(valid.map((i) => i.pairedItem)).toEqual([{ item: 0 }]);
		// The pretty-printed original cannot be recovered from json.body: that is why Raw Body matters.
		expect(invalid.map((i) => (i.json.signatureError as IDataObject).reason)).toEqual(['bad_signature']);
	});
});

describe('Verify Signature: Scalefusion and Mender HMACs (made with node:crypto)', () => {
	it('Scalefusion: X-SF-Signature hex HMAC-SHA256 of the raw body', async () => {
		const good = webhookItem({ 'x-sf-signature': hexHmac('sha256', HMAC_SECRET, RAW) });
		const tampered = webhookItem({ 'x-sf-signature': hexHmac('sha256', HMAC_SECRET, RAW) }, RAW.replace('dev_1', 'dev_2'));
		const wrongKey = webhookItem({ 'x-sf-signature': hexHmac('sha256', 'not-the-secret', RAW) });
		const { valid, invalid } = await verify({ scheme: 'scalefusion' }, [good, tampered, wrongKey], {
			scheme: 'scalefusion',
			secret: HMAC_SECRET,
		});
		expect(valid.map((i) => i.pairedItem)).toEqual([{ item: 0 }]);
		expect(invalid.map((i) => i.pairedItem)).toEqual([{ item: 1 }, { item: 2 }]);
		expect(invalid.every((i) => (i.json.signatureError as IDataObject).reason === 'bad_signature')).toBe(true);
	});

	it('Mender: a request as Mender sends it, signed with the hex-decoded secret, verifies', async () => {
		// The body is Go's json.Marshal of iot-manager's WebhookEvent; the HMAC key is the decoded hex.
		const body = menderWebhookBody(
			menderEvent('device-status-changed', { id: '769e5a83-259c-4506-ab05-9c2564f196fd', status: 'rejected' }),
		);
		const good = webhookItem(menderHeaders(body, MENDER_SECRET), body);
		// Mender's docs name the header X-Men-Signature-Payload: accepted as well.
		const docsHeader = webhookItem(
			{ 'x-men-signature-payload': menderHeaders(body, MENDER_SECRET)['x-men-signature'] },
			body,
		);
		const tampered = webhookItem(menderHeaders(body, MENDER_SECRET), body.replace('rejected', 'accepted'));
		// Keyed with the hex text's UTF-8 bytes (the old, wrong way): must not verify.
		const textKeyed = webhookItem({ 'x-men-signature': hexHmac('sha256', MENDER_SECRET, body) }, body);
		const missing = webhookItem({}, body);
		const { valid, invalid } = await verify({ scheme: 'mender' }, [good, docsHeader, tampered, textKeyed, missing], {
			scheme: 'mender',
			secret: MENDER_SECRET,
		});
		expect(valid.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(valid[0].json.body).toEqual(JSON.parse(body));
		expect(invalid.map((i) => (i.json.signatureError as IDataObject).reason)).toEqual([
			'bad_signature',
			'bad_signature',
			'missing_header',
		]);
	});

	it('Mender: a secret that is not hex is a node error that says so', async () => {
		const body = menderWebhookBody(menderEvent('device-decommissioned', { id: 'dev-1' }));
		const { task } = await executeNode(
			{
				type: 'verifySignature',
				parameters: { binaryPropertyName: 'data', scheme: 'mender' } as IDataObject as never,
				credentials: { webhookSigningSecretApi: { id: 'cred-sign', name: 'Signing secret' } },
			},
			[webhookItem(menderHeaders(body, MENDER_SECRET), body)],
			{ credentials: { webhookSigningSecretApi: { scheme: 'mender', secret: 'my mender secret' } } },
		);
		expect(task.error?.message).toMatch(/cannot verify Mender/);
		expect(String((task.error as { description?: string } | undefined)?.description)).toMatch(/hex/);
	});
});

describe('Verify Signature: generic HMAC', () => {
	it('GitHub style: X-Hub-Signature-256 "sha256=<hex>"', async () => {
		const header = { 'X-Hub-Signature-256': `sha256=${hexHmac('sha256', HMAC_SECRET, RAW)}` };
		const good = webhookItem(header);
		const tampered = webhookItem(header, RAW.replace('"android"', '"ios"'));
		const { valid, invalid } = await verify(
			{ scheme: 'hmac', headerName: 'x-hub-signature-256', algorithm: 'sha256', encoding: 'hex', prefix: 'sha256=' },
			[good, tampered],
			{ scheme: 'hmac', secret: HMAC_SECRET },
		);
		expect(valid.map((i) => i.pairedItem)).toEqual([{ item: 0 }]);
		expect(invalid.map((i) => i.pairedItem)).toEqual([{ item: 1 }]);
		expect((invalid[0].json.signatureError as IDataObject).reason).toBe('bad_signature');
	});

	it('SHA-512 in base64 without prefix, and SHA-1 hex (legacy GitHub X-Hub-Signature)', async () => {
		const b64 = createHmac('sha512', HMAC_SECRET).update(RAW).digest('base64');
		const sha512 = await verify(
			{ scheme: 'hmac', headerName: 'x-signature', algorithm: 'sha512', encoding: 'base64', prefix: '' },
			[webhookItem({ 'x-signature': b64 }), webhookItem({ 'x-signature': b64 }, RAW.replace('8', '9'))],
			{ scheme: 'hmac', secret: HMAC_SECRET },
		);
		expect(sha512.valid).toHaveLength(1);
		expect(sha512.invalid).toHaveLength(1);

		const sha1 = await verify(
			{ scheme: 'hmac', headerName: 'x-hub-signature', algorithm: 'sha1', encoding: 'hex', prefix: 'sha1=' },
			[webhookItem({ 'x-hub-signature': `sha1=${hexHmac('sha1', HMAC_SECRET, RAW)}` })],
			{ scheme: 'hmac', secret: HMAC_SECRET },
		);
		expect(sha1.valid).toHaveLength(1);
	});

	it('a GitHub signature checked without Prefix is Invalid, and the message says "sha256=" would match', async () => {
		const header = { 'X-Hub-Signature-256': `sha256=${hexHmac('sha256', HMAC_SECRET, RAW)}` };
		const { valid, invalid } = await verify(
			{ scheme: 'hmac', headerName: 'x-hub-signature-256', algorithm: 'sha256', encoding: 'hex', prefix: '' },
			[webhookItem(header), webhookItem(header, RAW.replace('"android"', '"ios"'))],
			{ scheme: 'hmac', secret: HMAC_SECRET },
		);
		expect(valid).toHaveLength(0);
		const [right, tampered] = invalid.map((i) => i.json.signatureError as IDataObject);
		expect(right.reason).toBe('bad_signature');
		expect(right.message).toBe(
			'x-hub-signature-256 does not match the sha256 HMAC of the body with Prefix empty; the header value starts with "sha256=" and matches with Prefix "sha256=" (as GitHub sends it): set Prefix to sha256=',
		);
		// A body that does not match either way gets no such hint.
		expect(tampered.message).toBe('x-hub-signature-256 does not match the sha256 HMAC of the body');
	});

	it('the Prefix field shows a GitHub-style example', () => {
		const prefix = new VerifySignature().description.properties.find((p) => p.name === 'prefix');
		expect(prefix?.placeholder).toBe('sha256=');
		expect(prefix?.description).toContain('X-Hub-Signature-256: sha256=');
	});

	it('a missing signature header is Invalid with reason missing_header', async () => {
		const { valid, invalid } = await verify(
			{ scheme: 'hmac', headerName: 'x-hub-signature-256', algorithm: 'sha256', encoding: 'hex', prefix: 'sha256=' },
			[webhookItem({})],
			{ scheme: 'hmac', secret: HMAC_SECRET },
		);
		expect(valid).toHaveLength(0);
		expect(invalid[0].json.signatureError).toMatchObject({ reason: 'missing_header' });
	});
});

describe('Verify Signature: node contract', () => {
	it('has two outputs named Valid and Invalid and is usable as a tool', () => {
		const { description } = new VerifySignature();
		expect(description.outputs).toEqual(['main', 'main']);
		expect(description.outputNames).toEqual(['Valid', 'Invalid']);
		expect(description.usableAsTool).toBe(true);
	});

	it("the node's scheme and the credential's scheme cannot disagree: an error names both", async () => {
		const body = menderWebhookBody(menderEvent('device-decommissioned', { id: 'dev-1' }));
		const item = webhookItem(menderHeaders(body, MENDER_SECRET), body);
		const run = (onError?: 'continueRegularOutput') =>
			executeNode(
				{
					type: 'verifySignature',
					parameters: { scheme: 'mender', binaryPropertyName: 'data' } as IDataObject as never,
					credentials: { webhookSigningSecretApi: { id: 'cred-sign', name: 'Signing secret' } },
					onError,
				},
				[item],
				{ credentials: { webhookSigningSecretApi: { scheme: 'standard', secret: STANDARD_SECRET } } },
			);
		const failed = await run();
		expect(failed.task.error?.message).toBe(
			'The node checks Mender signatures, but its signing credential is for Standard Webhooks',
		);
		const routed = await run('continueRegularOutput');
		const [valid = [], invalid = []] = routed.outputs;
		expect(valid).toHaveLength(0);
		expect(invalid[0].json.signatureError).toEqual({
			reason: 'error',
			message: 'The node checks Mender signatures, but its signing credential is for Standard Webhooks',
		});
		// The same request with a Mender credential passes.
		const mender = await verify({ scheme: 'mender' }, [item], { scheme: 'mender', secret: MENDER_SECRET });
		expect(mender.valid).toHaveLength(1);
	});

	it('an item without binary or body is Invalid (missing_body), not an error', async () => {
		const { valid, invalid } = await verify({ scheme: 'standard' }, [{ json: { headers: {} } }], {
			scheme: 'standard',
			secret: STANDARD_SECRET,
		});
		expect(valid).toHaveLength(0);
		expect(invalid[0].json.signatureError).toMatchObject({ reason: 'missing_body' });
	});
});

describe('Verify Signature: Standard Webhooks Ed25519, as a real dispatcher signs it', () => {
	let dispatcher: TestDispatcher;
	let receiver: Receiver;
	let keys: { secret: string; publicKey: string };
	let received: { headers: Record<string, string>; raw: Buffer };

	beforeAll(async () => {
		dispatcher = await startTestDispatcher();
		receiver = await startReceiver();
		const created = await dispatcher.api.post('/v1/webhooks', {
			name: 'n8n verify',
			url: receiver.url,
			signing: { scheme: 'standard-ed25519' },
			events: ['device.enrolled'],
		});
		keys = created.body.signing;
		const accepted = await dispatcher.api.post('/v1/events', { type: 'device.enrolled', data: envelope.data });
		await dispatcher.api.waitForDelivery(accepted.body.deliveries[0].id);
		const [request] = await receiver.waitFor(1);
		received = { headers: request.headers as Record<string, string>, raw: request.raw };
	});
	afterAll(async () => {
		await receiver?.close();
		await dispatcher?.close();
	});

	it('the public key verifies the delivery (Valid); a tampered body, another key and an HMAC signature are Invalid', async () => {
		const pick = ({ 'webhook-id': id, 'webhook-timestamp': ts, 'webhook-signature': sig }: Record<string, string>) => ({
			'webhook-id': id,
			'webhook-timestamp': ts,
			'webhook-signature': sig,
		});
		const headers = pick(received.headers);
		const good = webhookItem(headers, received.raw);
		const tampered = webhookItem(headers, Buffer.from(received.raw.toString('utf8').replace('dev_1', 'dev_2')));
		const hmacSigned = webhookItem(standardHeaders(STANDARD_SECRET, RAW));
		const { valid, invalid } = await verify({ scheme: 'standard-ed25519' }, [good, tampered, hmacSigned], {
			scheme: 'standard-ed25519',
			secret: keys.publicKey,
		});
		expect(valid.map((i) => i.pairedItem)).toEqual([{ item: 0 }]);
		expect(invalid.map((i) => i.pairedItem)).toEqual([{ item: 1 }, { item: 2 }]);
		expect(invalid.map((i) => (i.json.signatureError as IDataObject).reason)).toEqual(['bad_signature', 'bad_signature']);

		const other = await dispatcher.api.post('/v1/webhooks', { name: 'other keys', url: receiver.url, signing: { scheme: 'standard-ed25519' } });
		const otherKey = await verify({ scheme: 'standard-ed25519' }, [good], { scheme: 'standard-ed25519', secret: other.body.signing.publicKey });
		expect(otherKey.invalid).toHaveLength(1);
	});

	it('a credential holding the whsk_ secret key verifies too; anything else is a node error naming the public key', async () => {
		const good = webhookItem(received.headers, received.raw);
		const withSecret = await verify({ scheme: 'standard-ed25519' }, [good], { scheme: 'standard-ed25519', secret: keys.secret });
		expect(withSecret.valid).toHaveLength(1);
		const { task } = await executeNode(
			{
				type: 'verifySignature',
				parameters: { binaryPropertyName: 'data', scheme: 'standard-ed25519' } as IDataObject as never,
				credentials: { webhookSigningSecretApi: { id: 'cred-sign', name: 'Signing secret' } },
			},
			[good],
			{ credentials: { webhookSigningSecretApi: { scheme: 'standard-ed25519', secret: STANDARD_SECRET } } },
		);
		expect(task.error?.message).toMatch(/cannot verify Standard Webhooks Ed25519/);
		expect(String((task.error as { description?: string } | undefined)?.description)).toMatch(/whpk_/);
	});
});

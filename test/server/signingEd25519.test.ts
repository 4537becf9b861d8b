/**
 * `standard-ed25519` end to end: a real dispatcher signs a delivery with the webhook's `whsk_`
 * secret key; a loopback receiver records the request byte for byte; the test verifies it with an
 * ed25519 check of its own (node:crypto, the public key from the API answer imported as a JWK),
 * before and after a key rotation.
 */
import { createPublicKey, verify as edVerify } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleEnvelope } from '../../core';
import { type TestDispatcher, startTestDispatcher } from '../helpers/dispatcher';
import { type ReceivedRequest, type Receiver, startReceiver } from '../helpers/receiver';

let dispatcher: TestDispatcher;
let receiver: Receiver;
beforeAll(async () => {
	dispatcher = await startTestDispatcher();
	receiver = await startReceiver();
});
afterAll(async () => {
	await receiver.close();
	await dispatcher.close();
});

/** Whether any `v1a,` entry of the request is an ed25519 signature of `id.timestamp.body` by `publicKey`. */
function signedBy(publicKey: string, request: ReceivedRequest): boolean {
	const x = Buffer.from(publicKey.replace(/^whpk_/, ''), 'base64').toString('base64url');
	const key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x }, format: 'jwk' });
	const content = Buffer.concat([
		Buffer.from(`${String(request.headers['webhook-id'])}.${String(request.headers['webhook-timestamp'])}.`),
		request.raw,
	]);
	return String(request.headers['webhook-signature'])
		.split(' ')
		.filter((entry) => entry.startsWith('v1a,'))
		.some((entry) => edVerify(null, content, key, Buffer.from(entry.slice(4), 'base64')));
}

async function deliver(type = 'device.enrolled'): Promise<ReceivedRequest> {
	const before = receiver.requests.length;
	const event = sampleEnvelope(type);
	const accepted = await dispatcher.api.post('/v1/events', { type: event.type, data: event.data });
	expect(accepted.status).toBe(202);
	const done = await dispatcher.api.waitForDelivery(accepted.body.deliveries[0].id);
	expect(done.status).toBe('succeeded');
	const [request] = (await receiver.waitFor(before + 1)).slice(before);
	return request;
}

describe('standard-ed25519 deliveries', () => {
	it('shows the secret key once and the public key always; the delivery verifies with the public key alone', async () => {
		const created = await dispatcher.api.post('/v1/webhooks', {
			name: 'ed25519 receiver',
			url: receiver.url,
			signing: { scheme: 'standard-ed25519' },
			events: ['device.*'],
		});
		expect(created.status).toBe(201);
		const { secret, publicKey } = created.body.signing;
		expect(secret).toMatch(/^whsk_[A-Za-z0-9+/]{43}=$/);
		expect(publicKey).toMatch(/^whpk_[A-Za-z0-9+/]{43}=$/);
		const shown = await dispatcher.api.get(`/v1/webhooks/${created.body.id}`);
		expect(shown.body.signing).toEqual({ scheme: 'standard-ed25519', secret: 'whsk_********', publicKey });
		expect(shown.text).not.toContain(secret.slice(5));

		const request = await deliver();
		expect(request.headers['webhook-signature']).toMatch(/^v1a,[A-Za-z0-9+/]{86}==$/);
		expect(request.headers['webhook-id']).toMatch(/^msg_/);
		expect(signedBy(publicKey, request)).toBe(true);
		// The independent check is a real check: a changed byte fails it.
		const tampered = { ...request, raw: Buffer.from(request.body.replace('"device.enrolled"', '"device.unenrolled"')) };
		expect(signedBy(publicKey, tampered)).toBe(false);
		// The delivery log shows the signature (not a secret) and no key.
		const logged = await dispatcher.api.get(`/v1/deliveries/${String(request.headers['webhook-id'])}`);
		expect(logged.body.request.headers['webhook-signature']).toBe(request.headers['webhook-signature']);
		expect(logged.text).not.toContain(secret.slice(5));

		// Rotation: a new key pair; both keys sign for the overlap, so receivers with either verify.
		const rotated = await dispatcher.api.post(`/v1/webhooks/${created.body.id}/secret/rotate`, {});
		expect(rotated.status).toBe(200);
		expect(rotated.body.signing.secret).toMatch(/^whsk_/);
		expect(rotated.body.signing.publicKey).not.toBe(publicKey);
		expect(rotated.body.signing.previousPublicKey).toBe(publicKey);
		const during = await deliver('device.locked');
		expect(String(during.headers['webhook-signature']).split(' ')).toHaveLength(2);
		expect(signedBy(publicKey, during)).toBe(true);
		expect(signedBy(rotated.body.signing.publicKey, during)).toBe(true);
		await dispatcher.api.delete(`/v1/webhooks/${created.body.id}`);
	});

	it('refuses a key of the wrong kind, and a scheme change replaces a secret that does not fit', async () => {
		const wrong = await dispatcher.api.post('/v1/webhooks', {
			name: 'wrong key',
			url: receiver.url,
			signing: { scheme: 'standard-ed25519', secret: 'whsec_AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcY' },
		});
		expect(wrong.status).toBe(422);
		expect(wrong.body.error.details).toEqual([{ path: '/signing/secret', message: expect.stringMatching(/whsk_/) }]);

		const hmac = await dispatcher.api.post('/v1/webhooks', { name: 'switches', url: receiver.url });
		expect(hmac.body.signing.secret).toMatch(/^whsec_/);
		const switched = await dispatcher.api.patch(`/v1/webhooks/${hmac.body.id}`, { signing: { scheme: 'standard-ed25519' } });
		expect(switched.status).toBe(200);
		expect(switched.body.signing).toEqual({ scheme: 'standard-ed25519', secret: 'whsk_********', publicKey: expect.stringMatching(/^whpk_/) });
		await dispatcher.api.delete(`/v1/webhooks/${hmac.body.id}`);
	});
});

/**
 * Standard Webhooks `v1a` (ed25519): keys, signing, verification. Every signature the core makes
 * is checked by an independent ed25519 verification written here against node:crypto (the public
 * key imported as a JWK, not through the core's DER wrapping), and against the published vector of
 * the Standard Webhooks reference library.
 */
import { createPublicKey, generateKeyPairSync, sign as edSign, verify as edVerify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
	ED25519_PUBLIC_PREFIX,
	ED25519_SECRET_PREFIX,
	ed25519PublicKeyOf,
	generateEd25519KeyPair,
	generateSecretFor,
	maskSecret,
	signatureHeaders,
	signingSecretProblem,
	verificationKeyFor,
	verifySignature,
} from '../../core';

const body = JSON.stringify({ id: 'evt_1', type: 'device.enrolled', data: { device: { id: 'd1', name: 'Zoë “ünïcödé” 📱' } } });
const now = () => Math.floor(Date.now() / 1000);

/** ed25519 verification of `v1a,<sig>` written without the core: JWK import, node:crypto verify. */
function independentVerify(publicKey: string, id: string, timestamp: string, rawBody: string, header: string): boolean {
	const raw = Buffer.from(publicKey.slice(ED25519_PUBLIC_PREFIX.length), 'base64');
	const key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') }, format: 'jwk' });
	return header
		.split(' ')
		.filter((entry) => entry.startsWith('v1a,'))
		.some((entry) => edVerify(null, Buffer.from(`${id}.${timestamp}.${rawBody}`, 'utf8'), key, Buffer.from(entry.slice(4), 'base64')));
}

describe('ed25519 keys', () => {
	it('generates whsk_ + base64 of a 32-byte seed and its whpk_ public key', () => {
		const { secretKey, publicKey } = generateEd25519KeyPair();
		expect(secretKey).toMatch(/^whsk_[A-Za-z0-9+/]{43}=$/);
		expect(publicKey).toMatch(/^whpk_[A-Za-z0-9+/]{43}=$/);
		expect(ed25519PublicKeyOf(secretKey)).toBe(publicKey);
		expect(generateSecretFor('standard-ed25519')).toMatch(/^whsk_/);
		expect(verificationKeyFor('standard-ed25519', secretKey)).toBe(publicKey);
		expect(verificationKeyFor('standard', 'whsec_AQID')).toBeUndefined();
	});

	it('derives the same public key node:crypto does for that seed', () => {
		const { privateKey, publicKey } = generateKeyPairSync('ed25519');
		const jwk = privateKey.export({ format: 'jwk' });
		const secret = ED25519_SECRET_PREFIX + Buffer.from(String(jwk.d), 'base64url').toString('base64');
		const expected = ED25519_PUBLIC_PREFIX + Buffer.from(String(publicKey.export({ format: 'jwk' }).x), 'base64url').toString('base64');
		expect(ed25519PublicKeyOf(secret)).toBe(expected);
	});

	it('refuses what is not a 32-byte whsk_ key, and masks the secret with its prefix', () => {
		expect(signingSecretProblem('standard-ed25519', generateSecretFor('standard-ed25519'))).toBeUndefined();
		expect(signingSecretProblem('standard-ed25519', 'whsec_AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcY')).toMatch(/whsk_/);
		expect(signingSecretProblem('standard-ed25519', 'whsk_AQID')).toMatch(/32 bytes/);
		expect(signingSecretProblem('standard-ed25519', generateEd25519KeyPair().publicKey)).toMatch(/whsk_/);
		expect(signingSecretProblem('standard-ed25519', '')).toMatch(/empty/);
		expect(maskSecret(generateSecretFor('standard-ed25519'))).toBe('whsk_********');
	});
});

describe('standard-ed25519 signing', () => {
	it("matches the Standard Webhooks reference library's published v1a vector", () => {
		// libraries/go/webhook_asymmetric_test.go, TestAsymmetricWebhookSign
		const headers = signatureHeaders('standard-ed25519', {
			messageId: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
			timestamp: 1614265330,
			body: '{"test": 2432232314}',
			secrets: ['whsk_VEVTVFNJR05JTkdLRVlET05PVFVTRVRISVNGT1JBTlk='],
		});
		expect(headers['webhook-signature']).toBe(
			'v1a,tQ9V2XOqn7jL/DQenEFpqIugdBVtiMmER5mhSkXBNwM0mkATuDe6KYYUuxqtaiHeYGb7KaaBRdM5WqyeFiL8Ag==',
		);
	});

	it('a signature verifies independently with the public key, and by the core; a tampered body fails both', () => {
		const { secretKey, publicKey } = generateEd25519KeyPair();
		const ts = now();
		const headers = signatureHeaders('standard-ed25519', { messageId: 'msg_1', timestamp: ts, body, secrets: [secretKey] });
		expect(headers['webhook-id']).toBe('msg_1');
		expect(headers['webhook-timestamp']).toBe(String(ts));
		expect(headers['webhook-signature']).toMatch(/^v1a,[A-Za-z0-9+/]{86}==$/);
		expect(independentVerify(publicKey, 'msg_1', String(ts), body, headers['webhook-signature'])).toBe(true);
		expect(verifySignature('standard-ed25519', { headers, body, secret: publicKey })).toEqual({ valid: true });
		expect(verifySignature('standard-ed25519', { headers, body: Buffer.from(body), secret: secretKey })).toEqual({ valid: true });

		const tampered = body.replace('d1', 'd2');
		expect(independentVerify(publicKey, 'msg_1', String(ts), tampered, headers['webhook-signature'])).toBe(false);
		expect(verifySignature('standard-ed25519', { headers, body: tampered, secret: publicKey })).toMatchObject({
			valid: false,
			reason: 'bad_signature',
		});
		const otherId = { ...headers, 'webhook-id': 'msg_2' };
		expect(verifySignature('standard-ed25519', { headers: otherId, body, secret: publicKey })).toMatchObject({ valid: false });
		const otherKey = generateEd25519KeyPair().publicKey;
		expect(verifySignature('standard-ed25519', { headers, body, secret: otherKey })).toMatchObject({ reason: 'bad_signature' });
	});

	it('verifies a signature made by node:crypto directly', () => {
		const { privateKey, publicKey } = generateKeyPairSync('ed25519');
		const whpk = ED25519_PUBLIC_PREFIX + Buffer.from(String(publicKey.export({ format: 'jwk' }).x), 'base64url').toString('base64');
		const ts = String(now());
		const signature = edSign(null, Buffer.from(`msg_x.${ts}.${body}`), privateKey).toString('base64');
		const headers = { 'webhook-id': 'msg_x', 'webhook-timestamp': ts, 'webhook-signature': `v1,bm90IHRoaXM= v1a,${signature}` };
		expect(verifySignature('standard-ed25519', { headers, body, secret: whpk })).toEqual({ valid: true });
	});

	it('signs with both keys during a rotation; either public key verifies', () => {
		const current = generateEd25519KeyPair();
		const previous = generateEd25519KeyPair();
		const ts = now();
		const headers = signatureHeaders('standard-ed25519', {
			messageId: 'msg_r',
			timestamp: ts,
			body,
			secrets: [current.secretKey, previous.secretKey],
		});
		expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
		for (const key of [current.publicKey, previous.publicKey]) {
			expect(independentVerify(key, 'msg_r', String(ts), body, headers['webhook-signature'])).toBe(true);
			expect(verifySignature('standard-ed25519', { headers, body, secret: key }).valid).toBe(true);
		}
		expect(verifySignature('standard-ed25519', { headers, body, secret: generateEd25519KeyPair().publicKey }).valid).toBe(false);
	});

	it('refuses v1 (HMAC) signatures, stale timestamps, bad keys and missing headers with the right reason', () => {
		const { secretKey, publicKey } = generateEd25519KeyPair();
		const ts = now();
		const hmac = signatureHeaders('standard', { messageId: 'm', timestamp: ts, body, secrets: ['whsec_AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcY'] });
		expect(verifySignature('standard-ed25519', { headers: hmac, body, secret: publicKey })).toMatchObject({
			reason: 'bad_signature',
			message: expect.stringMatching(/no v1a/),
		});
		const stale = signatureHeaders('standard-ed25519', { messageId: 'm', timestamp: ts - 301, body, secrets: [secretKey] });
		expect(verifySignature('standard-ed25519', { headers: stale, body, secret: publicKey })).toMatchObject({
			reason: 'timestamp_out_of_window',
		});
		const fresh = signatureHeaders('standard-ed25519', { messageId: 'm', timestamp: ts, body, secrets: [secretKey] });
		expect(verifySignature('standard-ed25519', { headers: fresh, body, secret: 'whpk_AQID' })).toMatchObject({ reason: 'bad_secret' });
		expect(verifySignature('standard-ed25519', { headers: fresh, body, secret: 'whsec_AQID' })).toMatchObject({ reason: 'bad_secret' });
		const { 'webhook-signature': _s, ...unsigned } = fresh;
		expect(verifySignature('standard-ed25519', { headers: unsigned, body, secret: publicKey })).toMatchObject({
			reason: 'missing_header',
		});
		const garbage = { ...fresh, 'webhook-signature': 'v1a,not-base64!! v1a,AAAA' };
		expect(verifySignature('standard-ed25519', { headers: garbage, body, secret: publicKey })).toMatchObject({
			reason: 'bad_signature',
		});
		// The HMAC verifier ignores v1a entries in turn.
		expect(verifySignature('standard', { headers: fresh, body, secret: 'whsec_AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcY' }).valid).toBe(false);
	});
});

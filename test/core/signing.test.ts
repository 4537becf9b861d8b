import { createHmac } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import {
	SIGNING_SCHEMES,
	computeHmac,
	constantTimeEqual,
	InvalidSecretError,
	decodeMenderSecret,
	decodeStandardSecret,
	generateMenderSecret,
	generateSecretFor,
	generateSigningSecret,
	getSigningScheme,
	signatureHeaders,
	signingSecretProblem,
	verifyHmac,
	verifySignature,
	type HmacAlgorithm,
	type HmacEncoding,
} from '../../core';

const body = JSON.stringify({
	id: 'evt_01JDXK6Y3Q9S8T7V6W5X4Y3Z2A',
	type: 'device.enrolled',
	timestamp: '2026-11-22T10:00:00.000Z',
	data: { device: { id: 'd1', name: 'Galaxy Note 8 — “ünïcödé”', platform: 'android' } },
});
const now = () => Math.floor(Date.now() / 1000);

describe('secrets', () => {
	it('generates whsec_ + base64 of 24 bytes, decodable', () => {
		const s = generateSigningSecret();
		expect(s).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
		expect(decodeStandardSecret(s)).toHaveLength(24);
		expect(generateSigningSecret()).not.toBe(s);
	});

	it('decodes with or without prefix and rejects bad secrets clearly', () => {
		expect(decodeStandardSecret('whsec_AQID').equals(Buffer.from([1, 2, 3]))).toBe(true);
		expect(decodeStandardSecret('AQID').equals(Buffer.from([1, 2, 3]))).toBe(true);
		expect(() => decodeStandardSecret('whsec_')).toThrow(/empty/);
		expect(() => decodeStandardSecret('whsec_not base64!')).toThrow(/base64/);
	});
});

describe('standard webhooks', () => {
	const secret = generateSigningSecret();

	it('our signature verifies with the standardwebhooks package', () => {
		const ts = now();
		const headers = signatureHeaders('standard', { messageId: 'msg_1', timestamp: ts, body, secrets: [secret] });
		expect(headers['webhook-id']).toBe('msg_1');
		expect(headers['webhook-timestamp']).toBe(String(ts));
		expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
		expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
		// and the package rejects a tampered body, proving it really checked
		expect(() => new Webhook(secret).verify(body.replace('d1', 'd2'), headers)).toThrow();
	});

	it('a standardwebhooks-signed message verifies with ours; tampering fails with the right reason', () => {
		const wh = new Webhook(secret);
		const ts = now();
		const headers = {
			'Webhook-Id': 'msg_2',
			'Webhook-Timestamp': String(ts),
			'Webhook-Signature': wh.sign('msg_2', new Date(ts * 1000), body),
		};
		expect(verifySignature('standard', { headers, body, secret })).toEqual({ valid: true });
		expect(verifySignature('standard', { headers, body: Buffer.from(body), secret })).toEqual({ valid: true });

		const tampered = verifySignature('standard', { headers, body: body.replace('android', 'ios'), secret });
		expect(tampered).toMatchObject({ valid: false, reason: 'bad_signature' });

		const wrongSecret = verifySignature('standard', { headers, body, secret: generateSigningSecret() });
		expect(wrongSecret).toMatchObject({ valid: false, reason: 'bad_signature' });

		const badSecret = verifySignature('standard', { headers, body, secret: 'whsec_***' });
		expect(badSecret).toMatchObject({ valid: false, reason: 'bad_secret' });

		const { 'Webhook-Signature': _omit, ...noSig } = headers;
		expect(verifySignature('standard', { headers: noSig, body, secret })).toMatchObject({
			valid: false,
			reason: 'missing_header',
			message: 'missing header webhook-signature',
		});
	});

	it('refuses stale and future timestamps (default 300 s, both directions)', () => {
		const wh = new Webhook(secret);
		const sign = (ts: number) => ({
			'webhook-id': 'msg_3',
			'webhook-timestamp': String(ts),
			'webhook-signature': wh.sign('msg_3', new Date(ts * 1000), body),
		});
		const t = 1_800_000_000;
		const stale = verifySignature('standard', { headers: sign(t - 301), body, secret, nowSeconds: t });
		expect(stale).toMatchObject({ valid: false, reason: 'timestamp_out_of_window' });
		const future = verifySignature('standard', { headers: sign(t + 301), body, secret, nowSeconds: t });
		expect(future).toMatchObject({ valid: false, reason: 'timestamp_out_of_window' });
		expect(verifySignature('standard', { headers: sign(t - 300), body, secret, nowSeconds: t }).valid).toBe(true);
		expect(
			verifySignature('standard', { headers: sign(t - 600), body, secret, nowSeconds: t, toleranceSeconds: 900 })
				.valid,
		).toBe(true);
		const garbage = { ...sign(t), 'webhook-timestamp': 'yesterday' };
		expect(verifySignature('standard', { headers: garbage, body, secret, nowSeconds: t })).toMatchObject({
			valid: false,
			reason: 'timestamp_out_of_window',
		});
	});

	it('signs with every secret during rotation; either secret verifies (ours and the package)', () => {
		const oldSecret = generateSigningSecret();
		const newSecret = generateSigningSecret();
		const ts = now();
		const headers = signatureHeaders('standard', {
			messageId: 'msg_4',
			timestamp: ts,
			body,
			secrets: [newSecret, oldSecret],
		});
		const parts = headers['webhook-signature'].split(' ');
		expect(parts).toHaveLength(2);
		expect(parts.every((p) => p.startsWith('v1,'))).toBe(true);
		for (const s of [newSecret, oldSecret]) {
			expect(verifySignature('standard', { headers, body, secret: s })).toEqual({ valid: true });
			expect(() => new Webhook(s).verify(body, headers)).not.toThrow();
		}
		expect(verifySignature('standard', { headers, body, secret: generateSigningSecret() }).valid).toBe(false);
	});

	it('ignores signatures of other versions and accepts array header values', () => {
		const ts = now();
		const signed = signatureHeaders('standard', { messageId: 'msg_5', timestamp: ts, body, secrets: [secret] });
		const headers = {
			...signed,
			'webhook-signature': ['v2,Zm9v', signed['webhook-signature']],
		};
		expect(verifySignature('standard', { headers, body, secret })).toEqual({ valid: true });
	});

	it('does not throw on a body that is not raw', () => {
		const ts = now();
		const headers = signatureHeaders('standard', { messageId: 'm', timestamp: ts, body, secrets: [secret] });
		const parsed = JSON.parse(body) as unknown as string;
		expect(verifySignature('standard', { headers, body: parsed, secret })).toMatchObject({ valid: false });
		expect(verifySignature('scalefusion', { headers: { 'x-sf-signature': 'ab' }, body: parsed, secret })).toMatchObject({
			valid: false,
		});
	});

	it('throws when asked to sign without a secret', () => {
		expect(() => signatureHeaders('standard', { messageId: 'm', timestamp: now(), body, secrets: [] })).toThrow(
			/secret/,
		);
	});
});

describe('body HMAC schemes', () => {
	const secret = 'sf-shared-secret-123';
	const expectedHex = createHmac('sha256', Buffer.from(secret, 'utf8')).update(body).digest('hex');
	const input = { messageId: 'msg_6', timestamp: now(), body, secrets: [secret, 'ignored-older-secret'] };

	it('scalefusion sends X-SF-Signature = hex HMAC-SHA256(secret, body)', () => {
		expect(signatureHeaders('scalefusion', input)).toEqual({ 'x-sf-signature': expectedHex });
		expect(
			verifySignature('scalefusion', { headers: { 'X-SF-Signature': ` ${expectedHex.toUpperCase()} ` }, body, secret }),
		).toEqual({ valid: true });
		expect(
			verifySignature('scalefusion', { headers: { 'x-sf-signature': expectedHex }, body: `${body} `, secret }),
		).toMatchObject({ valid: false, reason: 'bad_signature' });
		expect(verifySignature('scalefusion', { headers: {}, body, secret })).toMatchObject({
			valid: false,
			reason: 'missing_header',
		});
		expect(
			verifySignature('scalefusion', { headers: { 'x-sf-signature': 'zz' }, body, secret }),
		).toMatchObject({ valid: false, reason: 'bad_signature' });
	});

	it('mender sends X-Men-Signature + X-Men-Algorithm, keyed with the hex-decoded secret as Mender signs', () => {
		// Mender (iot-manager client.NewSignedRequest): hmac.New(sha256.New, hexDecoded(secret)).
		const menderSecret = 'c4f6e1b2a39d07e85f1c2b3a4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f70';
		const menderHex = createHmac('sha256', Buffer.from(menderSecret, 'hex')).update(body).digest('hex');
		const menderInput = { ...input, secrets: [menderSecret, 'ignored'] };
		expect(signatureHeaders('mender', menderInput)).toEqual({
			'x-men-signature': menderHex,
			'x-men-algorithm': 'MEN-HMAC-SHA256-Payload',
		});
		// Not the UTF-8 bytes of the hex text.
		expect(menderHex).not.toBe(createHmac('sha256', menderSecret).update(body).digest('hex'));
		const headers = signatureHeaders('mender', menderInput);
		expect(verifySignature('mender', { headers, body, secret: menderSecret })).toEqual({ valid: true });
		expect(verifySignature('mender', { headers, body, secret: menderSecret.toUpperCase() })).toEqual({ valid: true });
		// Mender's own docs call the header X-Men-Signature-Payload: accepted too
		expect(
			verifySignature('mender', { headers: { 'X-Men-Signature-Payload': menderHex }, body, secret: menderSecret }),
		).toEqual({ valid: true });
		expect(verifySignature('mender', { headers, body, secret: 'ab'.repeat(32) })).toMatchObject({
			valid: false,
			reason: 'bad_signature',
		});
		expect(
			verifySignature('mender', { headers: { ...headers, 'x-men-algorithm': 'MEN-HMAC-MD5' }, body, secret: menderSecret }),
		).toMatchObject({ valid: false, reason: 'bad_signature' });
	});

	it('mender refuses a secret that is not hex, to sign and to verify', () => {
		for (const bad of ['mender-secret', 'abc', 'zz'.repeat(16), 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw']) {
			expect(() => signatureHeaders('mender', { ...input, secrets: [bad] })).toThrow(InvalidSecretError);
			expect(() => signatureHeaders('mender', { ...input, secrets: [bad] })).toThrow(/hex/);
			expect(verifySignature('mender', { headers: { 'x-men-signature': '00'.repeat(32) }, body, secret: bad })).toMatchObject({
				valid: false,
				reason: 'bad_secret',
			});
		}
	});

	it('secret rules per scheme; generated Mender secrets are 32 random bytes in hex', () => {
		const generated = generateSecretFor('mender');
		expect(generated).toMatch(/^[0-9a-f]{64}$/);
		expect(generateSecretFor('mender')).not.toBe(generated);
		expect(generateMenderSecret()).toMatch(/^[0-9a-f]{64}$/);
		expect(generateSecretFor('standard')).toMatch(/^whsec_/);
		expect(generateSecretFor('scalefusion')).toMatch(/^whsec_/);
		expect(signingSecretProblem('mender', generated)).toBeUndefined();
		expect(signingSecretProblem('mender', 'ABCDEF12')).toBeUndefined();
		expect(signingSecretProblem('mender', 'not hex')).toMatch(/hex/);
		expect(signingSecretProblem('mender', 'abc')).toMatch(/hex/);
		expect(signingSecretProblem('mender', 'ab'.repeat(33))).toMatch(/at most 64/);
		expect(signingSecretProblem('scalefusion', 'anything at all')).toBeUndefined();
		expect(signingSecretProblem('standard', 'whsec_%%%')).toMatch(/whsec_/);
		expect(signingSecretProblem('standard', generateSecretFor('standard'))).toBeUndefined();
		expect(signingSecretProblem('none', '')).toBeUndefined();
		expect(decodeMenderSecret('00ff')).toEqual(Buffer.from([0, 255]));
	});

	it('none signs nothing; registry lists the schemes with lower-case header names', () => {
		expect(signatureHeaders('none', input)).toEqual({});
		expect(Object.keys(SIGNING_SCHEMES).sort()).toEqual(['mender', 'scalefusion', 'standard', 'standard-ed25519']);
		expect(getSigningScheme('none')).toBeUndefined();
		expect(getSigningScheme('toString')).toBeUndefined();
		for (const scheme of Object.values(SIGNING_SCHEMES)) {
			for (const h of scheme.headerNames) expect(h).toBe(h.toLowerCase());
		}
		expect(SIGNING_SCHEMES.standard.headerNames).toEqual(['webhook-id', 'webhook-timestamp', 'webhook-signature']);
	});
});

describe('generic HMAC', () => {
	const secret = 'It’s a secret to everybody';
	const cases: [HmacAlgorithm, HmacEncoding][] = [
		['sha1', 'hex'],
		['sha1', 'base64'],
		['sha256', 'hex'],
		['sha256', 'base64'],
		['sha512', 'hex'],
		['sha512', 'base64'],
	];

	it.each(cases)('%s / %s matches node:crypto, with and without prefix', (algorithm, encoding) => {
		const expected = createHmac(algorithm, secret).update(body).digest(encoding);
		expect(computeHmac({ algorithm, encoding, secret, body })).toBe(expected);
		expect(computeHmac({ algorithm, encoding, secret, body: Buffer.from(body), prefix: `${algorithm}=` })).toBe(
			`${algorithm}=${expected}`,
		);
		expect(verifyHmac({ algorithm, encoding, secret, body, signature: expected })).toBe(true);
		expect(
			verifyHmac({ algorithm, encoding, secret, body, prefix: `${algorithm}=`, signature: `  ${algorithm}=${expected}\n` }),
		).toBe(true);
		expect(verifyHmac({ algorithm, encoding, secret: Buffer.from(secret), body, signature: expected })).toBe(true);
		expect(verifyHmac({ algorithm, encoding, secret: 'wrong', body, signature: expected })).toBe(false);
		expect(verifyHmac({ algorithm, encoding, secret, body: `${body}x`, signature: expected })).toBe(false);
		expect(verifyHmac({ algorithm, encoding, secret, body, signature: expected.slice(0, -4) })).toBe(false);
		expect(verifyHmac({ algorithm, encoding, secret, body, signature: '' })).toBe(false);
	});

	it('verifies a GitHub-style sha256= header (known vector)', () => {
		// From GitHub's "Validating webhook deliveries" docs.
		const signature = 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17';
		expect(
			verifyHmac({
				algorithm: 'sha256',
				encoding: 'hex',
				secret: "It's a Secret to Everybody",
				body: 'Hello, World!',
				prefix: 'sha256=',
				signature,
			}),
		).toBe(true);
	});

	it('constantTimeEqual compares strings of any length', () => {
		expect(constantTimeEqual('abc', 'abc')).toBe(true);
		expect(constantTimeEqual('abc', 'abcd')).toBe(false);
		expect(constantTimeEqual('', '')).toBe(true);
	});
});

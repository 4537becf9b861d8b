import { createHmac } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import {
	FORBIDDEN_CUSTOM_HEADERS,
	MASK,
	PACKAGE_VERSION,
	USER_AGENT,
	buildOutboundRequest,
	checkCustomHeaders,
	generateSigningSecret,
	maskAuth,
	maskHeaders,
	maskSecret,
	sampleEnvelope,
	type OutboundRequestSpec,
} from '../../core';
import pkg from '../../package.json';

const envelope = sampleEnvelope('device.enrolled');
const ts = Math.floor(Date.now() / 1000);

function spec(overrides: Partial<OutboundRequestSpec> = {}): OutboundRequestSpec {
	return {
		url: 'https://hooks.example.com/mdm',
		method: 'POST',
		payload: envelope,
		messageId: 'msg_01JDXK6Y3Q9S8T7V6W5X4Y3Z2A',
		timestamp: ts,
		signing: { scheme: 'none', secrets: [] },
		auth: { type: 'none' },
		...overrides,
	};
}

describe('version', () => {
	it('reads the package version', () => {
		expect(PACKAGE_VERSION).toBe(pkg.version);
		expect(USER_AGENT).toBe(`n8n-nodes-mdm-webhooks/${pkg.version}`);
	});
});

describe('buildOutboundRequest', () => {
	it('serialises the payload and sets the base headers (scheme none)', () => {
		const req = buildOutboundRequest(spec({ method: 'PUT' }));
		expect(req.url).toBe('https://hooks.example.com/mdm');
		expect(req.method).toBe('PUT');
		expect(req.body).toBe(JSON.stringify(envelope));
		expect(req.headers).toEqual({
			'content-type': 'application/json',
			'user-agent': USER_AGENT,
			'webhook-id': 'msg_01JDXK6Y3Q9S8T7V6W5X4Y3Z2A',
			'webhook-timestamp': String(ts),
		});
	});

	it('standard: signature over exactly the body, verifiable by standardwebhooks', () => {
		const secret = generateSigningSecret();
		const req = buildOutboundRequest(spec({ signing: { scheme: 'standard', secrets: [secret] } }));
		expect(new Webhook(secret).verify(req.body, req.headers)).toEqual(JSON.parse(req.body));
		expect(Object.keys(req.headers).every((h) => h === h.toLowerCase())).toBe(true);
	});

	it('scalefusion and mender: hex HMAC of the body (Mender keyed with the hex-decoded secret)', () => {
		const secret = 'shared-secret';
		const hex = (b: string) => createHmac('sha256', secret).update(b).digest('hex');
		const menderSecret = '0123456789abcdef0123456789abcdef';
		const sf = buildOutboundRequest(spec({ signing: { scheme: 'scalefusion', secrets: [secret] } }));
		expect(sf.headers['x-sf-signature']).toBe(hex(sf.body));
		expect(sf.headers['webhook-id']).toBe('msg_01JDXK6Y3Q9S8T7V6W5X4Y3Z2A');
		expect(sf.headers['webhook-timestamp']).toBe(String(ts));
		const men = buildOutboundRequest(spec({ signing: { scheme: 'mender', secrets: [menderSecret] } }));
		expect(men.headers['x-men-signature']).toBe(
			createHmac('sha256', Buffer.from(menderSecret, 'hex')).update(men.body).digest('hex'),
		);
		expect(() => buildOutboundRequest(spec({ signing: { scheme: 'mender', secrets: [secret] } }))).toThrow(/hex/);
		expect(men.headers['x-men-algorithm']).toBe('MEN-HMAC-SHA256-Payload');
	});

	it('basic and bearer auth', () => {
		const basic = buildOutboundRequest(spec({ auth: { type: 'basic', username: 'admin', password: 'p@ss:wörd' } }));
		expect(basic.headers.authorization).toBe(`Basic ${Buffer.from('admin:p@ss:wörd').toString('base64')}`);
		const bearer = buildOutboundRequest(spec({ auth: { type: 'bearer', token: 'tok_123' } }));
		expect(bearer.headers.authorization).toBe('Bearer tok_123');
	});

	it('custom headers are lower-cased; signing headers always win', () => {
		const req = buildOutboundRequest(
			spec({
				headers: { 'X-Team': 'it-ops', 'Webhook-Id': 'spoofed' },
				signing: { scheme: 'scalefusion', secrets: ['s'] },
			}),
		);
		expect(req.headers['x-team']).toBe('it-ops');
		expect(req.headers['webhook-id']).toBe('msg_01JDXK6Y3Q9S8T7V6W5X4Y3Z2A');
		expect(req.headers['X-Team']).toBeUndefined();
	});

	it('serialises any JSON payload (Slack body, strings, empty mapping result)', () => {
		expect(buildOutboundRequest(spec({ payload: { text: 'hi' } })).body).toBe('{"text":"hi"}');
		expect(buildOutboundRequest(spec({ payload: 'plain' })).body).toBe('"plain"');
		expect(buildOutboundRequest(spec({ payload: undefined })).body).toBe('null');
	});
});

describe('custom headers', () => {
	it('forbids hop-by-hop, host, content-length and every signature header', () => {
		for (const h of [
			'connection',
			'keep-alive',
			'proxy-authenticate',
			'proxy-authorization',
			'te',
			'trailer',
			'transfer-encoding',
			'upgrade',
			'host',
			'content-length',
			'webhook-id',
			'webhook-timestamp',
			'webhook-signature',
			'x-sf-signature',
			'x-men-signature',
			'x-men-algorithm',
		]) {
			expect(FORBIDDEN_CUSTOM_HEADERS).toContain(h);
		}
	});

	it('reports forbidden names, bad names, bad values and case duplicates', () => {
		expect(checkCustomHeaders({ 'X-Team': 'it-ops', Authorization: 'Token abc' })).toEqual([]);
		const errors = checkCustomHeaders(
			{
				Host: 'evil.example',
				'X-SF-Signature': 'abc',
				'bad name': 'x',
				'x-ok': 'line\r\nInjected: 1',
				'x-dup': 'a',
				'X-Dup': 'b',
				'x-space': ' padded',
			},
			'/webhook/headers',
		);
		expect(errors.map((e) => e.path)).toEqual([
			'/webhook/headers/Host',
			'/webhook/headers/X-SF-Signature',
			'/webhook/headers/bad name',
			'/webhook/headers/x-ok',
			'/webhook/headers/X-Dup',
			'/webhook/headers/x-space',
		]);
		expect(errors[0].message).toContain('may not be set');
		expect(errors[2].message).toContain('invalid header name');
		expect(errors[3].message).toContain('invalid header value');
	});

	it('escapes header names in paths', () => {
		expect(checkCustomHeaders({ 'a/b': 'x' })[0].path).toBe('/headers/a~1b');
	});
});

describe('masking', () => {
	it('masks secrets, keeping the whsec_ prefix', () => {
		expect(MASK).toBe('********');
		expect(maskSecret(generateSigningSecret())).toBe('whsec_********');
		expect(maskSecret('plain-secret')).toBe('********');
	});

	it('masks auth', () => {
		expect(maskAuth({ type: 'basic', username: 'admin', password: 'hunter2' })).toEqual({
			type: 'basic',
			username: 'admin',
			password: MASK,
		});
		expect(maskAuth({ type: 'bearer', token: 't' })).toEqual({ type: 'bearer', token: MASK });
		expect(maskAuth({ type: 'none' })).toEqual({ type: 'none' });
	});

	it('masks authorization and secret-looking headers, keeps the rest', () => {
		const req = buildOutboundRequest(
			spec({
				auth: { type: 'basic', username: 'u', password: 'p' },
				headers: { 'X-Api-Key': 'k', 'X-Auth-Token': 't', Cookie: 'c', 'X-Client-Secret': 's', 'X-Team': 'ops' },
				signing: { scheme: 'standard', secrets: [generateSigningSecret()] },
			}),
		);
		const masked = maskHeaders(req.headers);
		expect(masked.authorization).toBe('Basic ********');
		expect(masked['x-api-key']).toBe(MASK);
		expect(masked['x-auth-token']).toBe(MASK);
		expect(masked.cookie).toBe(MASK);
		expect(masked['x-client-secret']).toBe(MASK);
		expect(masked['x-team']).toBe('ops');
		expect(masked['webhook-signature']).toBe(req.headers['webhook-signature']);
		expect(masked['content-type']).toBe('application/json');
		expect(maskHeaders({ Authorization: 'Bearer abc.def' })).toEqual({ Authorization: 'Bearer ********' });
		expect(maskHeaders({ authorization: 'opaque' })).toEqual({ authorization: MASK });
		expect(maskHeaders({ 'x-password': 'p' })).toEqual({ 'x-password': MASK });
	});
});

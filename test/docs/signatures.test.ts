/**
 * Proves the verifiers in docs/signatures.md. The code is read from the page itself (each block
 * follows a `<!-- snippet: <file name> -->` marker), written to files under that name and run:
 * the Node.js blocks are imported here, the Python block runs in python3. Each is checked against
 * requests built by the core's `buildOutboundRequest` (what the dispatcher and the Send Webhook
 * node put on the wire) and against tampered twins that must fail.
 */
import { spawnSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
	buildOutboundRequest,
	generateEd25519KeyPair,
	generateMenderSecret,
	generateSecretFor,
	generateSigningSecret,
	sampleEnvelope,
	verifySignature,
	type OutboundRequest,
	type SigningSchemeName,
} from '../../core';

const DOC = path.resolve(__dirname, '../../docs/signatures.md');
const markdown = fs.readFileSync(DOC, 'utf8');

interface Snippet {
	file: string;
	lang: string;
	code: string;
}

/** Every fenced block of the page, with the snippet file name of the marker right above it (if any). */
function fencedBlocks(text: string): (Snippet & { marked: boolean })[] {
	const blocks: (Snippet & { marked: boolean })[] = [];
	const fence = /(?:<!-- snippet: (\S+) -->\n)?```(\w*)\n([\s\S]*?)\n```/g;
	for (const match of text.matchAll(fence)) {
		blocks.push({ file: match[1] ?? '', lang: match[2] ?? '', code: `${match[3]}\n`, marked: match[1] !== undefined });
	}
	return blocks;
}

const blocks = fencedBlocks(markdown);
const snippets = new Map(blocks.filter((b) => b.marked).map((b) => [b.file, b]));
const CODE_LANGS = new Set(['js', 'javascript', 'mjs', 'ts', 'typescript', 'python', 'py']);

// Snippet files are written inside the repository so that `standardwebhooks` resolves from node_modules.
let dir = '';
beforeAll(() => {
	dir = fs.mkdtempSync(path.join(__dirname, '.snippets-'));
	for (const snippet of snippets.values()) fs.writeFileSync(path.join(dir, snippet.file), snippet.code);
});
afterAll(() => {
	if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

async function load<T>(file: string): Promise<T> {
	if (!snippets.has(file)) throw new Error(`docs/signatures.md has no snippet ${file}`);
	return (await import(pathToFileURL(path.join(dir, file)).href)) as T;
}

// --- requests as the dispatcher sends them -------------------------------------------------------

/** A body with non-ASCII text, so that any charset or re-serialisation mistake shows. */
function envelope() {
	const event = sampleEnvelope('device.enrolled');
	return {
		...event,
		data: { ...event.data, device: { ...(event.data.device as object), id: 'dev-42', name: 'Galaxy Note 8 — Zoë “ünïcödé” 📱' } },
	};
}

const nowSeconds = () => Math.floor(Date.now() / 1000);

function signedRequest(
	scheme: Exclude<SigningSchemeName, 'none'>,
	secrets: string[],
	options: { timestamp?: number; messageId?: string } = {},
): OutboundRequest {
	return buildOutboundRequest({
		url: 'https://receiver.example.com/hooks/mdm',
		method: 'POST',
		payload: envelope(),
		messageId: options.messageId ?? `msg_${Math.random().toString(36).slice(2)}`,
		timestamp: options.timestamp ?? nowSeconds(),
		signing: { scheme, secrets },
		auth: { type: 'none' },
	});
}

/** The same request with one character of the body changed (signature headers untouched). */
function tamperBody(request: OutboundRequest): OutboundRequest {
	const body = request.body.replace('dev-42', 'dev-43');
	expect(body).not.toBe(request.body);
	return { ...request, body };
}

/** The body parsed and pretty-printed again: same JSON value, other bytes. */
function reserialise(request: OutboundRequest): OutboundRequest {
	return { ...request, body: JSON.stringify(JSON.parse(request.body), null, 2) };
}

const raw = (request: OutboundRequest) => Buffer.from(request.body, 'utf8');

// --- the page itself -----------------------------------------------------------------------------

describe('docs/signatures.md', () => {
	it('marks every code block in a programming language as a tested snippet', () => {
		const untested = blocks.filter((b) => CODE_LANGS.has(b.lang) && !b.marked).map((b) => b.code.split('\n')[0]);
		expect(untested).toEqual([]);
		expect([...snippets.keys()].sort()).toEqual([
			'receiver.mjs',
			'verify-body-hmac.mjs',
			'verify-standard-ed25519.mjs',
			'verify-standard.mjs',
			'verify-standardwebhooks.mjs',
			'verify_ed25519.py',
			'verify_webhooks.py',
		]);
	});

	it('lists the headers the core really sends for each scheme', () => {
		const names = (scheme: Exclude<SigningSchemeName, 'none'>) =>
			Object.keys(signedRequest(scheme, [generateSecretFor(scheme)]).headers).sort();
		const common = ['content-type', 'user-agent', 'webhook-id', 'webhook-timestamp'];
		expect(names('standard')).toEqual([...common, 'webhook-signature'].sort());
		expect(names('standard-ed25519')).toEqual([...common, 'webhook-signature'].sort());
		expect(names('scalefusion')).toEqual([...common, 'x-sf-signature'].sort());
		expect(names('mender')).toEqual([...common, 'x-men-algorithm', 'x-men-signature'].sort());
		expect(signedRequest('mender', [generateMenderSecret()]).headers['x-men-algorithm']).toBe('MEN-HMAC-SHA256-Payload');
		for (const header of [...common, 'webhook-signature', 'x-sf-signature', 'x-men-signature', 'x-men-algorithm']) {
			expect(markdown).toContain(`\`${header}`);
		}
	});

	it('describes the signed bytes as they are: compact JSON, with a two-signature header during rotation', () => {
		const [current, previous] = [generateSigningSecret(), generateSigningSecret()];
		const request = signedRequest('standard', [current, previous]);
		expect(request.body).toBe(JSON.stringify(JSON.parse(request.body)));
		expect(request.body).toContain('Zoë');
		expect(request.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]{43}= v1,[A-Za-z0-9+/]{43}=$/);
		expect(signedRequest('scalefusion', [current, previous]).headers['x-sf-signature']).toMatch(/^[0-9a-f]{64}$/);
	});
});

// --- Node.js ------------------------------------------------------------------------------------

type StandardModule = {
	verifyStandardWebhook: (headers: Record<string, string>, rawBody: Buffer, secret: string, now?: number) => unknown;
};
type PackageModule = {
	verifyWithStandardWebhooks: (headers: Record<string, string>, rawBody: Buffer | string, secret: string) => unknown;
};
type Ed25519Module = {
	verifyStandardEd25519: (headers: Record<string, string>, rawBody: Buffer, publicKey: string, now?: number) => unknown;
};
type BodyHmacModule = {
	verifyBodySignature: (signature: string | undefined, rawBody: Buffer, secret: string) => boolean;
	verifyScalefusion: (headers: Record<string, string>, rawBody: Buffer, secret: string) => boolean;
	verifyMender: (headers: Record<string, string>, rawBody: Buffer, secret: string) => boolean;
};

/** As Mender's server signs (iot-manager client.NewSignedRequest): HMAC keyed with the decoded hex. */
function menderSignature(body: string, hexSecret: string): string {
	return createHmac('sha256', Buffer.from(hexSecret, 'hex')).update(body).digest('hex');
}

describe('Node.js: Standard Webhooks with node:crypto', () => {
	it('accepts a request signed by the core and returns the event', async () => {
		const { verifyStandardWebhook } = await load<StandardModule>('verify-standard.mjs');
		const secret = generateSigningSecret();
		const request = signedRequest('standard', [secret]);
		expect(verifySignature('standard', { headers: request.headers, body: request.body, secret }).valid).toBe(true);
		const event = verifyStandardWebhook(request.headers, raw(request), secret) as ReturnType<typeof envelope>;
		expect(event.type).toBe('device.enrolled');
		expect(event.data.device.name).toContain('Zoë');
	});

	it('rejects the tampered twin, a re-serialised body, another secret, a forged and a stale request', async () => {
		const { verifyStandardWebhook } = await load<StandardModule>('verify-standard.mjs');
		const secret = generateSigningSecret();
		const request = signedRequest('standard', [secret]);
		expect(() => verifyStandardWebhook(tamperBody(request).headers, raw(tamperBody(request)), secret)).toThrow(
			/no webhook-signature matches/,
		);
		expect(() => verifyStandardWebhook(request.headers, raw(reserialise(request)), secret)).toThrow(/no webhook-signature/);
		expect(() => verifyStandardWebhook(request.headers, raw(request), generateSigningSecret())).toThrow(/no webhook-signature/);
		// An attacker who changes the id (to get past dedupe) breaks the signature.
		expect(() => verifyStandardWebhook({ ...request.headers, 'webhook-id': 'msg_other' }, raw(request), secret)).toThrow();
		expect(() => verifyStandardWebhook({ ...request.headers, 'webhook-signature': 'v1,' + 'A'.repeat(43) + '=' }, raw(request), secret)).toThrow();
		expect(() => verifyStandardWebhook({ ...request.headers, 'webhook-signature': 'v2,' + request.headers['webhook-signature']?.slice(3) }, raw(request), secret)).toThrow();
		const { 'webhook-signature': _dropped, ...unsigned } = request.headers;
		expect(() => verifyStandardWebhook(unsigned, raw(request), secret)).toThrow(/missing/);
		const stale = signedRequest('standard', [secret], { timestamp: nowSeconds() - 301 });
		expect(() => verifyStandardWebhook(stale.headers, raw(stale), secret)).toThrow(/5 minutes/);
		const future = signedRequest('standard', [secret], { timestamp: nowSeconds() + 301 });
		expect(() => verifyStandardWebhook(future.headers, raw(future), secret)).toThrow(/5 minutes/);
		// Inside the window, a retry signed a little earlier still passes.
		const recent = signedRequest('standard', [secret], { timestamp: nowSeconds() - 290 });
		expect(verifyStandardWebhook(recent.headers, raw(recent), secret)).toBeTruthy();
	});

	it('accepts either secret during a rotation overlap', async () => {
		const { verifyStandardWebhook } = await load<StandardModule>('verify-standard.mjs');
		const [current, previous] = [generateSigningSecret(), generateSigningSecret()];
		const request = signedRequest('standard', [current, previous]);
		expect(verifyStandardWebhook(request.headers, raw(request), current)).toBeTruthy();
		expect(verifyStandardWebhook(request.headers, raw(request), previous)).toBeTruthy();
		expect(() => verifyStandardWebhook(request.headers, raw(request), generateSigningSecret())).toThrow();
		expect(() => verifyStandardWebhook(tamperBody(request).headers, raw(tamperBody(request)), previous)).toThrow();
	});

	it('works with a secret of your own without base64 padding', async () => {
		const { verifyStandardWebhook } = await load<StandardModule>('verify-standard.mjs');
		const secret = 'whsec_' + Buffer.from('twenty-five bytes of key!').toString('base64').replace(/=+$/, '');
		const request = signedRequest('standard', [secret]);
		expect(verifyStandardWebhook(request.headers, raw(request), secret)).toBeTruthy();
	});
});

describe('Node.js: Standard Webhooks with the standardwebhooks package', () => {
	it('accepts a request signed by the core, with one or two signatures', async () => {
		const { verifyWithStandardWebhooks } = await load<PackageModule>('verify-standardwebhooks.mjs');
		const [current, previous] = [generateSigningSecret(), generateSigningSecret()];
		const single = signedRequest('standard', [current]);
		expect(verifyWithStandardWebhooks(single.headers, raw(single), current)).toMatchObject({ type: 'device.enrolled' });
		const rotating = signedRequest('standard', [current, previous]);
		expect(verifyWithStandardWebhooks(rotating.headers, raw(rotating), current)).toMatchObject({ type: 'device.enrolled' });
		expect(verifyWithStandardWebhooks(rotating.headers, raw(rotating), previous)).toMatchObject({ type: 'device.enrolled' });
	});

	it('rejects the tampered twin, another secret and a stale request', async () => {
		const { verifyWithStandardWebhooks } = await load<PackageModule>('verify-standardwebhooks.mjs');
		const secret = generateSigningSecret();
		const request = signedRequest('standard', [secret]);
		expect(() => verifyWithStandardWebhooks(tamperBody(request).headers, raw(tamperBody(request)), secret)).toThrow(
			/No matching signature/,
		);
		expect(() => verifyWithStandardWebhooks(request.headers, raw(reserialise(request)), secret)).toThrow();
		expect(() => verifyWithStandardWebhooks(request.headers, raw(request), generateSigningSecret())).toThrow();
		const stale = signedRequest('standard', [secret], { timestamp: nowSeconds() - 301 });
		expect(() => verifyWithStandardWebhooks(stale.headers, raw(stale), secret)).toThrow(/too old/);
	});
});

describe('Node.js: Standard Webhooks Ed25519 with node:crypto', () => {
	it('accepts a v1a request signed by the core with the public key, before and during a rotation', async () => {
		const { verifyStandardEd25519 } = await load<Ed25519Module>('verify-standard-ed25519.mjs');
		const [current, previous] = [generateEd25519KeyPair(), generateEd25519KeyPair()];
		const single = signedRequest('standard-ed25519', [current.secretKey]);
		expect(single.headers['webhook-signature']).toMatch(/^v1a,[A-Za-z0-9+/]{86}==$/);
		const event = verifyStandardEd25519(single.headers, raw(single), current.publicKey) as ReturnType<typeof envelope>;
		expect(event.data.device.name).toContain('Zoë');
		const rotating = signedRequest('standard-ed25519', [current.secretKey, previous.secretKey]);
		expect(verifyStandardEd25519(rotating.headers, raw(rotating), current.publicKey)).toBeTruthy();
		expect(verifyStandardEd25519(rotating.headers, raw(rotating), previous.publicKey)).toBeTruthy();
	});

	it('rejects the tampered twin, a re-serialised body, another key, an HMAC signature and a stale request', async () => {
		const { verifyStandardEd25519 } = await load<Ed25519Module>('verify-standard-ed25519.mjs');
		const { secretKey, publicKey } = generateEd25519KeyPair();
		const request = signedRequest('standard-ed25519', [secretKey]);
		expect(() => verifyStandardEd25519(request.headers, raw(tamperBody(request)), publicKey)).toThrow(/no v1a/);
		expect(() => verifyStandardEd25519(request.headers, raw(reserialise(request)), publicKey)).toThrow(/no v1a/);
		expect(() => verifyStandardEd25519(request.headers, raw(request), generateEd25519KeyPair().publicKey)).toThrow(/no v1a/);
		expect(() => verifyStandardEd25519({ ...request.headers, 'webhook-id': 'msg_other' }, raw(request), publicKey)).toThrow();
		const hmac = signedRequest('standard', [generateSigningSecret()]);
		expect(() => verifyStandardEd25519(hmac.headers, raw(hmac), publicKey)).toThrow(/no v1a/);
		const stale = signedRequest('standard-ed25519', [secretKey], { timestamp: nowSeconds() - 301 });
		expect(() => verifyStandardEd25519(stale.headers, raw(stale), publicKey)).toThrow(/5 minutes/);
	});
});

describe('Node.js: Scalefusion and Mender with node:crypto', () => {
	it('accepts requests signed by the core', async () => {
		const { verifyScalefusion, verifyMender } = await load<BodyHmacModule>('verify-body-hmac.mjs');
		// Scalefusion keys with the string as typed, a whsec_ secret too.
		for (const secret of [generateSigningSecret(), 'plain secret — with ünïcode']) {
			const sf = signedRequest('scalefusion', [secret]);
			expect(verifySignature('scalefusion', { headers: sf.headers, body: sf.body, secret }).valid).toBe(true);
			expect(verifyScalefusion(sf.headers, raw(sf), secret)).toBe(true);
		}
		// Mender: hex secrets, generated or chosen (upper-case digits too), keyed with the decoded bytes.
		for (const secret of [generateMenderSecret(), 'A1B2C3D4E5F60718']) {
			const men = signedRequest('mender', [secret]);
			expect(verifySignature('mender', { headers: men.headers, body: men.body, secret }).valid).toBe(true);
			expect(men.headers['x-men-signature']).toBe(menderSignature(men.body, secret));
			expect(verifyMender(men.headers, raw(men), secret)).toBe(true);
			// Mender's docs name the header X-Men-Signature-Payload.
			const { 'x-men-signature': signature, ...rest } = men.headers;
			expect(verifyMender({ ...rest, 'x-men-signature-payload': signature ?? '' }, raw(men), secret)).toBe(true);
		}
	});

	it('rejects the tampered twins, a re-serialised body, another secret and a wrong algorithm', async () => {
		const { verifyScalefusion, verifyMender, verifyBodySignature } = await load<BodyHmacModule>('verify-body-hmac.mjs');
		const secret = generateSigningSecret();
		const menderSecret = generateMenderSecret();
		const sf = signedRequest('scalefusion', [secret]);
		const men = signedRequest('mender', [menderSecret]);
		expect(verifyScalefusion(sf.headers, raw(tamperBody(sf)), secret)).toBe(false);
		expect(verifyMender(men.headers, raw(tamperBody(men)), menderSecret)).toBe(false);
		expect(verifyScalefusion(sf.headers, raw(reserialise(sf)), secret)).toBe(false);
		expect(verifyScalefusion(sf.headers, raw(sf), generateSigningSecret())).toBe(false);
		expect(verifyMender(men.headers, raw(men), generateMenderSecret())).toBe(false);
		// Scalefusion is keyed with the UTF-8 bytes, not the base64-decoded secret.
		const decodedKey = Buffer.from(secret.slice('whsec_'.length), 'base64').toString('latin1');
		expect(verifyScalefusion(sf.headers, raw(sf), decodedKey)).toBe(false);
		// Mender is keyed with the decoded hex, not the text: a text-keyed signature fails.
		const textKeyed = createHmac('sha256', menderSecret).update(men.body).digest('hex');
		expect(verifyMender({ ...men.headers, 'x-men-signature': textKeyed }, raw(men), menderSecret)).toBe(false);
		expect(() => verifyMender(men.headers, raw(men), 'not a hex secret')).toThrow(/hex/);
		expect(verifyMender({ ...men.headers, 'x-men-algorithm': 'MEN-HMAC-SHA1-Payload' }, raw(men), menderSecret)).toBe(false);
		expect(verifyScalefusion(men.headers, raw(men), secret)).toBe(false); // no x-sf-signature
		expect(verifyBodySignature(undefined, raw(sf), secret)).toBe(false);
		expect(verifyBodySignature('zz', raw(sf), secret)).toBe(false);
		expect(verifyBodySignature(`${sf.headers['x-sf-signature']}00`, raw(sf), secret)).toBe(false);
	});

	it('signs with the newest secret only during a rotation (so receivers must try both)', async () => {
		const { verifyScalefusion } = await load<BodyHmacModule>('verify-body-hmac.mjs');
		const [current, previous] = [generateSigningSecret(), generateSigningSecret()];
		const sf = signedRequest('scalefusion', [current, previous]);
		expect(verifyScalefusion(sf.headers, raw(sf), current)).toBe(true);
		expect(verifyScalefusion(sf.headers, raw(sf), previous)).toBe(false);
	});
});

describe('Node.js: the complete receiver', () => {
	const secret = generateSigningSecret();
	let baseUrl = '';
	let server: import('node:http').Server | undefined;

	beforeAll(async () => {
		process.env.WEBHOOK_SECRET = secret;
		process.env.PORT = '0';
		({ server } = await load<{ server: import('node:http').Server }>('receiver.mjs'));
		if (!server.listening) await new Promise((resolve) => server?.once('listening', resolve));
		const address = server.address() as import('node:net').AddressInfo;
		baseUrl = `http://127.0.0.1:${address.port}/hooks/mdm`;
	});
	afterAll(async () => {
		delete process.env.WEBHOOK_SECRET;
		delete process.env.PORT;
		await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
	});

	const post = (request: OutboundRequest) =>
		fetch(baseUrl, { method: request.method, headers: request.headers, body: request.body });

	it('handles a delivery once, acknowledges its retries, and answers 401 to forgeries', async () => {
		const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
		try {
			const messageId = 'msg_receiver_test';
			const first = signedRequest('standard', [secret], { messageId, timestamp: nowSeconds() - 60 });
			expect((await post(first)).status).toBe(204);
			expect(log).toHaveBeenCalledTimes(1);
			expect(log).toHaveBeenCalledWith('device.enrolled for device dev-42');

			// The same request again, then a retry: same webhook-id, new timestamp and signature.
			expect((await post(first)).status).toBe(204);
			const retry = signedRequest('standard', [secret], { messageId });
			expect(retry.headers['webhook-signature']).not.toBe(first.headers['webhook-signature']);
			expect((await post(retry)).status).toBe(204);
			expect(log).toHaveBeenCalledTimes(1);

			const forged = await post(tamperBody(signedRequest('standard', [secret])));
			expect(forged.status).toBe(401);
			expect(await forged.text()).toMatch(/no webhook-signature matches/);
			const otherSecret = await post(signedRequest('standard', [generateSigningSecret()]));
			expect(otherSecret.status).toBe(401);
			expect(log).toHaveBeenCalledTimes(1);

			// A new delivery is handled.
			expect((await post(signedRequest('standard', [secret]))).status).toBe(204);
			expect(log).toHaveBeenCalledTimes(2);
		} finally {
			log.mockRestore();
		}
	});
});

// --- Python -------------------------------------------------------------------------------------

const python = spawnSync('python3', ['--version'], { encoding: 'utf8' });
const hasPython = python.status === 0;

/** Runs every case through the page's Python block in one python3 process; returns the verdicts. */
function runPython(
	cases: { fn: string; headers: Record<string, string>; body: string; secret: string }[],
	module = 'verify_webhooks',
): boolean[] {
	const driver = [
		'import base64, json, sys',
		`sys.path.insert(0, ${JSON.stringify(dir)})`,
		`import ${module} as v`,
		'out = []',
		'for c in json.load(sys.stdin):',
		'    out.append(getattr(v, c["fn"])(c["headers"], base64.b64decode(c["body"]), c["secret"]))',
		'print(json.dumps(out))',
	].join('\n');
	const input = JSON.stringify(cases.map((c) => ({ ...c, body: Buffer.from(c.body, 'utf8').toString('base64') })));
	const result = spawnSync('python3', ['-c', driver], { input, encoding: 'utf8' });
	if (result.status !== 0) throw new Error(`python3 failed: ${result.stderr}`);
	return JSON.parse(result.stdout) as boolean[];
}

describe('Python: Standard Webhooks Ed25519 (cryptography)', () => {
	const hasCryptography = hasPython && spawnSync('python3', ['-c', 'import cryptography'], { encoding: 'utf8' }).status === 0;

	it('verifies v1a requests signed by the core with the public key and rejects their tampered twins', (ctx) => {
		if (!hasCryptography) ctx.skip('python3 with the cryptography package is not installed: the ed25519 Python snippet was not run');
		const [current, previous] = [generateEd25519KeyPair(), generateEd25519KeyPair()];
		const request = signedRequest('standard-ed25519', [current.secretKey]);
		const rotating = signedRequest('standard-ed25519', [current.secretKey, previous.secretKey]);
		const stale = signedRequest('standard-ed25519', [current.secretKey], { timestamp: nowSeconds() - 301 });
		const hmac = signedRequest('standard', [generateSigningSecret()]);
		const cases: [OutboundRequest, string, boolean][] = [
			[request, current.publicKey, true],
			[tamperBody(request), current.publicKey, false],
			[reserialise(request), current.publicKey, false],
			[request, previous.publicKey, false],
			[{ ...request, headers: { ...request.headers, 'webhook-id': 'msg_other' } }, current.publicKey, false],
			[rotating, current.publicKey, true],
			[rotating, previous.publicKey, true],
			[stale, current.publicKey, false],
			[hmac, current.publicKey, false],
		];
		const verdicts = runPython(
			cases.map(([r, key]) => ({ fn: 'verify_standard_ed25519', headers: r.headers, body: r.body, secret: key })),
			'verify_ed25519',
		);
		expect(verdicts).toEqual(cases.map(([, , expected]) => expected));
	});
});

describe('Python (hmac, hashlib)', () => {
	it('verifies requests signed by the core and rejects their tampered twins', (ctx) => {
		if (!hasPython) ctx.skip('python3 is not installed: the Python snippet in docs/signatures.md was not run');
		const [secret, previous] = [generateSigningSecret(), generateSigningSecret()];
		const unpadded = 'whsec_' + Buffer.from('twenty-five bytes of key!').toString('base64').replace(/=+$/, '');
		const std = signedRequest('standard', [secret]);
		const rotating = signedRequest('standard', [secret, previous]);
		const own = signedRequest('standard', [unpadded]);
		const stale = signedRequest('standard', [secret], { timestamp: nowSeconds() - 301 });
		const sf = signedRequest('scalefusion', [secret]);
		const menderSecret = generateMenderSecret();
		const men = signedRequest('mender', [menderSecret]);
		const plain = 'plain secret — with ünïcode';
		const sfPlain = signedRequest('scalefusion', [plain]);
		const cases: [string, OutboundRequest, string, boolean][] = [
			['verify_standard', std, secret, true],
			['verify_standard', tamperBody(std), secret, false],
			['verify_standard', reserialise(std), secret, false],
			['verify_standard', std, generateSigningSecret(), false],
			['verify_standard', { ...std, headers: { ...std.headers, 'webhook-id': 'msg_other' } }, secret, false],
			['verify_standard', rotating, secret, true],
			['verify_standard', rotating, previous, true],
			['verify_standard', tamperBody(rotating), previous, false],
			['verify_standard', own, unpadded, true],
			['verify_standard', stale, secret, false],
			['verify_scalefusion', sf, secret, true],
			['verify_scalefusion', tamperBody(sf), secret, false],
			['verify_scalefusion', sf, generateSigningSecret(), false],
			['verify_scalefusion', sfPlain, plain, true],
			['verify_scalefusion', tamperBody(sfPlain), plain, false],
			['verify_mender', men, menderSecret, true],
			['verify_mender', tamperBody(men), menderSecret, false],
			['verify_mender', men, generateMenderSecret(), false],
			['verify_mender', { ...men, headers: { ...men.headers, 'x-men-algorithm': 'other' } }, menderSecret, false],
			['verify_mender', sf, menderSecret, false],
		];
		const verdicts = runPython(
			cases.map(([fn, request, key]) => ({ fn, headers: request.headers, body: request.body, secret: key })),
		);
		expect(verdicts).toEqual(cases.map(([, , , expected]) => expected));
	});
});

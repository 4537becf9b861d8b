/**
 * A generator of malformed requests across every endpoint of the API: wrong types, huge and deep
 * bodies, bad encodings, unknown fields, `__proto__`, CR/LF and NUL in strings, bad cursors, bad
 * path ids, bad JSON, wrong content types, missing or wrong keys, unknown routes. Every request it
 * makes must get a 4xx: each one is built to be invalid (values a field's rules refuse, bodies
 * that do not parse), never a valid request that happens to have an odd shape. Requests are sent
 * over real HTTP (`sendMalformed`), and the answers tallied by status and by kind.
 */
import zlib from 'node:zlib';
import { EVENT_TYPE_NAMES, getEventType } from '../../core';
import { TEST_API_KEY } from './dispatcher';

export interface MalformedRequest {
	/** What is wrong with it, e.g. `wrong type`, `bad path id` (the tally groups by this). */
	kind: string;
	method: 'GET' | 'POST' | 'PATCH' | 'DELETE' | 'PUT';
	path: string;
	/** Raw body bytes; sent with `content-type: application/json` unless `headers` say otherwise. */
	body?: string | Buffer;
	headers?: Record<string, string>;
	/** Authorization header; the admin key unless set (null sends none). */
	authorization?: string | null;
}

/** Real ids, so that routes with a path id get past their 404 to what is wrong with the body. */
export interface MalformedFixture {
	webhookId: string;
	webhookName: string;
	profileId: string;
	profileName: string;
	deliveryId: string;
	/** A URL the dispatcher accepts as a destination (a loopback receiver). */
	receiverUrl: string;
	/** A `generic` ingest source without auth, its name and its URL token. */
	sourceId: string;
	sourceName: string;
	sourceToken: string;
}

type Json = unknown;

const CONTROL_STRINGS = ['a\r\nb', 'line\nbreak', 'nul\u0000byte', '\r\n'];

const BAD_JSON: string[] = [
	'{',
	'{"a":}',
	"{'a': 1}",
	'{"a": 1,}',
	'NaN',
	'[1, 2',
	'{"a": "\\x41"}',
	'{"a": "unterminated}',
	'undefined',
	'{"a": 01}',
	'{"a": 1} trailing',
	'\ufeff\ufeff{}',
	'{"a": tru}',
];

/** Invalid UTF-8 bytes outside any string: not JSON whatever the decoder does. */
const BAD_UTF8 = Buffer.from([0x7b, 0xff, 0xfe, 0x22, 0x61, 0x22, 0x3a, 0x31, 0x7d]);

function json(value: Json): string {
	return JSON.stringify(value);
}

/** `depth` levels of arrays as JSON text (JSON.stringify would overflow on deep values). */
export function deepArrays(depth: number): string {
	return `${'['.repeat(depth)}${']'.repeat(depth)}`;
}

/** Bodies that fail before any route reads them: parse errors, encodings, size, depth, prototype keys. */
function unreadableBodies(validBody: string): Pick<MalformedRequest, 'kind' | 'body' | 'headers'>[] {
	const out: Pick<MalformedRequest, 'kind' | 'body' | 'headers'>[] = [];
	for (const body of BAD_JSON) out.push({ kind: 'bad JSON', body });
	out.push({ kind: 'bad encoding', body: BAD_UTF8 });
	out.push({ kind: 'bad encoding', body: Buffer.from('not gzip at all'), headers: { 'content-encoding': 'gzip' } });
	out.push({ kind: 'bad encoding', body: Buffer.from('not brotli'), headers: { 'content-encoding': 'br' } });
	out.push({ kind: 'bad encoding', body: Buffer.from('not deflate'), headers: { 'content-encoding': 'deflate' } });
	out.push({ kind: 'bad encoding', body: zlib.gzipSync(validBody).subarray(0, 12), headers: { 'content-encoding': 'gzip' } });
	out.push({ kind: 'bad encoding', body: zlib.gzipSync('{"truncated": tr'), headers: { 'content-encoding': 'gzip' } });
	out.push({ kind: 'bad encoding', body: validBody, headers: { 'content-encoding': 'compress' } });
	out.push({ kind: 'bad encoding', body: validBody, headers: { 'content-encoding': 'gzip, br' } });
	out.push({ kind: 'wrong content-type', body: validBody, headers: { 'content-type': 'application/json; charset=latin1' } });
	out.push({ kind: 'wrong content-type', body: validBody, headers: { 'content-type': 'application/json; charset=utf-16' } });
	out.push({ kind: 'wrong content-type', body: 'name=x&url=y', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
	out.push({
		kind: 'wrong content-type',
		body: '--b\r\ncontent-disposition: form-data; name="name"\r\n\r\nx\r\n--b--\r\n',
		headers: { 'content-type': 'multipart/form-data; boundary=b' },
	});
	out.push({ kind: 'wrong content-type', body: '<webhook><name>x</name></webhook>', headers: { 'content-type': 'application/xml' } });
	out.push({ kind: 'deep body', body: deepArrays(100) });
	out.push({ kind: 'deep body', body: deepArrays(5000) });
	out.push({ kind: 'deep body', body: `${'{"a":'.repeat(200)}1${'}'.repeat(200)}` });
	out.push({ kind: '__proto__', body: '{"__proto__": {"admin": true}}' });
	out.push({ kind: '__proto__', body: '{"constructor": {"prototype": {"admin": true}}}' });
	out.push({ kind: '__proto__', body: '[{"__proto__": null}]' });
	return out;
}

/** A body just over the 1 MiB limit. */
function hugeBody(): string {
	return json({ name: 'huge', padding: 'x'.repeat(1024 * 1024) });
}

/** `{...base, [field]: value}` for every listed invalid value. */
function fieldCases(kind: string, base: Record<string, Json>, invalid: Record<string, Json[]>): { kind: string; body: string }[] {
	const out: { kind: string; body: string }[] = [];
	for (const [field, values] of Object.entries(invalid)) {
		for (const value of values) out.push({ kind, body: json({ ...base, [field]: value }) });
	}
	return out;
}

/** Wrong JSON types for a field, leaving out the ones that are valid for it. */
function wrongTypes(...valid: ('string' | 'number' | 'integer' | 'boolean' | 'null' | 'array' | 'object')[]): Json[] {
	const all: [string, Json][] = [
		['string', 'text'],
		['number', 1.5],
		['integer', 7],
		['boolean', true],
		['null', null],
		['array', []],
		['object', {}],
	];
	return all.filter(([type]) => !valid.includes(type as never) && !(type === 'integer' && valid.includes('number'))).map(([, v]) => v);
}

function webhookInvalidFields(fixture: MalformedFixture, forSave: boolean): Record<string, Json[]> {
	const headers33 = Object.fromEntries(Array.from({ length: 33 }, (_, i) => [`X-H${i}`, 'v']));
	return {
		name: [...wrongTypes('string'), '', '   ', 'x'.repeat(51), ...CONTROL_STRINGS, ...(forSave ? [fixture.webhookName] : [])],
		description: [...wrongTypes('string'), 'x'.repeat(513)],
		template: [...wrongTypes(), 'email', 'SLACK', ''],
		url: [
			...wrongTypes('string'),
			'',
			'ftp://example.com/hook',
			'not a url',
			'https://user:pass@example.com/hook',
			'https://token@example.com/hook',
			'http://10.0.0.1/hook',
			'http://192.168.1.10/hook',
			'http://169.254.169.254/latest/meta-data',
			'http://[::1]/hook',
			'http://[::ffff:10.0.0.1]/hook',
			'http://0.0.0.0/hook',
			'https://nonexistent.invalid/hook',
			`${fixture.receiverUrl}\r\n`,
			`${fixture.receiverUrl}\u0000`,
			'https://exa mple.com/',
			`https://example.com/${'x'.repeat(600)}`,
			'javascript:alert(1)',
		],
		method: [...wrongTypes(), 'GET', 'DELETE', 'post', ''],
		timeoutSeconds: [...wrongTypes('integer'), -1, 61, 1.5, '30'],
		enabled: [...wrongTypes('boolean'), 'true', 0],
		auth: [
			...wrongTypes('object'),
			{},
			{ type: 'digest' },
			{ type: 'basic' },
			{ type: 'basic', username: 'u' },
			{ type: 'basic', username: '', password: 'p' },
			{ type: 'basic', username: 'u:v', password: 'p' },
			...CONTROL_STRINGS.map((s) => ({ type: 'basic', username: 'u', password: `p${s}` })),
			...CONTROL_STRINGS.map((s) => ({ type: 'basic', username: `u${s}`, password: 'p' })),
			...CONTROL_STRINGS.map((s) => ({ type: 'bearer', token: `t${s}` })),
			{ type: 'bearer', token: '' },
			{ type: 'bearer', token: 1 },
			{ type: 'bearer', token: 'x'.repeat(4097) },
			{ type: 'none', token: 'x' },
			{ type: 'bearer', token: 't', extra: true },
		],
		signing: [
			...wrongTypes('object'),
			{},
			{ scheme: 'hmac' },
			{ scheme: 'standard', secret: 'short' },
			{ scheme: 'standard', secret: 'whsec_!!!not base64!!!' },
			{ scheme: 'standard', secret: 'not-a-whsec-secret-at-all' },
			{ scheme: 'standard', secret: 12345678 },
			{ scheme: 'standard', secret: `whsec_${'a'.repeat(300)}` },
			{ scheme: 'none', extra: true },
		],
		headers: [
			...wrongTypes('object'),
			{ 'Bad Name': 'v' },
			{ 'X-A': 1 },
			...CONTROL_STRINGS.map((s) => ({ 'X-A': `v${s}` })),
			{ 'X-A\r\n': 'v' },
			{ '': 'v' },
			{ Host: 'evil.example' },
			{ 'Content-Length': '1' },
			{ 'Transfer-Encoding': 'chunked' },
			{ 'webhook-signature': 'v1,x' },
			{ 'X-Men-Signature': 'x' },
			{ 'X-A': ' leading space' },
			{ 'X-A': 'v', 'x-a': 'w' },
			{ 'X-A': 'x'.repeat(2049) },
			headers33,
		],
		nonSecretHeaders: [...wrongTypes('array'), [1], ['X-Missing'], ['authorization'], ['a', 'a']],
		events: [...wrongTypes('array'), [1], ['nope.event'], ['device.lost', 'device.lost'], ['device.lost\r\n'], Array.from({ length: 101 }, (_, i) => `x${i}`)],
		rateLimitPerSecond: [...wrongTypes('number', 'null'), 0, -1, 1e-300, 0.001, 1001, '1'],
		unknownField: ['x'],
		id: ['wh_mine'],
		createdAt: ['2026-01-01T00:00:00Z'],
	};
}

function profileInvalidFields(fixture: MalformedFixture, forCreate: boolean): Record<string, Json[]> {
	return {
		name: [...wrongTypes('string'), '', '  ', 'x'.repeat(51), ...CONTROL_STRINGS, ...(forCreate ? [fixture.profileName] : [])],
		description: [...wrongTypes('string'), 'x'.repeat(513)],
		events: [...wrongTypes('array'), [], [1], ['nope'], ['device.lost', 'device.lost'], ['device.lost\u0000']],
		condition: [
			...wrongTypes('string', 'null'),
			'data.device.{',
			'$contains(data.device.name, /^(a+)+$/)',
			'$match(data.device.name, /(\\w+\\s?)*$/)',
			'x'.repeat(4097),
			'$count(',
		],
		payload: [...wrongTypes('string', 'null'), '{"a": }', '{"big": $pad("x", 2000000)}', 'x'.repeat(16385), '"unterminated'],
		webhookIds: [...wrongTypes('array'), [], ['wh_missing'], [1], [fixture.webhookId, fixture.webhookId], ['wh\r\n']],
		enabled: [...wrongTypes('boolean'), 'yes', 0],
		unknownField: [1],
		id: ['prf_mine'],
	};
}

function sourceInvalidFields(fixture: MalformedFixture, forCreate: boolean): Record<string, Json[]> {
	return {
		name: [...wrongTypes('string'), '', '  ', 'x'.repeat(51), ...CONTROL_STRINGS, ...(forCreate ? [fixture.sourceName] : [])],
		description: [...wrongTypes('string'), 'x'.repeat(513)],
		enabled: [...wrongTypes('boolean'), 'true'],
		secret: [...wrongTypes('string'), 'short', 'x'.repeat(257)],
		auth: [...wrongTypes('object'), { type: 'digest' }, { type: 'bearer', token: 'a\r\nb' }, { type: 'basic', username: 'u' }],
		hmac: [...wrongTypes('object'), {}, { header: 'Bad Header' }, { header: 'x-sig', algorithm: 'md5' }, { header: 'x-sig', encoding: 'base32' }, { header: 'x-sig', extra: 1 }],
		mapping: [...wrongTypes('string', 'null'), '{"type": }', '$match(x, /(a+)+/)', 'x'.repeat(16385)],
		unknownField: [1],
		...(forCreate ? { vendor: [...wrongTypes(), 'intune', 'MENDER', ''] } : { vendor: ['generic'] }),
	};
}

function eventCases(): { kind: string; body: string }[] {
	const sample = getEventType('device.lost')?.sample as Record<string, Json>;
	const base = { type: 'device.lost', data: sample };
	const out = fieldCases('wrong field', base, {
		type: [...wrongTypes('string'), '', 'nope', 'DEVICE.LOST', 'device.*', 'x'.repeat(101), ...CONTROL_STRINGS.map((s) => `device.lost${s}`)],
		data: [...wrongTypes('object'), {}, { device: {} }, { device: { id: '' } }, { device: { id: 1 } }, { device: 'x' }],
		id: [...wrongTypes('string'), '', ' ', 'evt id', '-leading', 'x'.repeat(200), 'evt/slash', ...CONTROL_STRINGS.map((s) => `evt${s}`)],
		timestamp: [
			...wrongTypes('string'),
			'',
			'yesterday',
			'2026-13-01T00:00:00Z',
			'2026-02-30T00:00:00Z',
			'2026-12-31T23:59:60Z',
			'2026-12-31',
			'2026-12-31T25:00:00Z',
			'2026-12-31T10:00:00',
			'2026-12-31T10:00:00Z\r\n',
		],
		unknownField: ['x'],
		deliveries: [[]],
	});
	// Every type of the catalog, with data its schema refuses.
	for (const type of EVENT_TYPE_NAMES) {
		out.push({ kind: 'wrong field', body: json({ type, data: {} }) });
		out.push({ kind: 'wrong field', body: json({ type, data: { device: { id: null } } }) });
	}
	out.push({ kind: 'deep body', body: `{"type":"device.lost","data":{"device":{"id":"d"},"x":${deepArrays(5000)}}}` });
	out.push({ kind: 'deep body', body: `{"type":"device.lost","data":{"device":{"id":"d"},"x":${'{"y":'.repeat(70)}1${'}'.repeat(70)}}}` });
	out.push({ kind: '__proto__', body: '{"type":"device.lost","data":{"device":{"id":"d"},"__proto__":{"x":1}}}' });
	out.push({ kind: '__proto__', body: '{"type":"device.lost","data":{"device":{"id":"d","constructor":{"prototype":{}}}}}' });
	out.push({ kind: 'missing field', body: json({ data: sample }) });
	out.push({ kind: 'missing field', body: json({ type: 'device.lost' }) });
	return out;
}

const BAD_IDS = ['%ff', '%E0%A4%A', '%c0%af', 'does-not-exist', `x${'y'.repeat(2000)}`, '%00', '%0d%0a', '..%2f..%2fetc%2fpasswd', '%22%3E%3Cscript%3E'];

/** Every malformed request for a dispatcher holding `fixture`. */
export function malformedRequests(fixture: MalformedFixture): MalformedRequest[] {
	const out: MalformedRequest[] = [];
	const add = (method: MalformedRequest['method'], path: string, cases: Pick<MalformedRequest, 'kind' | 'body' | 'headers'>[]) => {
		for (const c of cases) out.push({ method, path, ...c });
	};
	const wh = `/v1/webhooks/${fixture.webhookId}`;
	const prf = `/v1/profiles/${fixture.profileId}`;
	const src = `/v1/sources/${fixture.sourceId}`;
	const ingest = `/ingest/${fixture.sourceId}/${fixture.sourceToken}`;
	const webhookBase = { name: 'barrage webhook', url: fixture.receiverUrl };

	// Bodies that fail before any route reads them, on every route that takes a body.
	const bodyRoutes: [MalformedRequest['method'], string, Json][] = [
		['POST', '/v1/events', { type: 'device.lost', data: { device: { id: 'x' } } }],
		['POST', '/v1/webhooks', webhookBase],
		['POST', '/v1/webhooks?test=true', webhookBase],
		['POST', '/v1/webhooks/test', webhookBase],
		['PATCH', wh, { description: 'x' }],
		['DELETE', wh, {}],
		['POST', `${wh}/test`, {}],
		['POST', `${wh}/mock`, { type: 'device.lost' }],
		['POST', `${wh}/secret/rotate`, {}],
		['POST', '/v1/profiles', { name: 'p', events: ['device.lost'], webhookIds: [fixture.webhookId] }],
		['PATCH', prf, { description: 'x' }],
		['DELETE', prf, {}],
		['POST', `/v1/deliveries/${fixture.deliveryId}/retry`, {}],
		['POST', '/v1/deliveries/retry', { filter: { status: 'failed' } }],
		['POST', '/v1/sources', { name: 's', vendor: 'kobiton' }],
		['PATCH', src, { description: 'x' }],
		['DELETE', src, {}],
		['POST', `${src}/rotate`, {}],
	];
	for (const [method, path, valid] of bodyRoutes) add(method, path, unreadableBodies(json(valid)));
	for (const path of ['/v1/events', '/v1/webhooks', '/v1/profiles', '/v1/webhooks/test']) add('POST', path, [{ kind: 'huge body', body: hugeBody() }]);

	// Wrong top-level types for the routes whose body has a schema.
	const topLevel = ['[]', '"text"', '123', 'true', '[{"type":"device.lost"}]'];
	for (const [method, path] of [
		['POST', '/v1/events'],
		['POST', '/v1/webhooks'],
		['POST', '/v1/webhooks/test'],
		['PATCH', wh],
		['POST', `${wh}/mock`],
		['POST', `${wh}/secret/rotate`],
		['POST', '/v1/profiles'],
		['PATCH', prf],
		['POST', '/v1/deliveries/retry'],
		['POST', '/v1/sources'],
		['PATCH', src],
		['POST', `${src}/rotate`],
	] as const) {
		add(method, path, topLevel.map((body) => ({ kind: 'wrong type', body })));
		if (path !== `${wh}/secret/rotate` && path !== `${src}/rotate`) add(method, path, [{ kind: 'wrong type', body: 'null' }]);
	}

	// Field by field, for every body schema.
	add('POST', '/v1/events', eventCases());
	add('POST', '/v1/webhooks', fieldCases('wrong field', webhookBase, webhookInvalidFields(fixture, true)));
	add('POST', '/v1/webhooks?test=true', fieldCases('wrong field', webhookBase, webhookInvalidFields(fixture, true)).slice(0, 40));
	add('POST', '/v1/webhooks/test', fieldCases('wrong field', webhookBase, webhookInvalidFields(fixture, false)));
	const webhookPatch = webhookInvalidFields(fixture, false);
	delete webhookPatch.name;
	add('PATCH', wh, fieldCases('wrong field', {}, { ...webhookPatch, name: [...wrongTypes('string'), '', ...CONTROL_STRINGS] }));
	add('PATCH', wh, [{ kind: 'missing field', body: '{}' }]);
	add('POST', '/v1/webhooks', [
		{ kind: 'missing field', body: '{}' },
		{ kind: 'missing field', body: json({ name: 'no url' }) },
		{ kind: 'missing field', body: json({ url: fixture.receiverUrl }) },
	]);
	const profileBase = { name: 'barrage profile', events: ['device.lost'], webhookIds: [fixture.webhookId] };
	add('POST', '/v1/profiles', fieldCases('wrong field', profileBase, profileInvalidFields(fixture, true)));
	add('POST', '/v1/profiles', [
		{ kind: 'missing field', body: '{}' },
		{ kind: 'missing field', body: json({ name: 'p', events: ['device.lost'] }) },
		{ kind: 'missing field', body: json({ name: 'p', webhookIds: [fixture.webhookId] }) },
	]);
	add('PATCH', prf, fieldCases('wrong field', {}, profileInvalidFields(fixture, false)));
	add('PATCH', prf, [{ kind: 'missing field', body: '{}' }]);
	add('POST', `${wh}/mock`, fieldCases('wrong field', {}, { type: [...wrongTypes('string'), '', 'nope', 'device.*', ...CONTROL_STRINGS], extra: [1] }));
	add('POST', `${wh}/mock`, [{ kind: 'missing field', body: '{}' }]);
	add('POST', `${wh}/secret/rotate`, fieldCases('wrong field', {}, { secret: [...wrongTypes('string'), 'short', 'x'.repeat(257), 'not-a-whsec-secret', ...CONTROL_STRINGS.map((s) => `whsec_${s}abcdefgh`)], extra: [1] }));
	add('POST', '/v1/deliveries/retry', [
		{ kind: 'missing field', body: '{}' },
		...fieldCases('wrong field', {}, { filter: [...wrongTypes('object')], extra: [1] }),
		...fieldCases('wrong field', {}, {
			filter: [
				{ status: 'pending' },
				{ status: 'done' },
				{ responseCode: 99 },
				{ responseCode: 600 },
				{ responseCode: '200' },
				{ from: 'yesterday' },
				{ to: '2026-13-01T00:00:00Z' },
				{ webhookId: '' },
				{ requestId: 1 },
				{ unknown: 1 },
				{ limit: 5 },
			],
		}),
	]);

	// Ingest sources, and what their URL receives (a generic source's mapping cannot map these).
	const sourceBase = { name: 'barrage source', vendor: 'generic', mapping: '{"type": type, "data": data}' };
	add('POST', '/v1/sources', fieldCases('wrong field', sourceBase, sourceInvalidFields(fixture, true)));
	add('POST', '/v1/sources', [
		{ kind: 'missing field', body: '{}' },
		{ kind: 'missing field', body: json({ name: 'no vendor' }) },
		{ kind: 'missing field', body: json({ name: 'generic without mapping', vendor: 'generic' }) },
	]);
	add('PATCH', src, fieldCases('wrong field', {}, sourceInvalidFields(fixture, false)));
	add('PATCH', src, [{ kind: 'missing field', body: '{}' }, { kind: 'wrong field', body: json({ mapping: null }) }]);
	add('POST', `${src}/rotate`, fieldCases('wrong field', {}, { secret: [...wrongTypes('string'), 'short'], extra: [1] }));
	const ingestBodies: Pick<MalformedRequest, 'kind' | 'body' | 'headers'>[] = [
		...BAD_JSON.map((body) => ({ kind: 'bad JSON', body })),
		{ kind: 'bad JSON', body: '' },
		{ kind: 'bad encoding', body: BAD_UTF8 },
		{ kind: 'deep body', body: deepArrays(5000) },
		{ kind: 'deep body', body: `{"type":"device.lost","data":${'{"a":'.repeat(100)}1${'}'.repeat(100)}}` },
		{ kind: '__proto__', body: '{"type":"device.lost","data":{"device":{"id":"x"}},"__proto__":{"x":1}}' },
		{ kind: 'wrong field', body: json({ type: 'device.lost' }) },
		{ kind: 'wrong field', body: json({ type: 'nope', data: { device: { id: 'x' } } }) },
		{ kind: 'wrong field', body: json({ type: 'device.lost', data: { device: {} } }) },
		{ kind: 'wrong field', body: json({ type: 1, data: { device: { id: 'x' } } }) },
		{ kind: 'wrong field', body: json({ type: 'device.lost\r\n', data: { device: { id: 'x' } } }) },
		{ kind: 'wrong type', body: '[]' },
		{ kind: 'wrong type', body: '"text"' },
		{ kind: 'wrong type', body: '42' },
		{ kind: 'huge body', body: hugeBody() },
	];
	// The URL's token is the credential: no admin key.
	for (const c of ingestBodies) out.push({ method: 'POST', path: ingest, authorization: null, ...c });
	for (const path of [
		`/ingest/${fixture.sourceId}/wrong-token`,
		`/ingest/src_missing/${fixture.sourceToken}`,
		`/ingest/%ff/${fixture.sourceToken}`,
		`/ingest/${fixture.sourceId}/%E0%A4%A`,
		`/ingest/${fixture.sourceId}`,
		`/ingest/${fixture.sourceId}/${fixture.sourceToken}/extra`,
	]) {
		out.push({ kind: 'bad path id', method: 'POST', path, body: json({ type: 'device.lost', data: { device: { id: 'x' } } }), authorization: null });
	}
	for (const method of ['GET', 'PUT', 'DELETE'] as const) out.push({ kind: 'unknown route', method, path: ingest, authorization: null, ...(method === 'GET' ? {} : { body: '{}' }) });

	// Query strings.
	const listQueries = [
		'limit=0',
		'limit=251',
		'limit=-5',
		'limit=abc',
		'limit=1.5',
		'limit=',
		'limit=1&limit=2',
		'status=done',
		'status=',
		'status=PENDING',
		'responseCode=99',
		'responseCode=600',
		'responseCode=abc',
		'from=yesterday',
		'from=2026-13-01T00:00:00Z',
		'to=',
		'webhookId=',
		'eventType=',
		'profileId=',
		'requestId=',
		'foo=1',
		'status[]=failed',
		'cursor=',
		'cursor=abc',
		'cursor=%00',
		'cursor=%ff',
		'cursor=bXNnX25vbmU',
		`cursor=${'x'.repeat(3000)}`,
		'cursor=a%0d%0ab',
		'cursor=../../',
		'from=2026-01-01T00:00:00Z%0d%0a',
	];
	add('GET', '/v1/deliveries', []);
	for (const query of listQueries) out.push({ kind: query.startsWith('cursor') ? 'bad cursor' : 'bad query', method: 'GET', path: `/v1/deliveries?${query}` });
	for (const query of ['from=yesterday', 'to=2026-02-30T00:00:00Z', 'webhookId=', 'status=sideways', 'limit=5', 'foo=bar', 'from=1&from=2']) {
		out.push({ kind: 'bad query', method: 'GET', path: `/v1/deliveries/summary?${query}` });
	}
	for (const query of [
		'',
		'event=device.lost',
		`webhookId=${fixture.webhookId}`,
		`event=nope&webhookId=${fixture.webhookId}`,
		`event=device.lost%0d%0a&webhookId=${fixture.webhookId}`,
		'event=device.lost&webhookId=wh_missing',
		`event=device.lost&webhookId=${fixture.webhookId}&extra=1`,
		`event=&webhookId=${fixture.webhookId}`,
		`event=device.lost&event=device.found&webhookId=${fixture.webhookId}`,
	]) {
		out.push({ kind: 'bad query', method: 'GET', path: `${prf}/preview?${query}` });
	}

	// Path ids: undecodable, unknown, huge.
	const idRoutes: [MalformedRequest['method'], (id: string) => string, Json | undefined][] = [
		['GET', (id) => `/v1/webhooks/${id}`, undefined],
		['PATCH', (id) => `/v1/webhooks/${id}`, { description: 'x' }],
		['DELETE', (id) => `/v1/webhooks/${id}`, undefined],
		['POST', (id) => `/v1/webhooks/${id}/test`, {}],
		['POST', (id) => `/v1/webhooks/${id}/mock`, { type: 'device.lost' }],
		['POST', (id) => `/v1/webhooks/${id}/secret/rotate`, {}],
		['GET', (id) => `/v1/profiles/${id}`, undefined],
		['PATCH', (id) => `/v1/profiles/${id}`, { description: 'x' }],
		['DELETE', (id) => `/v1/profiles/${id}`, undefined],
		['GET', (id) => `/v1/profiles/${id}/preview?event=device.lost&webhookId=${fixture.webhookId}`, undefined],
		['GET', (id) => `/v1/profiles/${fixture.profileId}/preview?event=device.lost&webhookId=${id}`, undefined],
		['GET', (id) => `/v1/deliveries/${id}`, undefined],
		['POST', (id) => `/v1/deliveries/${id}/retry`, {}],
		['GET', (id) => `/v1/sources/${id}`, undefined],
		['PATCH', (id) => `/v1/sources/${id}`, { description: 'x' }],
		['DELETE', (id) => `/v1/sources/${id}`, undefined],
		['POST', (id) => `/v1/sources/${id}/rotate`, {}],
	];
	for (const [method, path, body] of idRoutes) {
		for (const id of BAD_IDS) out.push({ kind: 'bad path id', method, path: path(id), ...(body === undefined ? {} : { body: json(body) }) });
	}

	// Keys: none, wrong, wrong scheme, on a sample of routes.
	const keyed: [MalformedRequest['method'], string][] = [
		['GET', '/v1/event-types'],
		['POST', '/v1/events'],
		['GET', '/v1/webhooks'],
		['POST', '/v1/webhooks'],
		['GET', wh],
		['PATCH', wh],
		['DELETE', wh],
		['POST', `${wh}/secret/rotate`],
		['GET', '/v1/profiles'],
		['DELETE', prf],
		['GET', '/v1/deliveries'],
		['POST', '/v1/deliveries/retry'],
		['GET', '/v1/sources'],
		['POST', '/v1/sources'],
		['DELETE', src],
	];
	for (const [method, path] of keyed) {
		for (const authorization of [null, 'Bearer wrong-key', `Basic ${Buffer.from(`admin:${TEST_API_KEY}`).toString('base64')}`, 'Bearer', TEST_API_KEY, `Bearer ${TEST_API_KEY}x`]) {
			out.push({ kind: 'bad key', method, path, authorization, ...(method === 'GET' ? {} : { body: '{}' }) });
		}
	}

	// Routes and methods that do not exist.
	for (const [method, path] of [
		['GET', '/v1'],
		['GET', '/v1/'],
		['GET', '/v1/nothing'],
		['GET', '/v1/webhook'],
		['PUT', '/v1/webhooks'],
		['PUT', wh],
		['DELETE', '/v1/webhooks'],
		['POST', wh],
		['GET', '/v1/events'],
		['DELETE', '/v1/events'],
		['POST', '/v1/events/extra'],
		['GET', '/v1/deliveries/summary/extra'],
		['PATCH', '/v1/deliveries/retry'],
		['GET', '/v2/events'],
		['POST', '/healthz'],
		['GET', '/v1/webhooks/a/b/c'],
		['POST', '/v1/event-types'],
	] as const) {
		out.push({ kind: 'unknown route', method, path, ...(method === 'GET' ? {} : { body: '{}' }) });
	}
	return out;
}

export interface Tally {
	total: number;
	byStatus: Record<string, number>;
	byKind: Record<string, number>;
	/** Requests that did not get a 4xx (with what they got). */
	unexpected: { request: MalformedRequest; status: number | string; body: string }[];
}

/** Sends every request (`concurrency` at a time) and tallies the answers. */
export async function sendMalformed(baseUrl: string, requests: readonly MalformedRequest[], concurrency = 8): Promise<Tally> {
	const tally: Tally = { total: 0, byStatus: {}, byKind: {}, unexpected: [] };
	let next = 0;
	const worker = async () => {
		while (next < requests.length) {
			const request = requests[next++] as MalformedRequest;
			let status: number | string;
			let text = '';
			try {
				const authorization = request.authorization === undefined ? `Bearer ${TEST_API_KEY}` : request.authorization;
				const response = await fetch(`${baseUrl}${request.path}`, {
					method: request.method,
					headers: {
						...(authorization === null ? {} : { authorization }),
						...(request.body === undefined ? {} : { 'content-type': 'application/json' }),
						...request.headers,
					},
					body: request.body,
				});
				status = response.status;
				text = await response.text();
			} catch (error) {
				status = `network error: ${(error as Error).message}`;
			}
			tally.total++;
			tally.byStatus[String(status)] = (tally.byStatus[String(status)] ?? 0) + 1;
			tally.byKind[request.kind] = (tally.byKind[request.kind] ?? 0) + 1;
			if (typeof status !== 'number' || status < 400 || status >= 500) {
				tally.unexpected.push({ request: { ...request, body: request.body?.slice(0, 200) }, status, body: text.slice(0, 300) });
			}
		}
	};
	await Promise.all(Array.from({ length: concurrency }, worker));
	return tally;
}

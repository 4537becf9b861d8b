import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { verifyHmac, verifySignature } from '../../../core';
import type { VerifyResult } from '../../../core';

export type VerifySchemeName = 'standard' | 'standard-ed25519' | 'scalefusion' | 'mender' | 'hmac';
type HmacAlgorithm = 'sha1' | 'sha256' | 'sha512';
type HmacEncoding = 'hex' | 'base64';

export interface VerifySettings {
	scheme: VerifySchemeName;
	secret: string;
	toleranceSeconds: number;
	binaryPropertyName: string;
	hmac: { headerName: string; algorithm: HmacAlgorithm; encoding: HmacEncoding; prefix: string };
}

export type Verdict = VerifyResult | { valid: false; reason: 'missing_body'; message: string };

type HeaderBag = Record<string, string | string[] | undefined>;

/** The request headers as the n8n Webhook node emits them (`json.headers`). */
function itemHeaders(item: INodeExecutionData): HeaderBag {
	const headers = item.json.headers;
	if (!headers || typeof headers !== 'object' || Array.isArray(headers)) return {};
	const out: HeaderBag = {};
	for (const [name, value] of Object.entries(headers as IDataObject)) {
		if (value === undefined || value === null) continue;
		out[name] = Array.isArray(value) ? value.map(String) : String(value);
	}
	return out;
}

function headerValue(headers: HeaderBag, name: string): string | undefined {
	const wanted = name.trim().toLowerCase();
	for (const [key, value] of Object.entries(headers)) {
		if (key.toLowerCase() !== wanted || value === undefined) continue;
		return Array.isArray(value) ? value.join(', ') : value;
	}
	return undefined;
}

/**
 * The signed bytes: the Webhook node's "Raw Body" binary property when present (exact), else
 * `json.body` re-serialised (a string as is, anything else as compact JSON), which only matches
 * when the sender serialised the same way.
 */
export async function rawBody(
	ctx: IExecuteFunctions,
	item: INodeExecutionData,
	itemIndex: number,
	binaryPropertyName: string,
): Promise<{ body: Buffer; fromBinary: boolean } | undefined> {
	if (binaryPropertyName && item.binary?.[binaryPropertyName]) {
		return {
			body: await ctx.helpers.getBinaryDataBuffer(itemIndex, binaryPropertyName),
			fromBinary: true,
		};
	}
	const body = item.json.body;
	if (body === undefined || body === null) return undefined;
	return {
		body: Buffer.from(typeof body === 'string' ? body : JSON.stringify(body), 'utf8'),
		fromBinary: false,
	};
}

/**
 * Why a generic HMAC did not match. When the header value starts with a `<name>=` prefix that is
 * not configured (GitHub's `sha256=…`), and the signature matches once it is taken off, the
 * message says so instead of calling the body tampered; the request still counts as invalid.
 */
function mismatchMessage(
	headerName: string,
	algorithm: HmacAlgorithm,
	prefix: string,
	signature: string,
	check: (prefix: string) => boolean,
): string {
	const base = `${headerName} does not match the ${algorithm} HMAC of the body`;
	const sent = /^\s*([A-Za-z0-9_-]{1,20}=)/.exec(signature)?.[1];
	if (sent && sent.toLowerCase() !== prefix.toLowerCase() && check(sent)) {
		return `${base} with Prefix ${prefix ? `"${prefix}"` : 'empty'}; the header value starts with "${sent}" and matches with Prefix "${sent}" (as GitHub sends it): set Prefix to ${sent}`;
	}
	return base;
}

/** Checks one item's signature with the chosen scheme. */
export async function verifyItem(
	ctx: IExecuteFunctions,
	item: INodeExecutionData,
	itemIndex: number,
	settings: VerifySettings,
): Promise<Verdict> {
	const headers = itemHeaders(item);
	const raw = await rawBody(ctx, item, itemIndex, settings.binaryPropertyName);
	if (!raw) {
		return {
			valid: false,
			reason: 'missing_body',
			message: `No binary property "${settings.binaryPropertyName}" and no json.body on the item`,
		};
	}

	if (settings.scheme === 'hmac') {
		const { headerName, algorithm, encoding, prefix } = settings.hmac;
		const signature = headerValue(headers, headerName);
		if (signature === undefined || signature.trim() === '') {
			return { valid: false, reason: 'missing_header', message: `missing header ${headerName}` };
		}
		const check = (withPrefix: string) =>
			verifyHmac({ algorithm, encoding, secret: settings.secret, body: raw.body, prefix: withPrefix || undefined, signature });
		if (check(prefix)) return { valid: true };
		return { valid: false, reason: 'bad_signature', message: mismatchMessage(headerName, algorithm, prefix, signature, check) };
	}

	return verifySignature(settings.scheme, {
		headers,
		body: raw.body,
		secret: settings.secret,
		toleranceSeconds: settings.toleranceSeconds,
	});
}

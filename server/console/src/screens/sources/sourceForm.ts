/**
 * The ingest-source form: which fields each vendor has (its credential: a signature secret,
 * Basic/Bearer auth, only the URL token, or any of them for generic senders), the checks an
 * admin should see while typing, and its conversion to API bodies. The server checks everything
 * again (docs/vendors.md); its answers are shown on the same fields.
 */
import { VENDOR_CREDENTIALS } from '../../../../../core/vendors/types';
import type { HmacAlgorithm, HmacEncoding, SourceInput, SourcePatch, SourceView, VendorCredential, VendorName } from '../../types';

export interface VendorInfo {
	label: string;
	/** What the admin reads on the vendor's card. */
	description: string;
	/** What its secret looks like (vendors that sign). */
	secretHint?: string;
}

export const VENDORS: Record<VendorName, VendorInfo> = {
	mender: {
		label: 'Mender',
		description: 'Signs each webhook (X-Men-Signature, HMAC-SHA256 keyed with a hex secret).',
		secretHint: 'Hex, as Mender requires: an even number of 0-9 and a-f, at most 64. Blank generates 32 random bytes.',
	},
	scalefusion: {
		label: 'Scalefusion',
		description: "Signs each webhook (X-SF-Signature) with the Secret Key you paste into Scalefusion.",
		secretHint: 'Any text of 8 to 256 characters. Blank generates one (whsec_…).',
	},
	kobiton: {
		label: 'Kobiton',
		description: 'Cannot sign or authenticate its callbacks: the token in the URL is the only credential.',
	},
	hexnode: {
		label: 'Hexnode',
		description: "A Custom Webhook with Basic or Bearer auth (a Bearer token is generated unless you give one).",
	},
	nexthink: {
		label: 'Nexthink',
		description: 'An outbound connector with Basic or Bearer auth, and a payload template to paste.',
	},
	generic: {
		label: 'Generic',
		description: 'Any JSON sender: your JSONata mapping, an optional HMAC header and/or Basic or Bearer auth.',
		secretHint: 'The HMAC key, 8 to 256 characters. Blank generates one (whsec_…).',
	},
};

export const credentialOf = (vendor: VendorName): VendorCredential => VENDOR_CREDENTIALS[vendor];

/** Whether a source of this vendor (with this form) checks a secret: the vendors that sign, and generic with HMAC. */
export function usesSecret(form: Pick<SourceForm, 'vendor' | 'hmacOn'>): boolean {
	return credentialOf(form.vendor) === 'signature' || (form.vendor === 'generic' && form.hmacOn);
}

/** Whether the form offers Basic/Bearer auth for this vendor. */
export const usesAuth = (vendor: VendorName): boolean => credentialOf(vendor) === 'auth' || vendor === 'generic';

export const HMAC_ALGORITHM_OPTIONS: readonly HmacAlgorithm[] = ['sha256', 'sha1', 'sha512'];
export const HMAC_ENCODING_OPTIONS: readonly HmacEncoding[] = ['hex', 'base64'];

export interface SourceForm {
	name: string;
	description: string;
	vendor: VendorName;
	enabled: boolean;
	/** New: blank generates one. Saved: blank keeps the stored one. */
	secret: string;
	authType: 'none' | 'basic' | 'bearer';
	username: string;
	password: string;
	/** New hexnode/nexthink source: blank generates one. */
	token: string;
	hmacOn: boolean;
	hmacHeader: string;
	hmacAlgorithm: HmacAlgorithm;
	hmacEncoding: HmacEncoding;
	hmacPrefix: string;
	/** Blank: the vendor's built-in mapping (generic needs one). */
	mapping: string;
}

export function emptyForm(vendor: VendorName = 'mender'): SourceForm {
	return {
		name: '',
		description: '',
		vendor,
		enabled: true,
		secret: '',
		authType: credentialOf(vendor) === 'auth' ? 'bearer' : 'none',
		username: '',
		password: '',
		token: '',
		hmacOn: false,
		hmacHeader: 'X-Signature',
		hmacAlgorithm: 'sha256',
		hmacEncoding: 'hex',
		hmacPrefix: '',
		mapping: '',
	};
}

/** A new form's vendor change: that vendor's kind of auth, the rest kept. */
export function withVendor(form: SourceForm, vendor: VendorName): SourceForm {
	return { ...form, vendor, authType: credentialOf(vendor) === 'auth' ? (form.authType === 'none' ? 'bearer' : form.authType) : 'none' };
}

export function formFromSource(source: SourceView): SourceForm {
	return {
		...emptyForm(source.vendor),
		name: source.name,
		description: source.description,
		enabled: source.enabled,
		authType: source.auth.type,
		username: source.auth.type === 'basic' ? source.auth.username : '',
		password: source.auth.type === 'basic' ? source.auth.password : '',
		token: source.auth.type === 'bearer' ? source.auth.token : '',
		...(source.hmac
			? { hmacOn: true, hmacHeader: source.hmac.header, hmacAlgorithm: source.hmac.algorithm, hmacEncoding: source.hmac.encoding, hmacPrefix: source.hmac.prefix }
			: {}),
		mapping: source.mapping ?? '',
	};
}

const TOKEN_CHARS = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** The problems to show while the admin types, by the API's field path. `saved`: editing a stored source. */
export function liveErrors(form: SourceForm, saved: boolean): Record<string, string> {
	const errors: Record<string, string> = {};
	if (form.name.trim() === '') errors['/name'] = 'Name is required.';
	else if (form.name.length > 50) errors['/name'] = 'Name is at most 50 characters.';
	if (form.description.length > 512) errors['/description'] = 'Description is at most 512 characters.';

	if (usesSecret(form) && form.secret !== '') {
		if (form.vendor === 'mender') {
			if (!/^(?:[0-9a-fA-F]{2})+$/.test(form.secret)) errors['/secret'] = 'A Mender secret is hex: an even number of the characters 0-9 and a-f.';
			else if (form.secret.length > 64) errors['/secret'] = 'A Mender secret has at most 64 hex characters.';
		} else if (form.secret.length < 8 || form.secret.length > 256) {
			errors['/secret'] = 'The secret is 8 to 256 characters.';
		}
	}

	if (usesAuth(form.vendor)) {
		if (form.authType === 'basic') {
			if (form.username === '') errors['/auth/username'] = 'Username is required for Basic authentication.';
			else if (form.username.includes(':')) errors['/auth/username'] = 'A Basic username cannot contain a colon.';
			if (form.password === '') errors['/auth/password'] = 'Password is required for Basic authentication.';
		}
		// Hexnode and Nexthink get a generated token when none is given; a generic sender's must be given.
		if (form.authType === 'bearer' && form.token === '' && (saved || form.vendor === 'generic')) {
			errors['/auth/token'] = 'Token is required for Bearer authentication.';
		}
	}

	if (form.vendor === 'generic' && form.hmacOn) {
		if (form.hmacHeader.trim() === '') errors['/hmac/header'] = 'The signature header is required.';
		else if (!TOKEN_CHARS.test(form.hmacHeader.trim())) errors['/hmac/header'] = 'Not a valid header name.';
	}
	if (form.vendor === 'generic' && form.mapping.trim() === '') {
		errors['/mapping'] = 'A generic source needs a JSONata mapping to {type, id?, timestamp?, data}.';
	}
	return errors;
}

function authBody(form: SourceForm): SourceInput['auth'] {
	if (!usesAuth(form.vendor)) return undefined;
	if (form.authType === 'basic') return { type: 'basic', username: form.username, password: form.password };
	if (form.authType === 'bearer') return form.token === '' ? undefined : { type: 'bearer', token: form.token };
	return { type: 'none' };
}

function hmacBody(form: SourceForm): SourceInput['hmac'] {
	if (form.vendor !== 'generic' || !form.hmacOn) return undefined;
	return { header: form.hmacHeader.trim(), algorithm: form.hmacAlgorithm, encoding: form.hmacEncoding, prefix: form.hmacPrefix };
}

export function createBody(form: SourceForm): SourceInput {
	const auth = authBody(form);
	const hmac = hmacBody(form);
	return {
		name: form.name.trim(),
		description: form.description,
		vendor: form.vendor,
		enabled: form.enabled,
		...(usesSecret(form) && form.secret !== '' ? { secret: form.secret } : {}),
		...(auth ? { auth } : {}),
		...(hmac ? { hmac } : {}),
		...(form.mapping.trim() !== '' ? { mapping: form.mapping } : {}),
	};
}

/**
 * Only what changed. Masked credentials (`********`) the admin left alone go back as they came:
 * the dispatcher then keeps the stored values; a blank secret keeps the stored one.
 */
export function patchBody(form: SourceForm, original: SourceForm): SourcePatch {
	const out: SourcePatch = {};
	const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
	if (form.name.trim() !== original.name.trim()) out.name = form.name.trim();
	if (form.description !== original.description) out.description = form.description;
	if (form.enabled !== original.enabled) out.enabled = form.enabled;
	if (form.secret !== '') out.secret = form.secret;
	const auth = authBody(form);
	if (auth && !same(auth, authBody(original))) out.auth = auth;
	const hmac = hmacBody(form);
	if (hmac && !same(hmac, hmacBody(original))) out.hmac = hmac;
	if (form.mapping.trim() !== original.mapping.trim()) out.mapping = form.mapping.trim() === '' ? null : form.mapping;
	return out;
}

/** What a create (or rotate) answer showed in full, kept for the one screen that shows it. */
export interface Revealed {
	ingestUrl: string;
	secret?: string;
	/** The Basic/Bearer credentials the sender must present (create only). */
	auth?: SourceView['auth'];
	/** true: after a rotation (the previous URL and secret keep working for 24 h). */
	rotated: boolean;
}

export function revealedOf(view: SourceView, rotated: boolean): Revealed {
	return {
		ingestUrl: view.ingestUrl,
		...(view.secret ? { secret: view.secret } : {}),
		...(!rotated && view.auth.type !== 'none' ? { auth: view.auth } : {}),
		rotated,
	};
}

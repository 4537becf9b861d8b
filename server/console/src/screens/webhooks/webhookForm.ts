/**
 * The webhook form's state, its live checks (the rules an admin should see while typing: https,
 * a 0–60 s timeout, required fields) and its conversion to API bodies. The server checks
 * everything again; its answers are shown on the same fields.
 */
import type { SigningSchemeName, TemplateName, WebhookCreateBody, WebhookView } from '../../types';

export interface HeaderRow {
	name: string;
	value: string;
	/** Masked in answers and logs (the default); false lists it in `nonSecretHeaders`. */
	secret: boolean;
}

export interface WebhookForm {
	name: string;
	description: string;
	template: TemplateName;
	url: string;
	method: WebhookCreateBody['method'];
	timeoutSeconds: string;
	enabled: boolean;
	authType: 'none' | 'basic' | 'bearer';
	username: string;
	password: string;
	token: string;
	signingScheme: SigningSchemeName;
	/** A secret of the admin's own; blank = the dispatcher generates one. */
	signingSecret: string;
	headers: HeaderRow[];
	events: string[];
	/** Blank = no limit. */
	rateLimit: string;
}

export interface TemplateInfo {
	label: string;
	description: string;
	placeholder: string;
	rateLimit: string;
	signingScheme: SigningSchemeName;
}

/** What choosing a template fills in (the dispatcher's own defaults for rate limits). */
export const TEMPLATES: Record<TemplateName, TemplateInfo> = {
	slack: {
		label: 'Slack',
		description: 'Block Kit message to an incoming-webhook URL. 1 message/s, as Slack allows.',
		placeholder: 'https://hooks.slack.com/services/T000/B000/XXXX',
		rateLimit: '1',
		signingScheme: 'none',
	},
	teams: {
		label: 'Microsoft Teams',
		description: 'An Adaptive Card for a Teams Workflows webhook. 4 messages/s.',
		placeholder: 'https://prod-00.westus.logic.azure.com/workflows/…',
		rateLimit: '4',
		signingScheme: 'none',
	},
	custom: {
		label: 'Custom',
		description: 'The canonical event envelope, signed, to your own HTTPS endpoint. No rate limit.',
		placeholder: 'https://mdm-hooks.example.com/events',
		rateLimit: '',
		signingScheme: 'standard',
	},
};

export const SIGNING_SCHEMES: { value: SigningSchemeName; label: string; hint: string }[] = [
	{ value: 'standard', label: 'Standard Webhooks', hint: 'webhook-signature: v1,<base64 HMAC-SHA256>; secret whsec_…' },
	{
		value: 'standard-ed25519',
		label: 'Standard Webhooks Ed25519',
		hint: 'webhook-signature: v1a,<base64 ed25519>; the receiver verifies with the public key whpk_…',
	},
	{ value: 'scalefusion', label: 'Scalefusion', hint: 'X-SF-Signature: hex HMAC-SHA256 of the body' },
	{ value: 'mender', label: 'Mender', hint: 'X-Men-Signature with a hex secret, as Mender signs' },
	{ value: 'none', label: 'None', hint: 'No signature headers' },
];

export const MAX_TIMEOUT_SECONDS = 60;

export function emptyForm(template: TemplateName = 'slack'): WebhookForm {
	return {
		name: '',
		description: '',
		template,
		url: '',
		method: 'POST',
		timeoutSeconds: '30',
		enabled: true,
		authType: 'none',
		username: '',
		password: '',
		token: '',
		signingScheme: TEMPLATES[template].signingScheme,
		signingSecret: '',
		headers: [],
		events: [],
		rateLimit: TEMPLATES[template].rateLimit,
	};
}

/** A new form's template change: the template's defaults replace the previous template's. */
export function withTemplate(form: WebhookForm, template: TemplateName): WebhookForm {
	const before = TEMPLATES[form.template];
	const after = TEMPLATES[template];
	return {
		...form,
		template,
		rateLimit: form.rateLimit === before.rateLimit ? after.rateLimit : form.rateLimit,
		signingScheme: form.signingScheme === before.signingScheme ? after.signingScheme : form.signingScheme,
	};
}

export function formFromWebhook(webhook: WebhookView): WebhookForm {
	return {
		name: webhook.name,
		description: webhook.description,
		template: webhook.template,
		url: webhook.url,
		method: webhook.method,
		timeoutSeconds: String(webhook.timeoutSeconds),
		enabled: webhook.enabled,
		authType: webhook.auth.type,
		username: webhook.auth.type === 'basic' ? webhook.auth.username : '',
		password: webhook.auth.type === 'basic' ? webhook.auth.password : '',
		token: webhook.auth.type === 'bearer' ? webhook.auth.token : '',
		signingScheme: webhook.signing.scheme,
		signingSecret: '',
		headers: Object.entries(webhook.headers).map(([name, value]) => ({
			name,
			value,
			secret: !webhook.nonSecretHeaders.some((other) => other.toLowerCase() === name.toLowerCase()),
		})),
		events: [...webhook.events],
		rateLimit: webhook.rateLimitPerSecond === null ? '' : String(webhook.rateLimitPerSecond),
	};
}

/** The problems to show while the admin types, by the API's field path. */
export function liveErrors(form: WebhookForm, allowHttp: boolean): Record<string, string> {
	const errors: Record<string, string> = {};
	const name = form.name.trim();
	if (name === '') errors['/name'] = 'Name is required.';
	else if (form.name.length > 50) errors['/name'] = 'Name is at most 50 characters.';
	if (form.description.length > 512) errors['/description'] = 'Description is at most 512 characters.';

	const url = form.url.trim();
	if (url === '') errors['/url'] = 'URL is required.';
	else if (url.length > 512) errors['/url'] = 'URL is at most 512 characters.';
	else {
		let parsed: URL | null = null;
		try {
			parsed = new URL(url);
		} catch {
			errors['/url'] = 'Not a valid URL.';
		}
		if (parsed && parsed.protocol !== 'https:' && !(allowHttp && parsed.protocol === 'http:')) {
			errors['/url'] =
				parsed.protocol === 'http:'
					? 'URL must use https:// (http:// is accepted only when the dispatcher runs with DISPATCHER_ALLOW_HTTP=true).'
					: 'URL must use https://.';
		}
	}

	const timeout = form.timeoutSeconds.trim();
	if (!/^\d+$/.test(timeout) || Number(timeout) > MAX_TIMEOUT_SECONDS) {
		errors['/timeoutSeconds'] = `Timeout is a whole number of seconds from 0 to ${MAX_TIMEOUT_SECONDS}.`;
	}

	const rate = form.rateLimit.trim();
	if (rate !== '' && !(Number(rate) >= 0.01 && Number(rate) <= 1000)) {
		errors['/rateLimitPerSecond'] = 'Rate limit is a number from 0.01 to 1000 per second, or blank for none.';
	}

	if (form.authType === 'basic') {
		if (form.username === '') errors['/auth/username'] = 'Username is required for Basic authentication.';
		if (form.password === '') errors['/auth/password'] = 'Password is required for Basic authentication.';
	}
	if (form.authType === 'bearer' && form.token === '') errors['/auth/token'] = 'Token is required for Bearer authentication.';

	const seen = new Set<string>();
	form.headers.forEach((row, index) => {
		const key = row.name.trim().toLowerCase();
		if (key === '') errors[`/headers/${index}`] = 'Header name is required.';
		else if (seen.has(key)) errors[`/headers/${index}`] = `Header ${row.name} is given twice.`;
		seen.add(key);
	});
	return errors;
}

function authBody(form: WebhookForm): WebhookCreateBody['auth'] {
	if (form.authType === 'basic') return { type: 'basic', username: form.username, password: form.password };
	if (form.authType === 'bearer') return { type: 'bearer', token: form.token };
	return { type: 'none' };
}

function headersBody(form: WebhookForm): Record<string, string> {
	return Object.fromEntries(form.headers.map((row) => [row.name.trim(), row.value]));
}

function rateBody(form: WebhookForm): number | null {
	return form.rateLimit.trim() === '' ? null : Number(form.rateLimit);
}

export function createBody(form: WebhookForm): WebhookCreateBody {
	return {
		name: form.name.trim(),
		description: form.description,
		template: form.template,
		url: form.url.trim(),
		method: form.method,
		timeoutSeconds: Number(form.timeoutSeconds),
		enabled: form.enabled,
		auth: authBody(form),
		signing: {
			scheme: form.signingScheme,
			...(form.signingScheme !== 'none' && form.signingSecret !== '' ? { secret: form.signingSecret } : {}),
		},
		headers: headersBody(form),
		nonSecretHeaders: form.headers.filter((row) => !row.secret && row.name.trim() !== '').map((row) => row.name.trim()),
		events: form.events,
		rateLimitPerSecond: rateBody(form),
	};
}

/**
 * Only what changed. Masked credentials (`********`) that the admin left alone go back as they
 * came: the dispatcher then keeps the stored values.
 */
export function patchBody(form: WebhookForm, original: WebhookForm): Partial<WebhookCreateBody> {
	const next = createBody(form);
	const before = createBody(original);
	const out: Partial<WebhookCreateBody> = {};
	const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
	for (const key of Object.keys(next) as (keyof WebhookCreateBody)[]) {
		if (key === 'signing') continue;
		if (!same(next[key], before[key])) Object.assign(out, { [key]: next[key] });
	}
	if (form.signingScheme !== original.signingScheme || form.signingSecret !== '') out.signing = next.signing;
	return out;
}

/**
 * Webhook configurations: the field rules JSON Schema cannot express (destination guard, known
 * event types, header rules, secret format; the name's uniqueness is the store's rule), secrets
 * generated and rotated, validate & save, and the masked view every answer shows. Updates write
 * only the fields a PATCH names, so they cannot undo what the worker recorded meanwhile.
 */
import {
	MASK,
	checkCustomHeaders,
	generateSecretFor,
	isValidEventPattern,
	maskAuth,
	maskHeaders,
	maskSecret,
	maskUrlCredentials,
	newId,
	sampleEnvelope,
	signingSecretProblem,
	verificationKeyFor,
} from '../../core';
import { headerMasking } from '../delivery/redact';
import type { DestinationAuth, FieldError, TemplateName } from '../../core/types';
import { type AddressGuard, DestinationRefusedError } from '../delivery/addressGuard';
import { type DeliveryObserver, SILENT_OBSERVER } from '../delivery/deliveryObserver';
import type { HttpSender } from '../delivery/httpClient';
import { type TestSendResult, sendOnce } from '../delivery/testSender';
import { ConflictError, InUseError, InvalidError, NotFoundError, TestSendFailedError } from '../domain/errors';
import type { WebhookInput, WebhookPatch } from '../domain/inputs';
import type { WebhookRecord } from '../domain/records';
import type { ConfigStore, WebhookChanges } from '../store/ports/configStore';

/** How long a rotated-out secret keeps signing beside the new one. */
export const ROTATION_OVERLAP_MS = 24 * 60 * 60 * 1000;

const DEFAULT_RATE_LIMIT: Record<TemplateName, number | null> = { slack: 1, teams: 4, custom: null };

export type WebhookView = Omit<WebhookRecord, 'signing' | 'nonSecretHeaders'> & {
	nonSecretHeaders: string[];
	signing: {
		scheme: WebhookRecord['signing']['scheme'];
		secret?: string;
		/** `standard-ed25519`: the `whpk_` key receivers verify with (not a secret), and the previous one while it signs. */
		publicKey?: string;
		previousPublicKey?: string;
		previousSecretExpiresAt?: string;
	};
};

export class WebhookService {
	constructor(
		private readonly config: ConfigStore,
		private readonly guard: AddressGuard,
		private readonly client: HttpSender,
		/** Told when an admin pauses a webhook (`webhook.disabled`, reason manual). */
		private readonly observer: Pick<DeliveryObserver, 'webhookDisabled'> = SILENT_OBSERVER,
	) {}

	list(): Promise<WebhookRecord[]> {
		return this.config.listWebhooks();
	}

	async get(id: string): Promise<WebhookRecord> {
		const webhook = await this.config.getWebhook(id);
		if (!webhook) throw new NotFoundError('webhook', id);
		return webhook;
	}

	/**
	 * Builds a record from a create body and checks every rule; nothing is stored. A config that
	 * is only tested (`POST /v1/webhooks/test`) may share its name: it is often an edit of a saved
	 * webhook.
	 */
	async prepare(body: WebhookInput): Promise<WebhookRecord> {
		const now = new Date().toISOString();
		const scheme = body.signing.scheme;
		const record: WebhookRecord = {
			id: newId('wh'),
			name: body.name,
			description: body.description,
			template: body.template,
			url: body.url,
			method: body.method,
			timeoutSeconds: body.timeoutSeconds,
			enabled: body.enabled,
			disabledReason: body.enabled ? null : 'manual',
			auth: body.auth,
			signing: { scheme, secret: scheme === 'none' ? '' : (body.signing.secret ?? generateSecretFor(scheme)) },
			headers: body.headers,
			nonSecretHeaders: body.nonSecretHeaders,
			events: body.events,
			rateLimitPerSecond: body.rateLimitPerSecond === undefined ? DEFAULT_RATE_LIMIT[body.template] : body.rateLimitPerSecond,
			failingSince: null,
			createdAt: now,
			updatedAt: now,
		};
		await this.check(record);
		return record;
	}

	/**
	 * Creates a webhook. With `test`, a `webhook.test` payload must get a 2xx first, or nothing is
	 * stored ("validate & save").
	 */
	async create(body: WebhookInput, options: { test?: boolean } = {}): Promise<WebhookRecord> {
		const record = await this.prepare(body);
		if (options.test) {
			// The store decides uniqueness when saving; asking first spares the destination a test
			// request for a config that would be refused anyway.
			const taken = (await this.config.listWebhooks()).find((w) => w.name.trim().toLowerCase() === record.name.trim().toLowerCase());
			if (taken) throw new ConflictError('/name', `name is already used by webhook ${taken.id}`);
			const test = await this.testSend(record);
			if (!test.ok) throw new TestSendFailedError(test);
		}
		await this.config.createWebhook(record);
		return record;
	}

	/** One `webhook.test` (or the sample of `type`) sent to a webhook or an unsaved config; not logged. */
	testSend(webhook: WebhookRecord, type = 'webhook.test'): Promise<TestSendResult> {
		return sendOnce(this.client, webhook, sampleEnvelope(type));
	}

	async update(id: string, patch: WebhookPatch): Promise<WebhookRecord> {
		const current = await this.get(id);
		const changes: WebhookChanges = {
			...withoutUndefined({
				name: patch.name,
				description: patch.description,
				template: patch.template,
				url: patch.url,
				method: patch.method,
				timeoutSeconds: patch.timeoutSeconds,
				events: patch.events,
				rateLimitPerSecond: patch.rateLimitPerSecond,
			}),
			updatedAt: new Date().toISOString(),
		};
		if (patch.auth) changes.auth = keepMaskedAuth(patch.auth, current.auth);
		if (patch.headers) changes.headers = keepMaskedHeaders(patch.headers, current.headers);
		if (patch.nonSecretHeaders) changes.nonSecretHeaders = patch.nonSecretHeaders;
		else if (patch.headers) {
			// Headers removed by this change leave the list with them.
			const names = new Set(Object.keys(changes.headers ?? current.headers).map((name) => name.toLowerCase()));
			changes.nonSecretHeaders = (current.nonSecretHeaders ?? []).filter((name) => names.has(name.toLowerCase()));
		}
		if (patch.signing) {
			const scheme = patch.signing.scheme;
			const secret = patch.signing.secret;
			const given = secret && !secret.includes(MASK) ? secret : undefined;
			changes.signing =
				scheme === 'none'
					? { scheme, secret: '' }
					: scheme !== current.signing.scheme
						? // Another scheme: no rotation overlap. A shared secret that does not fit is refused
							// below (the admin must choose one the receiver knows); an ed25519 key pair is
							// generated, since the receiver needs only the public key, which the answer shows.
							{
								scheme,
								secret:
									given ??
									(scheme === 'standard-ed25519' && signingSecretProblem(scheme, current.signing.secret) !== undefined
										? generateSecretFor(scheme)
										: current.signing.secret || generateSecretFor(scheme)),
							}
						: { ...current.signing, scheme, secret: given ?? (current.signing.secret || generateSecretFor(scheme)) };
		}
		if (patch.enabled !== undefined) {
			changes.enabled = patch.enabled;
			changes.disabledReason = patch.enabled ? null : 'manual';
			if (patch.enabled) changes.failingSince = null;
		}
		// Checked as it would be stored; only `changes` are written (the store merges them into
		// the record as it is then, which may have been disabled meanwhile).
		await this.check({ ...current, ...changes }, current, patch.nonSecretHeaders !== undefined);
		const updated = await this.config.updateWebhook(id, changes);
		if (current.enabled && !updated.enabled) this.observer.webhookDisabled(updated, 'manual');
		return updated;
	}

	async delete(id: string): Promise<void> {
		await this.get(id);
		const linking = (await this.config.listProfiles()).filter((profile) => profile.webhookIds.includes(id));
		if (linking.length > 0) throw new InUseError(linking.map((profile) => ({ id: profile.id, name: profile.name })));
		await this.config.deleteWebhook(id);
	}

	async rotateSecret(id: string, secret?: string): Promise<WebhookRecord> {
		const current = await this.get(id);
		if (current.signing.scheme === 'none') {
			throw new InvalidError([{ path: '/signing/scheme', message: 'webhook has no signing scheme to rotate' }]);
		}
		const changes: WebhookChanges = {
			signing: {
				scheme: current.signing.scheme,
				secret: secret ?? generateSecretFor(current.signing.scheme),
				previousSecret: current.signing.secret,
				previousSecretExpiresAt: new Date(Date.now() + ROTATION_OVERLAP_MS).toISOString(),
			},
			updatedAt: new Date().toISOString(),
		};
		await this.check({ ...current, ...changes }, current);
		return this.config.updateWebhook(id, changes);
	}

	/**
	 * Every answer: credentials masked, and every custom header value unless the header is listed
	 * in `nonSecretHeaders`; the signing secret only in the answers of create and rotate.
	 */
	view(webhook: WebhookRecord, revealSecret = false): WebhookView {
		const { signing, ...rest } = webhook;
		return {
			...rest,
			url: maskUrlCredentials(webhook.url),
			auth: maskAuth(webhook.auth),
			headers: maskHeaders(webhook.headers, headerMasking(webhook)),
			nonSecretHeaders: webhook.nonSecretHeaders ?? [],
			signing: {
				scheme: signing.scheme,
				...(signing.scheme === 'none' ? {} : { secret: revealSecret ? signing.secret : maskSecret(signing.secret) }),
				...withoutUndefined({ publicKey: verificationKeyFor(signing.scheme, signing.secret) }),
				...(signing.previousSecretExpiresAt && Date.parse(signing.previousSecretExpiresAt) > Date.now()
					? withoutUndefined({
							previousPublicKey: verificationKeyFor(signing.scheme, signing.previousSecret ?? ''),
							previousSecretExpiresAt: signing.previousSecretExpiresAt,
						})
					: {}),
			},
		};
	}

	private async check(record: WebhookRecord, current?: WebhookRecord, checkNonSecretNames = true): Promise<void> {
		const errors: FieldError[] = [];
		record.events.forEach((pattern, index) => {
			if (!isValidEventPattern(pattern)) errors.push({ path: `/events/${index}`, message: `unknown event type "${pattern}"` });
		});
		errors.push(...checkCustomHeaders(record.headers));
		if (checkNonSecretNames) errors.push(...checkNonSecretHeaders(record));
		const { scheme, secret } = record.signing;
		const secretProblem = signingSecretProblem(scheme, secret);
		if (secretProblem) errors.push({ path: '/signing/secret', message: secretProblem });
		// A webhook stored before URL credentials were refused can still be edited otherwise.
		const urlChanged = !current || current.url !== record.url;
		const urlProblem = (urlChanged ? credentialsInUrl(record.url) : null) ?? this.guard.checkUrlSyntax(record.url);
		if (urlProblem) errors.push({ path: '/url', message: urlProblem });
		else if (urlChanged) {
			try {
				await this.guard.checkUrl(record.url);
			} catch (error) {
				if (!(error instanceof DestinationRefusedError)) throw error;
				errors.push({ path: '/url', message: error.message });
			}
		}
		if (errors.length > 0) throw new InvalidError(errors);
	}
}

/** `https://user:pass@host/` would show the password in every answer and log, and undici does not send it. */
function credentialsInUrl(url: string): string | null {
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		return null; // the guard names the syntax error
	}
	if (parsed.username === '' && parsed.password === '') return null;
	return 'must not contain credentials (user:password@); set them in /auth as {"type":"basic","username","password"}';
}

/** Each name must be one of the webhook's custom headers; `authorization` always stays masked. */
function checkNonSecretHeaders(record: WebhookRecord): FieldError[] {
	const names = new Set(Object.keys(record.headers).map((name) => name.toLowerCase()));
	const errors: FieldError[] = [];
	(record.nonSecretHeaders ?? []).forEach((name, index) => {
		const lower = name.toLowerCase();
		if (lower === 'authorization' || lower === 'proxy-authorization') {
			errors.push({ path: `/nonSecretHeaders/${index}`, message: `"${lower}" is always masked` });
		} else if (!names.has(lower)) {
			errors.push({ path: `/nonSecretHeaders/${index}`, message: `"${name}" is not one of this webhook's custom headers` });
		}
	});
	return errors;
}

function withoutUndefined<T extends Record<string, unknown>>(value: T): Partial<T> {
	return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** A client that sends back what GET showed (masked) keeps the stored credential. */
export function keepMaskedAuth(next: DestinationAuth, current: DestinationAuth): DestinationAuth {
	if (next.type === 'basic' && next.password === MASK && current.type === 'basic') {
		return { ...next, password: current.password };
	}
	if (next.type === 'bearer' && next.token === MASK && current.type === 'bearer') {
		return { ...next, token: current.token };
	}
	return next;
}

function keepMaskedHeaders(next: Record<string, string>, current: Record<string, string>): Record<string, string> {
	const out: Record<string, string> = {};
	for (const [name, value] of Object.entries(next)) {
		out[name] = value.includes(MASK) && current[name] !== undefined ? current[name] : value;
	}
	return out;
}

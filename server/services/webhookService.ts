/**
 * Webhook configurations: the field rules JSON Schema cannot express (unique name, destination
 * guard, known event types, header rules, secret format), secrets generated and rotated, and the
 * masked view every answer shows.
 */
import {
	MASK,
	checkCustomHeaders,
	generateSecretFor,
	isValidEventPattern,
	maskAuth,
	maskHeaders,
	maskSecret,
	newId,
	signingSecretProblem,
} from '../../core';
import type { DestinationAuth, FieldError, TemplateName } from '../../core/types';
import type { WebhookCreateBody, WebhookUpdateBody } from '../api/schemas/webhook';
import { type AddressGuard, DestinationRefusedError } from '../delivery/addressGuard';
import type { DeliveryWorker } from '../delivery/worker';
import { ApiError, notFound, validationFailed } from '../http/errors';
import type { Store, WebhookRecord } from '../store/types';

/** How long a rotated-out secret keeps signing beside the new one. */
export const ROTATION_OVERLAP_MS = 24 * 60 * 60 * 1000;

const DEFAULT_RATE_LIMIT: Record<TemplateName, number | null> = { slack: 1, teams: 4, custom: null };

export type WebhookView = Omit<WebhookRecord, 'signing' | 'failingSince'> & {
	signing: { scheme: WebhookRecord['signing']['scheme']; secret?: string; previousSecretExpiresAt?: string };
};

export class WebhookService {
	constructor(
		private readonly store: Store,
		private readonly guard: AddressGuard,
		private readonly worker: DeliveryWorker,
	) {}

	get(id: string): WebhookRecord {
		const webhook = this.store.getWebhook(id);
		if (!webhook) throw notFound('webhook', id);
		return webhook;
	}

	/**
	 * Builds a record from a create body and checks every rule; nothing is stored. A config that
	 * is only tested (`POST /v1/webhooks/test`) may share its name: it is often an edit of a saved
	 * webhook.
	 */
	async prepare(body: WebhookCreateBody, purpose: 'save' | 'test' = 'save'): Promise<WebhookRecord> {
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
			events: body.events,
			rateLimitPerSecond: body.rateLimitPerSecond === undefined ? DEFAULT_RATE_LIMIT[body.template] : body.rateLimitPerSecond,
			failingSince: null,
			createdAt: now,
			updatedAt: now,
		};
		await this.check(record, undefined, purpose === 'save');
		return record;
	}

	async create(record: WebhookRecord): Promise<WebhookRecord> {
		await this.store.putWebhook(record);
		return record;
	}

	async update(id: string, patch: WebhookUpdateBody): Promise<WebhookRecord> {
		const current = this.get(id);
		const next: WebhookRecord = {
			...current,
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
		if (patch.auth) next.auth = keepMaskedAuth(patch.auth, current.auth);
		if (patch.headers) next.headers = keepMaskedHeaders(patch.headers, current.headers);
		if (patch.signing) {
			const scheme = patch.signing.scheme;
			const secret = patch.signing.secret;
			next.signing =
				scheme === 'none'
					? { scheme, secret: '' }
					: {
							...current.signing,
							scheme,
							secret: secret && !secret.includes(MASK) ? secret : current.signing.secret || generateSecretFor(scheme),
						};
		}
		if (patch.enabled !== undefined) {
			next.enabled = patch.enabled;
			next.disabledReason = patch.enabled ? null : 'manual';
			if (patch.enabled) next.failingSince = null;
		}
		await this.check(next, current);
		await this.store.putWebhook(next);
		this.worker.webhookChanged(id);
		return next;
	}

	async delete(id: string): Promise<void> {
		this.get(id);
		const linking = this.store.listProfiles().filter((profile) => profile.webhookIds.includes(id));
		if (linking.length > 0) {
			throw new ApiError(409, 'webhook_in_use', 'alert profiles link this webhook; unlink them first', [], {
				profiles: linking.map((profile) => ({ id: profile.id, name: profile.name })),
			});
		}
		await this.store.deleteWebhook(id);
		this.worker.webhookChanged(id);
	}

	async rotateSecret(id: string, secret?: string): Promise<WebhookRecord> {
		const current = this.get(id);
		if (current.signing.scheme === 'none') {
			throw validationFailed([{ path: '/signing/scheme', message: 'webhook has no signing scheme to rotate' }]);
		}
		const next: WebhookRecord = {
			...current,
			signing: {
				scheme: current.signing.scheme,
				secret: secret ?? generateSecretFor(current.signing.scheme),
				previousSecret: current.signing.secret,
				previousSecretExpiresAt: new Date(Date.now() + ROTATION_OVERLAP_MS).toISOString(),
			},
			updatedAt: new Date().toISOString(),
		};
		await this.check(next, current);
		await this.store.putWebhook(next);
		return next;
	}

	/** Every answer but create and rotate: secrets masked. */
	view(webhook: WebhookRecord, revealSecret = false): WebhookView {
		const { signing, failingSince: _failingSince, ...rest } = webhook;
		return {
			...rest,
			auth: maskAuth(webhook.auth),
			headers: maskHeaders(webhook.headers),
			signing: {
				scheme: signing.scheme,
				...(signing.scheme === 'none' ? {} : { secret: revealSecret ? signing.secret : maskSecret(signing.secret) }),
				...(signing.previousSecretExpiresAt && Date.parse(signing.previousSecretExpiresAt) > Date.now()
					? { previousSecretExpiresAt: signing.previousSecretExpiresAt }
					: {}),
			},
		};
	}

	private async check(record: WebhookRecord, current?: WebhookRecord, uniqueName = true): Promise<void> {
		const errors: FieldError[] = [];
		const lowerName = record.name.trim().toLowerCase();
		const clash = this.store
			.listWebhooks()
			.find((other) => other.id !== record.id && other.name.trim().toLowerCase() === lowerName);
		if (clash && uniqueName) errors.push({ path: '/name', message: `name is already used by webhook ${clash.id}` });
		record.events.forEach((pattern, index) => {
			if (!isValidEventPattern(pattern)) errors.push({ path: `/events/${index}`, message: `unknown event type "${pattern}"` });
		});
		errors.push(...checkCustomHeaders(record.headers));
		const { scheme, secret } = record.signing;
		const secretProblem = signingSecretProblem(scheme, secret);
		if (secretProblem) errors.push({ path: '/signing/secret', message: secretProblem });
		const urlProblem = this.guard.checkUrlSyntax(record.url);
		if (urlProblem) errors.push({ path: '/url', message: urlProblem });
		else if (!current || current.url !== record.url) {
			try {
				await this.guard.checkUrl(record.url);
			} catch (error) {
				if (!(error instanceof DestinationRefusedError)) throw error;
				errors.push({ path: '/url', message: error.message });
			}
		}
		if (errors.length > 0) throw validationFailed(errors);
	}
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

/**
 * Ingest sources: the rules JSON Schema cannot express (unique name, which credential each vendor
 * uses, secret formats, JSONata that compiles), URL tokens and secrets generated and rotated, and
 * the masked view every answer shows (tokens and secrets in full only when created or rotated).
 */
import { randomBytes } from 'node:crypto';
import {
	MASK,
	checkJsonata,
	findUnsafeRegex,
	generateMenderSecret,
	generateSigningSecret,
	maskAuth,
	maskSecret,
	menderSecretProblem,
	newId,
	nexthinkTemplate,
	vendorTitle,
} from '../../core';
import type { DestinationAuth, FieldError } from '../../core/types';
import { VENDOR_CREDENTIALS, type VendorName } from '../../core/vendors/types';
import { InvalidError, NotFoundError } from '../domain/errors';
import type { SourceInput, SourcePatch } from '../domain/inputs';
import type { SourceRecord, SourceStats } from '../domain/records';
import { digestSecret } from '../domain/secretDigest';
import type { ConfigStore } from '../store/ports/configStore';
import { ROTATION_OVERLAP_MS, keepMaskedAuth } from './webhookService';

/** Where the admin pastes the ingest URL (and secret) in each product (docs/vendors.md has more). */
const SETUP: Readonly<Record<VendorName, string>> = {
	mender: 'Mender: Settings → Integrations → Webhooks: paste ingestUrl as the URL and secret (hex) as the secret.',
	scalefusion: 'Scalefusion: Integrations → Webhooks → Configure: paste ingestUrl as Webhooks URL and secret as Secret Key, Save, Activate, then subscribe events.',
	kobiton: 'Kobiton: Settings → Webhook Settings → Create Webhook: paste ingestUrl as URL and turn on the events (the token in the URL is the only credential: Kobiton cannot sign).',
	hexnode: 'Hexnode: Integrations → Webhooks → Custom Webhook: paste ingestUrl as the URL and set the Basic or Bearer auth shown here; link it from Admin → Alert Profiles.',
	nexthink: 'Nexthink: Administration → Outbound connectors → Webhooks: a connector credential with ingestUrl and the Basic or Bearer auth shown here, then paste nexthinkTemplate as the Payload.',
	generic: 'Any sender: POST JSON to ingestUrl with the configured HMAC header or Basic/Bearer auth.',
};

export function emptySourceStats(): SourceStats {
	return { received: 0, accepted: 0, duplicates: 0, rejected: 0, events: 0, lastReceivedAt: null, lastError: null };
}

/** A URL token: 32 random bytes, base64url (43 characters). */
function newToken(): string {
	return randomBytes(32).toString('base64url');
}

export interface SourceView {
	id: string;
	name: string;
	description: string;
	vendor: VendorName;
	enabled: boolean;
	/** `<origin>/ingest/<id>/<token>`; the token reads `********` except when created or rotated. */
	ingestUrl: string;
	secret?: string;
	auth: DestinationAuth;
	hmac: SourceRecord['hmac'];
	mapping: string | null;
	/** Where to paste what, in the vendor's product. */
	setup: string;
	/** nexthink: the JSON to paste into the Nexthink webhook's Payload. */
	nexthinkTemplate?: string;
	previousCredentialsExpireAt?: string;
	stats: SourceStats;
	createdAt: string;
	updatedAt: string;
}

/** What only a create or a rotate answer shows. */
export interface Revealed {
	token: string;
	showSecret: boolean;
	showAuth: boolean;
}

export class SourceService {
	constructor(private readonly store: ConfigStore) {}

	list(): Promise<SourceRecord[]> {
		return this.store.listSources();
	}

	async get(id: string): Promise<SourceRecord> {
		const source = await this.store.getSource(id);
		if (!source) throw new NotFoundError('source', id);
		return source;
	}

	async create(body: SourceInput): Promise<{ record: SourceRecord; token: string }> {
		const now = new Date().toISOString();
		const token = newToken();
		const credential = VENDOR_CREDENTIALS[body.vendor];
		let secret = body.secret ?? '';
		if (!body.secret && (credential === 'signature' || (body.vendor === 'generic' && body.hmac))) {
			secret = body.vendor === 'mender' ? generateMenderSecret() : generateSigningSecret();
		}
		const auth: DestinationAuth =
			body.auth ?? (credential === 'auth' ? { type: 'bearer', token: newToken() } : { type: 'none' });
		const record: SourceRecord = {
			id: newId('src'),
			name: body.name,
			description: body.description,
			vendor: body.vendor,
			enabled: body.enabled,
			tokenHash: digestSecret(token),
			secret,
			auth,
			hmac: body.hmac ?? null,
			mapping: body.mapping ?? null,
			stats: emptySourceStats(),
			createdAt: now,
			updatedAt: now,
		};
		this.check(record, body);
		await this.store.putSource(record);
		return { record, token };
	}

	async update(id: string, patch: SourcePatch): Promise<SourceRecord> {
		const current = await this.get(id);
		const next: SourceRecord = { ...current, updatedAt: new Date().toISOString() };
		if (patch.name !== undefined) next.name = patch.name;
		if (patch.description !== undefined) next.description = patch.description;
		if (patch.enabled !== undefined) next.enabled = patch.enabled;
		if (patch.mapping !== undefined) next.mapping = patch.mapping;
		if (patch.hmac !== undefined) next.hmac = patch.hmac;
		if (patch.secret !== undefined && !patch.secret.includes(MASK)) next.secret = patch.secret;
		if (patch.auth !== undefined) next.auth = keepMaskedAuth(patch.auth, current.auth);
		if (next.hmac && !next.secret) {
			// A secret generated here could not be shown (only create and rotate reveal secrets).
			throw new InvalidError([{ path: '/secret', message: 'give the HMAC secret together with hmac (or create the source with hmac to have one generated)' }]);
		}
		this.check(next, patch);
		// Counters may have moved while this request was checked: keep the latest.
		await this.store.putSource({ ...next, stats: (await this.get(id)).stats });
		return await this.get(id);
	}

	async delete(id: string): Promise<void> {
		await this.get(id);
		await this.store.deleteSource(id);
	}

	/** A new URL token and (where the vendor signs) a new secret; the old ones keep working for 24 h. */
	async rotate(id: string, secret?: string): Promise<{ record: SourceRecord; token: string }> {
		const current = await this.get(id);
		const token = newToken();
		const expires = new Date(Date.now() + ROTATION_OVERLAP_MS).toISOString();
		const next: SourceRecord = {
			...current,
			tokenHash: digestSecret(token),
			previousTokenHash: current.tokenHash,
			previousTokenExpiresAt: expires,
			updatedAt: new Date().toISOString(),
		};
		if (current.secret) {
			next.secret = secret ?? (current.vendor === 'mender' ? generateMenderSecret() : generateSigningSecret());
			next.previousSecret = current.secret;
			next.previousSecretExpiresAt = expires;
		} else if (secret !== undefined) {
			throw new InvalidError([{ path: '/secret', message: `${vendorTitle(current.vendor)} sources have no secret to rotate` }]);
		}
		this.check(next, { secret: next.secret || undefined });
		await this.store.putSource({ ...next, stats: (await this.get(id)).stats });
		return { record: await this.get(id), token };
	}

	/** Every answer: secrets masked unless `revealed` (create and rotate). */
	view(source: SourceRecord, origin: string, revealed?: Revealed): SourceView {
		const overlap = source.previousTokenExpiresAt && Date.parse(source.previousTokenExpiresAt) > Date.now();
		return {
			id: source.id,
			name: source.name,
			description: source.description,
			vendor: source.vendor,
			enabled: source.enabled,
			ingestUrl: `${origin}/ingest/${source.id}/${revealed ? revealed.token : MASK}`,
			...(source.secret ? { secret: revealed?.showSecret ? source.secret : maskSecret(source.secret) } : {}),
			auth: revealed?.showAuth ? source.auth : maskAuth(source.auth),
			hmac: source.hmac,
			mapping: source.mapping,
			setup: SETUP[source.vendor],
			...(source.vendor === 'nexthink' ? { nexthinkTemplate: nexthinkTemplate() } : {}),
			...(overlap ? { previousCredentialsExpireAt: source.previousTokenExpiresAt } : {}),
			stats: source.stats,
			createdAt: source.createdAt,
			updatedAt: source.updatedAt,
		};
	}

	/** The per-vendor rules; `given` is what the request set (to name only fields it sent). */
	private check(record: SourceRecord, given: Partial<SourceInput>): void {
		const errors: FieldError[] = [];
		const title = vendorTitle(record.vendor);
		const credential = VENDOR_CREDENTIALS[record.vendor];
		// The name's uniqueness is the store's rule (ConflictError on /name).

		if (record.vendor === 'mender') {
			const problem = menderSecretProblem(record.secret);
			if (problem) errors.push({ path: '/secret', message: problem });
		}
		if ((credential === 'token' || credential === 'auth') && given.secret !== undefined) {
			errors.push({ path: '/secret', message: `${title} does not sign its webhooks: there is no secret to set` });
		}
		if (record.vendor === 'generic' && given.secret !== undefined && !record.hmac) {
			errors.push({ path: '/secret', message: 'a secret is used with `hmac`: set hmac too' });
		}
		if (record.hmac && record.vendor !== 'generic') {
			errors.push({ path: '/hmac', message: `only generic sources take an hmac setting (${title} has its own scheme)` });
		}
		if (credential === 'auth' && record.auth.type === 'none') {
			errors.push({ path: '/auth', message: `${title} sends Basic or Bearer auth: choose one` });
		}
		if ((credential === 'signature' || credential === 'token') && record.auth.type !== 'none') {
			errors.push({
				path: '/auth',
				message:
					credential === 'token'
						? `${title} cannot authenticate its callbacks: the token in the URL is the credential`
						: `${title} signs its webhooks instead of sending Basic or Bearer auth`,
			});
		}
		if (record.vendor === 'generic' && !record.mapping) {
			errors.push({ path: '/mapping', message: 'a generic source needs a JSONata mapping to {type, id?, timestamp?, data}' });
		}
		if (record.mapping) {
			// With its position, as profiles' expressions: the console shows the line and column.
			const problem = checkJsonata(record.mapping) ?? findUnsafeRegex(record.mapping);
			if (problem) errors.push({ path: '/mapping', message: problem.message, ...(problem.position > 0 ? { position: problem.position } : {}) });
		}
		if (errors.length > 0) throw new InvalidError(errors);
	}
}

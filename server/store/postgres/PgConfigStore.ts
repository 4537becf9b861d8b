/**
 * Webhooks, profiles and meta in PostgreSQL. Reads come from a cache of the (small) config tables,
 * refreshed row by row on every `mdm_dispatcher_config` notification, whichever instance wrote;
 * writes go to the database first (narrow `UPDATE`s; names unique by index), then into the cache.
 */
import { ConflictError, NotFoundError } from '../../domain/errors';
import type {
	DeviceStatusRecord,
	DisabledReason,
	ProfileRecord,
	SourceCount,
	SourceRecord,
	StoreMeta,
	WebhookRecord,
} from '../../domain/records';
import type { ConfigChange, ConfigStore, ProfileChanges, WebhookChanges } from '../ports/configStore';
import type { Database, Queryable } from './database';
import { CONFIG_CHANNEL } from './listener';
import {
	type ProfileRow,
	type WebhookRow,
	profileConfig,
	profileFromRow,
	webhookConfig,
	webhookFromRow,
} from './rows';

const UNIQUE_VIOLATION = '23505';
const WEBHOOK_SELECT = 'SELECT id, name, enabled, disabled_reason, failing_since, config, created_at, updated_at FROM webhooks';
const PROFILE_SELECT = 'SELECT id, name, config, created_at, updated_at FROM profiles';

export class PgConfigStore implements ConfigStore {
	private readonly webhooks = new Map<string, WebhookRecord>();
	private readonly profiles = new Map<string, ProfileRecord>();
	private meta: StoreMeta = { apiKeyHash: null };
	private readonly listeners = new Set<(change: ConfigChange) => void>();

	constructor(private readonly db: Database) {}

	/** Loads every row into the cache (at start and after the listener reconnected). */
	async reloadAll(): Promise<void> {
		const [webhooks, profiles, meta] = await Promise.all([
			this.db.query<WebhookRow>(WEBHOOK_SELECT),
			this.db.query<ProfileRow>(PROFILE_SELECT),
			this.db.query<{ value: string }>("SELECT value FROM meta WHERE key = 'apiKeyHash'"),
		]);
		this.webhooks.clear();
		for (const row of webhooks.rows) this.webhooks.set(row.id, webhookFromRow(row));
		this.profiles.clear();
		for (const row of profiles.rows) this.profiles.set(row.id, profileFromRow(row));
		this.meta = { apiKeyHash: meta.rows[0]?.value ?? null };
		for (const listener of this.listeners) listener({ kind: 'meta', id: '*' });
	}

	/** A notification from any instance: `kind:id`. */
	async onNotification(payload: string): Promise<void> {
		const [kind, id] = payload.split(':', 2) as [ConfigChange['kind'], string];
		if (kind === 'webhook') {
			const { rows } = await this.db.query<WebhookRow>(`${WEBHOOK_SELECT} WHERE id = $1`, [id]);
			if (rows[0]) this.webhooks.set(id, webhookFromRow(rows[0]));
			else this.webhooks.delete(id);
		} else if (kind === 'profile') {
			const { rows } = await this.db.query<ProfileRow>(`${PROFILE_SELECT} WHERE id = $1`, [id]);
			if (rows[0]) this.profiles.set(id, profileFromRow(rows[0]));
			else this.profiles.delete(id);
		} else if (kind === 'meta') {
			const { rows } = await this.db.query<{ value: string }>("SELECT value FROM meta WHERE key = 'apiKeyHash'");
			this.meta = { apiKeyHash: rows[0]?.value ?? null };
		} else return;
		this.emit({ kind, id });
	}

	onChange(listener: (change: ConfigChange) => void): () => void {
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	}

	async getMeta(): Promise<StoreMeta> {
		return this.meta;
	}

	async setApiKeyHash(hash: string): Promise<void> {
		await this.db.transaction(async (client) => {
			await client.query(
				"INSERT INTO meta (key, value) VALUES ('apiKeyHash', $1) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
				[hash],
			);
			await notify(client, 'meta', 'apiKeyHash');
		});
		this.meta = { apiKeyHash: hash };
		this.emit({ kind: 'meta', id: 'apiKeyHash' });
	}

	async listWebhooks(): Promise<WebhookRecord[]> {
		return [...this.webhooks.values()];
	}

	/** From the cache; a miss asks the database (a webhook created elsewhere a moment ago). */
	async getWebhook(id: string): Promise<WebhookRecord | undefined> {
		const cached = this.webhooks.get(id);
		if (cached) return cached;
		const { rows } = await this.db.query<WebhookRow>(`${WEBHOOK_SELECT} WHERE id = $1`, [id]);
		if (!rows[0]) return undefined;
		const record = webhookFromRow(rows[0]);
		this.webhooks.set(id, record);
		return record;
	}

	async createWebhook(record: WebhookRecord): Promise<void> {
		await this.write('webhook', record.id, record.name, (client) =>
			client.query<WebhookRow>(
				`INSERT INTO webhooks (id, name, enabled, disabled_reason, failing_since, config, created_at, updated_at)
				 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING *`,
				[record.id, record.name, record.enabled, record.disabledReason, record.failingSince, webhookConfig(record), record.createdAt, record.updatedAt],
			),
		);
	}

	async updateWebhook(id: string, changes: WebhookChanges): Promise<WebhookRecord> {
		const sets: string[] = [];
		const values: unknown[] = [id];
		const column = (name: string, value: unknown) => {
			values.push(value);
			sets.push(`${name} = $${values.length}`);
		};
		if (changes.name !== undefined) column('name', changes.name);
		if (changes.enabled !== undefined) column('enabled', changes.enabled);
		if (changes.disabledReason !== undefined) column('disabled_reason', changes.disabledReason);
		if (changes.failingSince !== undefined) column('failing_since', changes.failingSince);
		if (changes.updatedAt !== undefined) column('updated_at', changes.updatedAt);
		const config = webhookConfig(changes);
		if (Object.keys(config).length > 0) {
			values.push(config);
			sets.push(`config = config || $${values.length}::jsonb`);
		}
		if (sets.length === 0) {
			const current = this.webhooks.get(id);
			if (!current) throw new NotFoundError('webhook', id);
			return current;
		}
		const row = await this.write('webhook', id, changes.name, (client) =>
			client.query<WebhookRow>(`UPDATE webhooks SET ${sets.join(', ')} WHERE id = $1 RETURNING *`, values),
		);
		if (!row) throw new NotFoundError('webhook', id);
		return webhookFromRow(row as WebhookRow);
	}

	async deleteWebhook(id: string): Promise<void> {
		const deleted = await this.db.transaction(async (client) => {
			const now = new Date().toISOString();
			await client.query(
				`UPDATE deliveries SET status = 'failed', attempt_count = attempt_count + 1, last_attempt_at = $2::timestamptz,
				   response_code = NULL, next_attempt_at = NULL, lease_owner = NULL, lease_until = NULL,
				   attempts = attempts || jsonb_build_array(jsonb_build_object('at', $2::text, 'statusCode', NULL, 'durationMs', 0, 'error', 'webhook deleted', 'response', NULL))
				 WHERE webhook_id = $1 AND status = 'pending'`,
				[id, now],
			);
			const result = await client.query('DELETE FROM webhooks WHERE id = $1', [id]);
			await client.query('DELETE FROM rate_buckets WHERE webhook_id = $1', [id]);
			await notify(client, 'webhook', id);
			return (result.rowCount ?? 0) > 0;
		});
		if (!deleted) throw new NotFoundError('webhook', id);
		this.webhooks.delete(id);
		this.emit({ kind: 'webhook', id });
	}

	async disableWebhook(id: string, reason: DisabledReason, at: string): Promise<void> {
		await this.narrow(id, `UPDATE webhooks SET enabled = false, disabled_reason = $2, updated_at = $3 WHERE id = $1 RETURNING *`, [id, reason, at]);
	}

	async markFailing(id: string, since: string): Promise<string | null> {
		const record = await this.narrow(
			id,
			'UPDATE webhooks SET failing_since = COALESCE(failing_since, $2) WHERE id = $1 RETURNING *',
			[id, since],
		);
		return record?.failingSince ?? null;
	}

	async clearFailing(id: string): Promise<void> {
		await this.narrow(id, 'UPDATE webhooks SET failing_since = NULL WHERE id = $1 AND failing_since IS NOT NULL RETURNING *', [id]);
	}

	async listProfiles(): Promise<ProfileRecord[]> {
		return [...this.profiles.values()];
	}

	async getProfile(id: string): Promise<ProfileRecord | undefined> {
		const cached = this.profiles.get(id);
		if (cached) return cached;
		const { rows } = await this.db.query<ProfileRow>(`${PROFILE_SELECT} WHERE id = $1`, [id]);
		if (!rows[0]) return undefined;
		const record = profileFromRow(rows[0]);
		this.profiles.set(id, record);
		return record;
	}

	async createProfile(record: ProfileRecord): Promise<void> {
		await this.write('profile', record.id, record.name, (client) =>
			client.query<ProfileRow>(
				'INSERT INTO profiles (id, name, config, created_at, updated_at) VALUES ($1, $2, $3, $4, $5) RETURNING *',
				[record.id, record.name, profileConfig(record), record.createdAt, record.updatedAt],
			),
		);
	}

	async updateProfile(id: string, changes: ProfileChanges): Promise<ProfileRecord> {
		const values: unknown[] = [id, changes.name ?? null, changes.updatedAt ?? null, profileConfig(changes)];
		const row = await this.write('profile', id, changes.name, (client) =>
			client.query<ProfileRow>(
				`UPDATE profiles SET name = COALESCE($2, name), updated_at = COALESCE($3, updated_at), config = config || $4::jsonb
				 WHERE id = $1 RETURNING *`,
				values,
			),
		);
		if (!row) throw new NotFoundError('profile', id);
		return profileFromRow(row as ProfileRow);
	}

	async deleteProfile(id: string): Promise<void> {
		const deleted = await this.db.transaction(async (client) => {
			const result = await client.query('DELETE FROM profiles WHERE id = $1', [id]);
			await notify(client, 'profile', id);
			return (result.rowCount ?? 0) > 0;
		});
		if (!deleted) throw new NotFoundError('profile', id);
		this.profiles.delete(id);
		this.emit({ kind: 'profile', id });
	}

	// Sources are read from the database (not cached): their counters change with every request.

	async listSources(): Promise<SourceRecord[]> {
		const { rows } = await this.db.query<{ record: SourceRecord }>('SELECT record FROM sources ORDER BY record->>\'createdAt\', id');
		return rows.map((row) => row.record);
	}

	async getSource(id: string): Promise<SourceRecord | undefined> {
		const { rows } = await this.db.query<{ record: SourceRecord }>('SELECT record FROM sources WHERE id = $1', [id]);
		return rows[0]?.record;
	}

	/** Creates or replaces the configuration; the counters stored stay (countSourceRequest owns them). */
	async putSource(record: SourceRecord): Promise<void> {
		try {
			await this.db.query(
				`INSERT INTO sources (id, name, record) VALUES ($1, $2, $3)
				 ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name,
				   record = EXCLUDED.record || jsonb_build_object('stats', sources.record->'stats')`,
				[record.id, record.name, record],
			);
		} catch (error) {
			if ((error as { code?: string }).code !== UNIQUE_VIOLATION) throw error;
			const { rows } = await this.db.query<{ id: string }>('SELECT id FROM sources WHERE lower(btrim(name)) = lower(btrim($1))', [record.name]);
			throw new ConflictError('/name', `name is already used by source ${rows[0]?.id ?? 'another'}`);
		}
		this.emit({ kind: 'source', id: record.id });
	}

	async deleteSource(id: string): Promise<void> {
		await this.db.query('DELETE FROM sources WHERE id = $1', [id]);
		this.emit({ kind: 'source', id });
	}

	/** One statement, the increments computed in the database: concurrent requests all count. */
	async countSourceRequest(id: string, count: SourceCount): Promise<void> {
		await this.db.queueQuery(
			`UPDATE sources SET record = jsonb_set(record, '{stats}', (record->'stats') || jsonb_build_object(
			   'received', (record->'stats'->>'received')::int + 1,
			   'accepted', (record->'stats'->>'accepted')::int + $2::int,
			   'duplicates', (record->'stats'->>'duplicates')::int + $3::int,
			   'rejected', (record->'stats'->>'rejected')::int + $4::int,
			   'events', (record->'stats'->>'events')::int + $5::int,
			   'lastReceivedAt', $6::text,
			   'lastError', COALESCE($7::jsonb, record->'stats'->'lastError')))
			 WHERE id = $1`,
			[id, count.accepted ?? 0, count.duplicates ?? 0, count.rejected ?? 0, count.events ?? 0, count.at, count.error ? JSON.stringify(count.error) : null],
		);
	}

	async getDeviceStatus(key: string): Promise<DeviceStatusRecord | undefined> {
		const { rows } = await this.db.query<{ status: string; at: Date }>('SELECT status, at FROM device_statuses WHERE key = $1', [key]);
		return rows[0] ? { status: rows[0].status, at: rows[0].at.toISOString() } : undefined;
	}

	async putDeviceStatus(key: string, record: DeviceStatusRecord): Promise<void> {
		await this.db.queueQuery(
			'INSERT INTO device_statuses (key, status, at) VALUES ($1, $2, $3) ON CONFLICT (key) DO UPDATE SET status = EXCLUDED.status, at = EXCLUDED.at',
			[key, record.status, record.at],
		);
	}

	/** A one-statement health update of a webhook; the cache takes the row it returns. */
	private async narrow(id: string, sql: string, values: unknown[]): Promise<WebhookRecord | undefined> {
		const row = await this.db.transaction(async (client) => {
			const { rows } = await client.query<WebhookRow>(sql, values);
			if (rows[0]) await notify(client, 'webhook', id);
			return rows[0];
		});
		if (!row) return this.webhooks.get(id);
		const record = webhookFromRow(row);
		this.webhooks.set(id, record);
		this.emit({ kind: 'webhook', id });
		return record;
	}

	/** An insert or update that may break a name's uniqueness; notifies every instance. */
	private async write(
		kind: 'webhook' | 'profile',
		id: string,
		name: string | undefined,
		statement: (client: Queryable) => Promise<{ rows: unknown[] }>,
	): Promise<unknown> {
		try {
			const row = await this.db.transaction(async (client) => {
				const { rows } = await statement(client);
				if (rows[0]) await notify(client, kind, id);
				return rows[0];
			});
			if (row) {
				if (kind === 'webhook') this.webhooks.set(id, webhookFromRow(row as WebhookRow));
				else this.profiles.set(id, profileFromRow(row as ProfileRow));
				this.emit({ kind, id });
			}
			return row;
		} catch (error) {
			if ((error as { code?: string }).code !== UNIQUE_VIOLATION || name === undefined) throw error;
			const table = kind === 'webhook' ? 'webhooks' : 'profiles';
			const { rows } = await this.db.query<{ id: string }>(
				`SELECT id FROM ${table} WHERE lower(btrim(name)) = lower(btrim($1))`,
				[name],
			);
			throw new ConflictError('/name', `name is already used by ${kind} ${rows[0]?.id ?? 'another'}`);
		}
	}

	private emit(change: ConfigChange): void {
		for (const listener of this.listeners) listener(change);
	}
}

export async function notify(client: Queryable, kind: ConfigChange['kind'], id: string): Promise<void> {
	await client.query('SELECT pg_notify($1, $2)', [CONFIG_CHANNEL, `${kind}:${id}`]);
}

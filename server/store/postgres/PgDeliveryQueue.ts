/**
 * The delivery queue in PostgreSQL, shared by every dispatcher on the database. Claims take due
 * deliveries of enabled webhooks with `FOR UPDATE SKIP LOCKED` and stamp a lease (owner, until);
 * an expired lease makes a delivery claimable again, so work held by a killed instance is taken
 * over. `accept` is one statement: the event (its id unique: idempotency), its deliveries and a
 * `NOTIFY` that wakes every instance's worker.
 */
import type { AttemptUpdate, DeliveryRecord, EventRecord } from '../../domain/records';
import type { AcceptOutcome, ClaimedDelivery, DeliveryQueue } from '../ports/deliveryQueue';
import type { Database } from './database';
import { WORK_CHANNEL } from './listener';
import { type DeliveryRow, type EventRow, deliveryFromRow, eventFromRow } from './rows';

interface ClaimRow extends DeliveryRow {
	e_type: string;
	e_timestamp: Date;
	e_data: EventRow['data'];
	e_received_at: Date;
	e_deliveries: EventRow['deliveries'];
}

export class PgDeliveryQueue implements DeliveryQueue {
	private readonly listeners = new Set<() => void>();

	constructor(private readonly db: Database) {}

	/** A `mdm_dispatcher_work` notification, or the listener reconnected (notifications may be lost). */
	wake(): void {
		for (const listener of this.listeners) listener();
	}

	onWork(listener: () => void): () => void {
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	}

	async accept(event: EventRecord, deliveries: DeliveryRecord[]): Promise<AcceptOutcome> {
		const { rows } = await this.db.query<{ inserted: number }>(
			`WITH e AS (
			   INSERT INTO events (id, type, timestamp, data, received_at, deliveries)
			   VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO NOTHING RETURNING id),
			 d AS (
			   INSERT INTO deliveries (id, event_id, event_type, webhook_id, profile_id, status, created_at, next_attempt_at)
			   SELECT x.id, x."eventId", x."eventType", x."webhookId", x."profileId", 'pending', x."createdAt", x."nextAttemptAt"
			   FROM jsonb_to_recordset($7::jsonb) AS x(id text, "eventId" text, "eventType" text, "webhookId" text, "profileId" text, "createdAt" timestamptz, "nextAttemptAt" timestamptz)
			   WHERE EXISTS (SELECT 1 FROM e) RETURNING 1),
			 n AS (SELECT pg_notify($8, '') FROM e WHERE $9)
			 SELECT (SELECT count(*) FROM e)::int AS inserted, (SELECT count(*) FROM d)::int AS queued, (SELECT count(*) FROM n)::int AS notified`,
			[
				event.id,
				event.type,
				event.timestamp,
				JSON.stringify(event.data),
				event.receivedAt,
				JSON.stringify(event.deliveries),
				JSON.stringify(deliveries),
				WORK_CHANNEL,
				deliveries.length > 0,
			],
		);
		if (rows[0].inserted === 1) {
			if (deliveries.length > 0) this.wake();
			return { accepted: true, event };
		}
		const stored = await this.db.query<EventRow>('SELECT * FROM events WHERE id = $1', [event.id]);
		return { accepted: false, event: stored.rows[0] ? eventFromRow(stored.rows[0]) : event };
	}

	async claim(owner: string, limit: number, leaseMs: number): Promise<ClaimedDelivery[]> {
		const { rows } = await this.db.query<ClaimRow>(
			`WITH due AS (
			   SELECT d.id FROM deliveries d JOIN webhooks w ON w.id = d.webhook_id
			   WHERE d.status = 'pending' AND d.next_attempt_at <= now()
			     AND (d.lease_until IS NULL OR d.lease_until < now()) AND w.enabled
			   ORDER BY d.next_attempt_at
			   LIMIT $2
			   FOR UPDATE OF d SKIP LOCKED)
			 UPDATE deliveries d SET lease_owner = $1, lease_until = now() + make_interval(secs => $3::double precision / 1000)
			 FROM due, events e
			 WHERE d.id = due.id AND e.id = d.event_id
			 RETURNING d.*, e.type AS e_type, e.timestamp AS e_timestamp, e.data AS e_data,
			   e.received_at AS e_received_at, e.deliveries AS e_deliveries`,
			[owner, limit, leaseMs],
		);
		return rows.map((row) => ({
			delivery: deliveryFromRow(row),
			event: eventFromRow({
				id: row.event_id,
				type: row.e_type,
				timestamp: row.e_timestamp,
				data: row.e_data,
				received_at: row.e_received_at,
				deliveries: row.e_deliveries,
			}),
		}));
	}

	async renew(owner: string, ids: string[], leaseMs: number): Promise<void> {
		if (ids.length === 0) return;
		await this.db.query(
			`UPDATE deliveries SET lease_until = now() + make_interval(secs => $3::double precision / 1000)
			 WHERE lease_owner = $1 AND id = ANY($2) AND status = 'pending'`,
			[owner, ids, leaseMs],
		);
	}

	async record(update: AttemptUpdate): Promise<void> {
		await this.db.query(
			`UPDATE deliveries SET attempts = attempts || $2::jsonb, attempt_count = attempt_count + 1,
			   last_attempt_at = $3, response_code = $4, next_attempt_at = $5, request = $6, status = $7,
			   lease_owner = NULL, lease_until = NULL
			 WHERE id = $1 AND status = 'pending'`,
			[
				update.deliveryId,
				JSON.stringify([update.attempt]),
				update.attempt.at,
				update.attempt.statusCode,
				update.nextAttemptAt,
				JSON.stringify(update.request),
				update.status,
			],
		);
	}

	async defer(id: string, at: string): Promise<void> {
		await this.db.query(
			"UPDATE deliveries SET next_attempt_at = $2, lease_owner = NULL, lease_until = NULL WHERE id = $1 AND status = 'pending'",
			[id, at],
		);
	}

	async release(owner: string): Promise<void> {
		await this.db.query("UPDATE deliveries SET lease_owner = NULL, lease_until = NULL WHERE lease_owner = $1 AND status = 'pending'", [owner]);
	}

	async requeue(ids: string[], at: string): Promise<DeliveryRecord[]> {
		if (ids.length === 0) return [];
		const { rows } = await this.db.query<DeliveryRow>(
			`WITH r AS (
			   UPDATE deliveries SET status = 'pending', next_attempt_at = $2, lease_owner = NULL, lease_until = NULL
			   WHERE id = ANY($1) AND status <> 'pending' RETURNING *),
			 n AS (SELECT pg_notify($3, '') WHERE EXISTS (SELECT 1 FROM r))
			 SELECT r.*, (SELECT count(*) FROM n) AS notified FROM r`,
			[ids, at, WORK_CHANNEL],
		);
		if (rows.length > 0) this.wake();
		return rows.map(deliveryFromRow);
	}

	async nextDueAt(): Promise<number | null> {
		const { rows } = await this.db.query<{ due: Date | null }>(
			`SELECT min(GREATEST(d.next_attempt_at, COALESCE(d.lease_until, d.next_attempt_at))) AS due
			 FROM deliveries d JOIN webhooks w ON w.id = d.webhook_id
			 WHERE d.status = 'pending' AND w.enabled`,
		);
		return rows[0]?.due ? rows[0].due.getTime() : null;
	}
}

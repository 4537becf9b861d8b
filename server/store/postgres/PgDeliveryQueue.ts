/**
 * The delivery queue in PostgreSQL, shared by every dispatcher on the database. Claims take due
 * deliveries of enabled webhooks with `FOR UPDATE SKIP LOCKED` and stamp a lease (owner, until);
 * an expired lease makes a delivery claimable again, so work held by a killed instance is taken
 * over. `accept` is one statement for every event that arrives while the previous one runs: the
 * events (their ids unique: idempotency) and their deliveries.
 * New work wakes this instance's worker at once and the others by a `NOTIFY` sent after the
 * commit, at most one per NOTIFY_COALESCE_MS: a NOTIFY inside the accepting transaction would
 * serialise every commit behind PostgreSQL's notify lock, one WAL flush at a time.
 */
import { StoreUnavailableError } from '../../domain/errors';
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

const NOTIFY_COALESCE_MS = 5;
/** Events written by one accepting statement at most. */
const ACCEPT_BATCH = 256;

interface PendingAccept {
	event: EventRecord;
	deliveries: DeliveryRecord[];
	resolve: (outcome: AcceptOutcome) => void;
	reject: (error: Error) => void;
}

export class PgDeliveryQueue implements DeliveryQueue {
	private readonly listeners = new Set<() => void>();
	private notifyTimer: NodeJS.Timeout | null = null;
	private readonly acceptQueue: PendingAccept[] = [];
	private accepting = false;
	private readonly pendingRecords: { update: AttemptUpdate; resolve: () => void; reject: (error: Error) => void }[] = [];

	constructor(private readonly db: Database) {}

	/** Tells the other instances there is new work (coalesced; a lost one is caught by their poll). */
	private notifyOthers(): void {
		if (this.notifyTimer) return;
		this.notifyTimer = setTimeout(() => {
			this.notifyTimer = null;
			this.db.queueQuery('SELECT pg_notify($1, $2)', [WORK_CHANNEL, '']).catch(() => undefined);
		}, NOTIFY_COALESCE_MS);
		this.notifyTimer.unref();
	}

	/** A `mdm_dispatcher_work` notification, or the listener reconnected (notifications may be lost). */
	wake(): void {
		for (const listener of this.listeners) listener();
	}

	onWork(listener: () => void): () => void {
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	}

	/**
	 * Group commit, as lowdb's journal does it: events accepted while a batch is being written go
	 * together in the next one, one statement and one WAL flush for all of them.
	 */
	accept(event: EventRecord, deliveries: DeliveryRecord[]): Promise<AcceptOutcome> {
		return new Promise((resolve, reject) => {
			this.acceptQueue.push({ event, deliveries, resolve, reject });
			if (!this.accepting) void this.writeAccepts();
		});
	}

	private async writeAccepts(): Promise<void> {
		this.accepting = true;
		try {
			while (this.acceptQueue.length > 0) {
				const batch = this.acceptQueue.splice(0, ACCEPT_BATCH);
				try {
					await this.acceptBatch(batch);
				} catch (error) {
					// The database out of reach fails the whole group at once (each would wait for it again).
					if (batch.length === 1 || error instanceof StoreUnavailableError) {
						for (const item of batch) item.reject(error as Error);
						continue;
					}
					// One event the database refuses must not fail the others: each on its own.
					for (const item of batch) await this.acceptBatch([item]).catch((single: Error) => item.reject(single));
				}
			}
		} finally {
			this.accepting = false;
		}
	}

	/** One statement: the events (ids unique: idempotency) and the deliveries of those that are new. */
	private async acceptBatch(batch: PendingAccept[]): Promise<void> {
		// An id twice in one batch is written once, by its first item; the later ones are repeats.
		const first = new Map<string, PendingAccept>();
		for (const item of batch) if (!first.has(item.event.id)) first.set(item.event.id, item);
		const written = [...first.values()];
		const events = written.map((item) => item.event);
		const { rows } = await this.db.query<{ id: string }>(
			`WITH e AS (
			   INSERT INTO events (id, type, timestamp, data, received_at, deliveries, origin)
			   SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::json[], $5::timestamptz[], $6::jsonb[], $7::json[])
			   ON CONFLICT (id) DO NOTHING RETURNING id),
			 d AS (
			   INSERT INTO deliveries (id, event_id, event_type, webhook_id, profile_id, status, created_at, next_attempt_at)
			   SELECT x.id, x."eventId", x."eventType", x."webhookId", x."profileId", 'pending', x."createdAt", x."nextAttemptAt"
			   FROM jsonb_to_recordset($8::jsonb) AS x(id text, "eventId" text, "eventType" text, "webhookId" text, "profileId" text, "createdAt" timestamptz, "nextAttemptAt" timestamptz)
			   WHERE x."eventId" IN (SELECT id FROM e) RETURNING 1)
			 SELECT id FROM e`,
			[
				events.map((e) => e.id),
				events.map((e) => e.type),
				events.map((e) => e.timestamp),
				events.map((e) => JSON.stringify(e.data)),
				events.map((e) => e.receivedAt),
				events.map((e) => JSON.stringify(e.deliveries)),
				events.map((e) => (e.origin ? JSON.stringify(e.origin) : null)),
				JSON.stringify(written.flatMap((item) => item.deliveries)),
			],
		);
		const inserted = new Set(rows.map((row) => row.id));
		const stored = new Map<string, EventRecord>();
		const before = events.filter((e) => !inserted.has(e.id)).map((e) => e.id);
		if (before.length > 0) {
			const found = await this.db.query<EventRow>('SELECT * FROM events WHERE id = ANY($1::text[])', [before]);
			for (const row of found.rows) stored.set(row.id, eventFromRow(row));
		}
		if (written.some((item) => inserted.has(item.event.id) && item.deliveries.length > 0)) {
			this.wake();
			this.notifyOthers();
		}
		for (const item of batch) {
			const winner = first.get(item.event.id) as PendingAccept;
			if (item === winner && inserted.has(item.event.id)) item.resolve({ accepted: true, event: item.event });
			else item.resolve({ accepted: false, event: inserted.has(item.event.id) ? winner.event : (stored.get(item.event.id) ?? item.event) });
		}
	}

	async claim(owner: string, limit: number, leaseMs: number): Promise<ClaimedDelivery[]> {
		const { rows } = await this.db.queueQuery<ClaimRow>(
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
		await this.db.queueQuery(
			`UPDATE deliveries SET lease_until = now() + make_interval(secs => $3::double precision / 1000)
			 WHERE lease_owner = $1 AND id = ANY($2) AND status = 'pending'`,
			[owner, ids, leaseMs],
		);
	}

	/**
	 * Records arriving together (attempts finishing in the same turn of the event loop) are
	 * written by one statement: one round trip for many, as the lowdb journal's group commit.
	 */
	record(update: AttemptUpdate): Promise<void> {
		return new Promise((resolve, reject) => {
			this.pendingRecords.push({ update, resolve, reject });
			if (this.pendingRecords.length === 1) setImmediate(() => void this.flushRecords());
		});
	}

	private async flushRecords(): Promise<void> {
		const batch = this.pendingRecords.splice(0);
		if (batch.length === 0) return;
		const rows = batch.map(({ update }) => ({
			id: update.deliveryId,
			attempt: update.attempt,
			at: update.attempt.at,
			code: update.attempt.statusCode,
			next: update.nextAttemptAt,
			request: update.request,
			status: update.status,
		}));
		try {
			await this.db.queueQuery(
				`UPDATE deliveries d SET attempts = d.attempts || jsonb_build_array(x.attempt), attempt_count = d.attempt_count + 1,
				   last_attempt_at = x.at, response_code = x.code, next_attempt_at = x.next, request = x.request, status = x.status,
				   lease_owner = NULL, lease_until = NULL
				 FROM jsonb_to_recordset($1::jsonb) AS x(id text, attempt jsonb, at timestamptz, code integer, next timestamptz, request json, status text)
				 WHERE d.id = x.id AND d.status = 'pending'`,
				[JSON.stringify(rows)],
			);
			for (const item of batch) item.resolve();
		} catch (error) {
			for (const item of batch) item.reject(error as Error);
		}
	}

	async defer(id: string, at: string): Promise<void> {
		await this.db.queueQuery(
			"UPDATE deliveries SET next_attempt_at = $2, lease_owner = NULL, lease_until = NULL WHERE id = $1 AND status = 'pending'",
			[id, at],
		);
	}

	async release(owner: string): Promise<void> {
		await this.db.queueQuery("UPDATE deliveries SET lease_owner = NULL, lease_until = NULL WHERE lease_owner = $1 AND status = 'pending'", [owner]);
	}

	async requeue(ids: string[], at: string): Promise<DeliveryRecord[]> {
		if (ids.length === 0) return [];
		const { rows } = await this.db.query<DeliveryRow>(
			`UPDATE deliveries SET status = 'pending', next_attempt_at = $2, lease_owner = NULL, lease_until = NULL
			 WHERE id = ANY($1) AND status <> 'pending' RETURNING *`,
			[ids, at],
		);
		if (rows.length > 0) {
			this.wake();
			this.notifyOthers();
		}
		return rows.map(deliveryFromRow);
	}

	async pendingStats(): Promise<{ pending: number; oldestCreatedAt: string | null }> {
		const { rows } = await this.db.queueQuery<{ pending: string; oldest: Date | null }>(
			"SELECT count(*) AS pending, min(created_at) AS oldest FROM deliveries WHERE status = 'pending'",
		);
		return { pending: Number(rows[0]?.pending ?? 0), oldestCreatedAt: rows[0]?.oldest ? rows[0].oldest.toISOString() : null };
	}

	async nextDueAt(): Promise<number | null> {
		const { rows } = await this.db.queueQuery<{ due: Date | null }>(
			`SELECT min(GREATEST(d.next_attempt_at, COALESCE(d.lease_until, d.next_attempt_at))) AS due
			 FROM deliveries d JOIN webhooks w ON w.id = d.webhook_id
			 WHERE d.status = 'pending' AND w.enabled`,
		);
		return rows[0]?.due ? rows[0].due.getTime() : null;
	}
}

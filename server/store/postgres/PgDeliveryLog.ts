/** The delivery log in PostgreSQL: indexed filters, keyset pages (created_at, id), a summary. */
import type {
	DeliveryFilter,
	DeliveryPage,
	DeliveryRecord,
	DeliverySummary,
	EventRecord,
} from '../../domain/records';
import { summarizeGroups } from '../../domain/deliverySummary';
import { InvalidCursorError } from '../../domain/errors';
import { failureClass } from '../../domain/failureClass';
import { decodeCursor, encodeCursor } from '../cursor';
import type { DeliveryLog } from '../ports/deliveryLog';
import type { Database } from './database';
import { DELIVERY_LIST_COLUMNS, type DeliveryRow, type EventRow, deliveryFromRow, eventFromRow } from './rows';

export class PgDeliveryLog implements DeliveryLog {
	constructor(private readonly db: Database) {}

	async getEvent(id: string): Promise<EventRecord | undefined> {
		const { rows } = await this.db.query<EventRow>('SELECT * FROM events WHERE id = $1', [id]);
		return rows[0] ? eventFromRow(rows[0]) : undefined;
	}

	async getDelivery(id: string): Promise<DeliveryRecord | undefined> {
		const { rows } = await this.db.query<DeliveryRow>('SELECT * FROM deliveries WHERE id = $1', [id]);
		return rows[0] ? deliveryFromRow(rows[0]) : undefined;
	}

	async queryDeliveries(filter: DeliveryFilter, limit: number, cursor: string | null): Promise<DeliveryPage> {
		const { where, values } = whereClause(filter);
		if (cursor !== null) {
			const known = await this.db.query('SELECT 1 FROM deliveries WHERE id = $1', [decodeCursor(cursor)]);
			if (known.rowCount === 0) throw new InvalidCursorError();
			values.push(decodeCursor(cursor));
			where.push(`(created_at, id) < (SELECT created_at, id FROM deliveries WHERE id = $${values.length})`);
		}
		values.push(limit + 1);
		const { rows } = await this.db.query<DeliveryRow>(
			`SELECT ${DELIVERY_LIST_COLUMNS} FROM deliveries ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
			 ORDER BY created_at DESC, id DESC LIMIT $${values.length}`,
			values,
		);
		const data = rows.slice(0, limit).map(deliveryFromRow);
		return { data, nextCursor: rows.length > limit ? encodeCursor(data[data.length - 1].id) : null };
	}

	/**
	 * Grouped by webhook, status and what classifies the last attempt (its status code and the
	 * start of its error text), then classed and counted by the domain's one rule.
	 */
	async summarizeDeliveries(filter: DeliveryFilter): Promise<DeliverySummary> {
		const { where, values } = whereClause(filter);
		const { rows } = await this.db.query<{ webhook_id: string; status: DeliveryRecord['status']; code: number | null; error: string | null; attempted: boolean; n: string }>(
			`SELECT webhook_id, status,
			   (attempts->-1->>'statusCode')::integer AS code,
			   left(attempts->-1->>'error', 40) AS error,
			   jsonb_array_length(attempts) > 0 AS attempted,
			   count(*) AS n
			 FROM deliveries ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
			 GROUP BY 1, 2, 3, 4, 5`,
			values,
		);
		return summarizeGroups(
			rows.map((row) => ({
				webhookId: row.webhook_id,
				status: row.status,
				failure: row.attempted && row.status !== 'succeeded' ? failureClass({ statusCode: row.code, error: row.error }) : null,
				count: Number(row.n),
			})),
		);
	}

	async prune(before: string): Promise<void> {
		await this.db.query("DELETE FROM deliveries WHERE status <> 'pending' AND created_at < $1", [before]);
		await this.db.query(
			'DELETE FROM events e WHERE e.received_at < $1 AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.event_id = e.id)',
			[before],
		);
	}
}

function whereClause(filter: DeliveryFilter): { where: string[]; values: unknown[] } {
	const where: string[] = [];
	const values: unknown[] = [];
	const add = (sql: string, value: unknown) => {
		values.push(value);
		where.push(sql.replace('?', `$${values.length}`));
	};
	if (filter.webhookId !== undefined) add('webhook_id = ?', filter.webhookId);
	if (filter.profileId !== undefined) add('profile_id = ?', filter.profileId);
	if (filter.eventType !== undefined) add('event_type = ?', filter.eventType);
	if (filter.status !== undefined) add('status = ?', filter.status);
	if (filter.responseCode !== undefined) add('response_code = ?', filter.responseCode);
	if (filter.requestId !== undefined) add('id = ?', filter.requestId);
	if (filter.eventId !== undefined) add('event_id = ?', filter.eventId);
	if (filter.from !== undefined) add('created_at >= ?', filter.from);
	if (filter.to !== undefined) add('created_at <= ?', filter.to);
	return { where, values };
}

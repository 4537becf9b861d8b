/** The lowdb store: compaction keeps the snapshot small, and a reopened store has everything. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LowdbStore } from '../../server/store/lowdb/LowdbStore';
import type { DeliveryRecord, EventRecord } from '../../server/domain/records';
import { tempDataFile } from '../helpers/dispatcher';

function event(n: number): { event: EventRecord; deliveries: DeliveryRecord[] } {
	const createdAt = new Date(Date.UTC(2026, 10, 22, 10, 0, 0, n)).toISOString();
	const deliveries: DeliveryRecord[] = [0, 1].map((k) => ({
		id: `msg_${n}_${k}`,
		eventId: `evt_${n}`,
		eventType: 'device.enrolled',
		webhookId: `wh_${k}`,
		profileId: null,
		status: 'pending',
		responseCode: null,
		attemptCount: 0,
		createdAt,
		lastAttemptAt: null,
		nextAttemptAt: createdAt,
		attempts: [],
		request: null,
	}));
	return {
		event: {
			id: `evt_${n}`,
			type: 'device.enrolled',
			timestamp: createdAt,
			data: { device: { id: `d${n}` } },
			receivedAt: createdAt,
			deliveries: deliveries.map(({ id, webhookId, profileId }) => ({ id, webhookId, profileId })),
		},
		deliveries,
	};
}

describe('LowdbStore', () => {
	it('survives compactions and a reopen with every event, delivery and attempt', async () => {
		const file = tempDataFile();
		const store = new LowdbStore({ file, compactAfterBytes: 4096 });
		await store.open();
		for (let n = 0; n < 200; n++) {
			const { event: e, deliveries } = event(n);
			await store.accept(e, deliveries);
			// Finish webhook 0's delivery; leave webhook 1's pending.
			await store.record({
				deliveryId: `msg_${n}_0`,
				attempt: { at: e.receivedAt, statusCode: 200, durationMs: 1.5, error: null, response: 'ok' },
				status: 'succeeded',
				nextAttemptAt: null,
				request: { method: 'POST', url: 'https://example.com', headers: {}, body: '{}' },
			});
		}
		await store.close();

		// The snapshot holds only what is hot: 200 pending deliveries, not the 200 finished ones.
		const snapshot = JSON.parse(fs.readFileSync(file, 'utf8'));
		expect(snapshot.deliveries).toHaveLength(200);
		expect(snapshot.deliveries.every((d: DeliveryRecord) => d.status === 'pending')).toBe(true);
		const archiveDir = `${file}.logs`;
		expect(fs.readdirSync(archiveDir).length).toBeGreaterThan(0);
		const journals = fs.readdirSync(path.dirname(file)).filter((name) => name.includes('.journal.'));
		expect(journals).toHaveLength(1);

		const reopened = new LowdbStore({ file });
		await reopened.open();
		const pending = await reopened.queryDeliveries({ status: 'pending' }, 250, null);
		expect(pending.data.map((d) => d.id).reverse()).toEqual(Array.from({ length: 200 }, (_, n) => `msg_${n}_1`));
		expect(await reopened.getDelivery('msg_7_0')).toMatchObject({ status: 'succeeded', attemptCount: 1, responseCode: 200 });
		expect((await reopened.getEvent('evt_199'))?.data).toEqual({ device: { id: 'd199' } });
		expect(await reopened.summarizeDeliveries({})).toMatchObject({ total: 400, succeeded: 200, failed: 0, pending: 200 });
		const page = await reopened.queryDeliveries({ status: 'succeeded' }, 50, null);
		expect(page.data[0].id).toBe('msg_199_0');
		const next = await reopened.queryDeliveries({ status: 'succeeded' }, 50, page.nextCursor);
		expect(next.data[0].id).toBe('msg_149_0');
		await reopened.close();
	});

	it('replays the journal when the process died before any compaction', async () => {
		const file = tempDataFile();
		const store = new LowdbStore({ file });
		await store.open();
		const { event: e, deliveries } = event(1);
		await store.accept(e, deliveries);
		// No close(): as after a kill -9, only the journal has the event.
		const reopened = new LowdbStore({ file });
		await reopened.open();
		const pending = await reopened.queryDeliveries({ status: 'pending' }, 10, null);
		expect(pending.data.map((d) => d.id).sort()).toEqual(['msg_1_0', 'msg_1_1']);
		await reopened.close();
	});

	it('retention prunes finished deliveries and their events, never pending ones', async () => {
		const file = tempDataFile();
		const store = new LowdbStore({ file, compactAfterBytes: 1024 });
		await store.open();
		for (let n = 0; n < 10; n++) {
			const { event: e, deliveries } = event(n);
			await store.accept(e, deliveries);
			for (const k of [0, 1]) {
				if (n < 5 && k === 1) continue; // events 0-4 keep one pending delivery
				await store.record({
					deliveryId: `msg_${n}_${k}`,
					attempt: { at: e.receivedAt, statusCode: 500, durationMs: 1, error: null, response: null },
					status: 'failed',
					nextAttemptAt: null,
					request: { method: 'POST', url: 'https://example.com', headers: {}, body: '{}' },
				});
			}
		}
		await store.prune('2026-11-23T00:00:00.000Z');
		expect(await store.summarizeDeliveries({})).toMatchObject({ total: 5, succeeded: 0, failed: 0, pending: 5 });
		expect(await store.getEvent('evt_2')).toBeDefined();
		expect(await store.getEvent('evt_7')).toBeUndefined();
		await store.close();
		// Pruned records stay gone after a restart (their archive day files are deleted).
		const reopened = new LowdbStore({ file });
		await reopened.open();
		await reopened.prune('2026-11-23T00:00:00.000Z');
		expect((await reopened.summarizeDeliveries({})).total).toBe(5);
		await reopened.close();
	});
});

/** The lowdb store keeps ingest sources, their counters and device statuses: from the journal after a crash, and through a compaction. */
import { describe, expect, it } from 'vitest';
import { emptySourceStats } from '../../server/services/sourceService';
import { LowdbStore } from '../../server/store/lowdb/LowdbStore';
import type { SourceRecord } from '../../server/store/types';
import { tempDataFile } from '../helpers/dispatcher';

function source(id: string): SourceRecord {
	const at = '2026-11-22T10:00:00.000Z';
	return {
		id,
		name: `source ${id}`,
		description: '',
		vendor: 'mender',
		enabled: true,
		tokenHash: 'ab'.repeat(32),
		secret: 'cd'.repeat(32),
		auth: { type: 'none' },
		hmac: null,
		mapping: null,
		stats: emptySourceStats(),
		createdAt: at,
		updatedAt: at,
	};
}

describe('LowdbStore: sources', () => {
	it('replays sources, counters and statuses from the journal (no compaction: a crash), then keeps them through one', async () => {
		const file = tempDataFile();
		const first = new LowdbStore({ file, sync: false });
		await first.open();
		await first.putSource(source('src_a'));
		await first.putSource(source('src_b'));
		await first.deleteSource('src_b');
		const at = '2026-11-22T10:00:00.000Z';
		await Promise.all([
			first.countSourceRequest('src_a', { at, accepted: 1 }),
			first.countSourceRequest('src_a', { at, rejected: 1 }),
			first.countSourceRequest('src_a', { at, duplicates: 1 }),
		]);
		await first.putDeviceStatus('mender:d1', { status: 'accepted', at: '2026-11-22T10:00:01.000Z' });
		// Not closed: as after a kill -9, only the journal has these.
		const replayed = new LowdbStore({ file, sync: false });
		await replayed.open();
		expect((await replayed.listSources()).map((s) => s.id)).toEqual(['src_a']);
		expect((await replayed.getSource('src_a'))?.stats).toMatchObject({ received: 3, rejected: 1 });
		expect((await replayed.getDeviceStatus('mender:d1'))?.status).toBe('accepted');
		await replayed.close(); // compacts into the snapshot

		const reopened = new LowdbStore({ file, sync: false });
		await reopened.open();
		expect((await reopened.getSource('src_a'))?.stats.received).toBe(3);
		expect(await reopened.getDeviceStatus('mender:d1')).toEqual({ status: 'accepted', at: '2026-11-22T10:00:01.000Z' });
		await reopened.close();
		await first.close();
	});
});

/**
 * The store's file layer under faults, at the store itself (real files, faults from
 * test/helpers/faultyFiles.ts): a failed write whose cut-back fails too is cut before the next
 * write; a damaged line in the middle of a journal refuses the open (it is not a torn write); a
 * torn archive tail is cut off so the next compaction's lines are whole.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { StorageError, StoreCorruptError } from '../../../server/store/errors';
import { LowdbStore } from '../../../server/store/lowdb/LowdbStore';
import { pendingOf } from './helpers';
import { tempDataFile } from '../../helpers/dispatcher';
import { FaultyFiles } from '../../helpers/faultyFiles';
import { journalLinesParse, pendingEvent } from './helpers';

async function accept(store: LowdbStore, n: number): Promise<void> {
	const { event, deliveries } = pendingEvent(`evt_${n}`, { n });
	await store.accept(event, deliveries);
}

function finish(store: LowdbStore, n: number): Promise<void> {
	return store.record({
		deliveryId: `msg_evt_${n}`,
		attempt: { at: new Date().toISOString(), statusCode: 200, durationMs: 1, error: null, response: 'ok' },
		status: 'succeeded',
		nextAttemptAt: null,
		request: { method: 'POST', url: 'https://example.com/hook', headers: {}, body: '{}' },
	});
}

describe('store recovery from file faults', () => {
	it('a failed write that could not be cut back is cut before the next write', async () => {
		const faults = new FaultyFiles();
		const file = tempDataFile();
		const store = new LowdbStore({ file, files: faults });
		await store.open();
		await accept(store, 1);
		const journal = `${file}.journal.0`;
		const good = fs.statSync(journal).size;

		faults.fillDisk(40);
		faults.failTruncates(1);
		await expect(accept(store, 2)).rejects.toBeInstanceOf(StorageError);
		expect(fs.statSync(journal).size).toBe(good + 40); // the fragment is still there
		expect(await store.getEvent('evt_2')).toBeUndefined();

		faults.freeSpace();
		await accept(store, 3);
		expect(journalLinesParse(file)).toEqual({ lines: 2, bad: 0, endsWithNewline: true });
		const reopened = new LowdbStore({ file });
		await reopened.open();
		expect((await pendingOf(reopened)).map((d) => d.eventId)).toEqual(['evt_1', 'evt_3']);
		await reopened.close();
		await store.close();
	});

	it('a damaged line followed by good ones is not a torn write: the open is refused, the file kept', async () => {
		const file = tempDataFile();
		const store = new LowdbStore({ file });
		await store.open();
		for (let n = 1; n <= 3; n++) await accept(store, n);
		const journal = `${file}.journal.0`;
		const lines = fs.readFileSync(journal, 'utf8').split('\n');
		lines[1] = lines[1].slice(0, 20);
		fs.writeFileSync(journal, lines.join('\n'));
		const damaged = fs.readFileSync(journal);

		const reopened = new LowdbStore({ file });
		const failure = await reopened.open().then(
			() => null,
			(error: unknown) => error,
		);
		expect(failure).toBeInstanceOf(StoreCorruptError);
		expect((failure as Error).message).toContain(`journal ${journal}: line 2 is not valid JSON but later lines are`);
		expect((failure as Error).message).toContain('refusing to start over existing data');
		expect(fs.readFileSync(journal).equals(damaged)).toBe(true);
	});

	it('an archive append cut short on a full disk (and not cut back) is cut before the next one', async () => {
		const faults = new FaultyFiles();
		const file = tempDataFile();
		const store = new LowdbStore({ file, files: faults });
		await store.open();
		await accept(store, 1);
		await finish(store, 1);
		await new Promise((resolve) => setTimeout(resolve, 20)); // the attempt's deferred write

		faults.fillDisk(30);
		faults.failTruncates(1);
		await expect(store.compact()).rejects.toBeInstanceOf(StorageError);
		const [day] = fs.readdirSync(`${file}.logs`).filter((name) => /^\d{4}-\d{2}-\d{2}\.jsonl$/.test(name));
		const archive = path.join(`${file}.logs`, day);
		expect(fs.statSync(archive).size).toBe(30); // a fragment of the first line

		faults.freeSpace();
		await accept(store, 2);
		await finish(store, 2);
		await store.close();
		const archived = fs.readFileSync(archive, 'utf8').trimEnd().split('\n');
		expect(archived.map((line) => JSON.parse(line).r.id)).toEqual(['evt_1', 'evt_2', 'msg_evt_1', 'msg_evt_2']);
		const reopened = new LowdbStore({ file });
		await reopened.open();
		expect(await reopened.summarizeDeliveries({})).toMatchObject({ total: 2, succeeded: 2, failed: 0, pending: 0 });
		await reopened.close();
	});

	it('a torn archive tail is cut off, so the next compaction appends whole lines', async () => {
		const file = tempDataFile();
		const store = new LowdbStore({ file });
		await store.open();
		await accept(store, 1);
		await finish(store, 1);
		await store.close(); // evt_1 and msg_1 go to the archive
		const [day] = fs.readdirSync(`${file}.logs`).filter((name) => /^\d{4}-\d{2}-\d{2}\.jsonl$/.test(name));
		const archive = path.join(`${file}.logs`, day);
		fs.appendFileSync(archive, '{"k":"d","r":{"id":"msg_torn"'); // a crash mid-append

		const reopened = new LowdbStore({ file });
		await reopened.open();
		expect(fs.readFileSync(archive, 'utf8').endsWith('\n')).toBe(true);
		await accept(reopened, 2);
		await finish(reopened, 2);
		await reopened.close();
		const archived = fs.readFileSync(archive, 'utf8').trimEnd().split('\n');
		expect(archived.map((line) => JSON.parse(line).r.id)).toEqual(['evt_1', 'msg_evt_1', 'evt_2', 'msg_evt_2']);

		const third = new LowdbStore({ file });
		await third.open();
		expect(await third.summarizeDeliveries({})).toMatchObject({ total: 2, succeeded: 2, failed: 0, pending: 0 });
		await third.close();
	});
});

/**
 * Issue 8, items 2 and 3: short writes, a full disk (`ENOSPC`) and a failing disk (`EIO`), made
 * by the store's file layer writing really and then failing (test/helpers/faultyFiles.ts), in a
 * real dispatcher on a temp data folder delivering to a loopback receiver. Each test checks:
 * a write that did not reach the disk is never answered 2xx (507 when full, 503 when failing, never
 * 500); it leaves no trace in memory (a re-post of the same id is accepted fresh) nor a fragment in
 * the journal; the dispatcher recovers once the disk does; every 2xx is on disk at that moment
 * (a copy of the folder holds it) and is delivered, also after a restart.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LowdbBackend } from '../../../server/store/lowdb/LowdbBackend';
import { StorageError } from '../../../server/store/errors';
import { type TestDispatcher, startTestDispatcher } from '../../helpers/dispatcher';
import { waitForDeliveries } from '../../helpers/dispatcherProcess';
import { FaultyFiles } from '../../helpers/faultyFiles';
import { type Receiver, startReceiver } from '../../helpers/receiver';
import { eventBody, eventsOnDisk, journalLinesParse } from './helpers';

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
	for (const item of open.splice(0).reverse()) await item.close().catch(() => undefined);
});

async function setUp(faults: FaultyFiles, options: { compactAfterBytes?: number } = {}) {
	const receiver: Receiver = await startReceiver({ status: 200 });
	open.push(receiver);
	const dispatcher: TestDispatcher = await startTestDispatcher({ storeFiles: faults, ...options });
	open.push(dispatcher);
	const hook = await dispatcher.api.post('/v1/webhooks', { name: 'faults', url: receiver.url, events: ['*'] });
	expect(hook.status, hook.text).toBe(201);
	return { receiver, dispatcher, api: dispatcher.api };
}

function journalBytes(dataFile: string): number {
	const dir = path.dirname(dataFile);
	return fs
		.readdirSync(dir)
		.filter((name) => name.includes('.journal.'))
		.reduce((sum, name) => sum + fs.statSync(path.join(dir, name)).size, 0);
}

describe('disk faults at the store', () => {
	it('short writes: the journal writes the rest, answers 202 and every line is whole', async () => {
		const faults = new FaultyFiles();
		const { receiver, dispatcher, api } = await setUp(faults);
		faults.shortWrites(1000);
		const accepted: string[] = [];
		for (let i = 0; i < 20; i++) {
			const answer = await api.post('/v1/events', eventBody(`evt_short_${i}`));
			expect(answer.status, answer.text).toBe(202);
			accepted.push(`evt_short_${i}`);
		}
		expect(faults.produced.shortWrites).toBeGreaterThanOrEqual(20);
		expect(journalLinesParse(dispatcher.dataFile)).toMatchObject({ bad: 0, endsWithNewline: true });
		expect([...(await eventsOnDisk(dispatcher.dataFile, accepted))].sort()).toEqual([...accepted].sort());
		expect(await waitForDeliveries(receiver, accepted, 10_000)).toEqual([]);
		console.log(`short writes: ${faults.produced.shortWrites} short writes completed, ${accepted.length} events accepted and delivered`);
	});

	it('a full disk: 507 storage_full (never 202, never 500), the journal cut back, recovery once space returns', async () => {
		const faults = new FaultyFiles();
		const { receiver, dispatcher, api } = await setUp(faults);
		const accepted: string[] = [];
		for (let i = 0; i < 5; i++) {
			expect((await api.post('/v1/events', eventBody(`evt_before_${i}`))).status).toBe(202);
			accepted.push(`evt_before_${i}`);
		}
		expect(await waitForDeliveries(receiver, accepted, 10_000)).toEqual([]);
		await new Promise((resolve) => setTimeout(resolve, 50)); // the attempts' records are written
		const sizeBefore = journalBytes(dispatcher.dataFile);
		const webhooksBefore = (await api.get('/v1/webhooks')).body.data.length;
		const summaryBefore = (await api.get('/v1/deliveries/summary')).body;

		// Room for part of a line: each write is short, then ENOSPC.
		faults.fillDisk(100);
		const refused: string[] = [];
		for (let i = 0; i < 10; i++) {
			const answer = await api.post('/v1/events', eventBody(`evt_full_${i}`));
			expect(answer.status, answer.text).toBe(507);
			expect(answer.body.error.code).toBe('storage_full');
			expect(answer.body.error.message).toMatch(/disk is full.*nothing was stored/);
			refused.push(`evt_full_${i}`);
		}
		const hook = await api.post('/v1/webhooks', { name: 'not stored', url: receiver.url, events: ['*'] });
		expect(hook.status, hook.text).toBe(507);
		expect(faults.produced.shortWrites).toBeGreaterThan(0);
		expect(faults.produced.enospc).toBeGreaterThan(0);

		// Nothing of it in memory, and the journal exactly as it was: whole lines only.
		expect((await api.get('/v1/webhooks')).body.data.length).toBe(webhooksBefore);
		expect((await api.get('/v1/deliveries/summary')).body).toEqual(summaryBefore);
		expect(journalBytes(dispatcher.dataFile)).toBe(sizeBefore);
		expect(journalLinesParse(dispatcher.dataFile)).toMatchObject({ bad: 0, endsWithNewline: true });
		expect(await eventsOnDisk(dispatcher.dataFile, refused)).toEqual(new Set());

		// Space returns: the same ids are accepted fresh (202, not 200 from phantom state).
		faults.freeSpace();
		for (const id of refused) {
			const answer = await api.post('/v1/events', eventBody(id));
			expect(answer.status, answer.text).toBe(202);
			accepted.push(id);
		}
		expect([...(await eventsOnDisk(dispatcher.dataFile, accepted))].sort()).toEqual([...accepted].sort());
		expect(await waitForDeliveries(receiver, accepted, 10_000)).toEqual([]);

		// And after a restart.
		await dispatcher.close();
		open.splice(open.indexOf(dispatcher), 1);
		const again = await startTestDispatcher({ dataFile: dispatcher.dataFile });
		open.push(again);
		for (const id of accepted) expect((await again.api.post('/v1/events', eventBody(id))).status).toBe(200);
		console.log(
			`disk full: ${faults.produced.shortWrites} short writes and ${faults.produced.enospc} ENOSPC -> ${refused.length + 1} answers 507, then ${accepted.length} events accepted and delivered`,
		);
	});

	it('a failing disk (EIO on fdatasync): 503, nothing in memory, the same id accepted fresh afterwards', async () => {
		const faults = new FaultyFiles();
		const { receiver, dispatcher, api } = await setUp(faults);
		const webhooksBefore = (await api.get('/v1/webhooks')).body.data.length;

		faults.failSyncs(1);
		const failed = await api.post('/v1/events', eventBody('evt_eio'));
		expect(failed.status, failed.text).toBe(503);
		expect(failed.body.error.code).toBe('storage_unavailable');
		faults.failSyncs(1);
		const hook = await api.post('/v1/webhooks', { name: 'not stored', url: receiver.url, events: ['*'] });
		expect(hook.status, hook.text).toBe(503);
		expect((await api.get('/v1/webhooks')).body.data.length).toBe(webhooksBefore);
		expect((await api.get('/v1/deliveries/summary')).body.total).toBe(0);
		expect(journalLinesParse(dispatcher.dataFile)).toMatchObject({ bad: 0, endsWithNewline: true });
		expect(await eventsOnDisk(dispatcher.dataFile, ['evt_eio'])).toEqual(new Set());
		await new Promise((resolve) => setTimeout(resolve, 300));
		expect(receiver.requests).toHaveLength(0); // nothing was queued for the failed commit

		const again = await api.post('/v1/events', eventBody('evt_eio'));
		expect(again.status, again.text).toBe(202);
		expect(await eventsOnDisk(dispatcher.dataFile, ['evt_eio'])).toEqual(new Set(['evt_eio']));
		expect(await waitForDeliveries(receiver, ['evt_eio'], 10_000)).toEqual([]);
		expect(receiver.requests).toHaveLength(1);
		expect(faults.produced.eio).toBe(2);
	});

	it('a compaction on a full disk fails without losing anything, and the next one succeeds', async () => {
		const faults = new FaultyFiles();
		const target: Receiver = await startReceiver({ status: 503 });
		open.push(target);
		const dispatcher = await startTestDispatcher({ storeFiles: faults, retryScheduleSeconds: Array(20).fill(1) });
		open.push(dispatcher);
		const store = (dispatcher.context.backend as LowdbBackend).store;
		expect((await dispatcher.api.post('/v1/webhooks', { name: 'down', url: target.url, events: ['*'] })).status).toBe(201);
		const accepted: string[] = [];
		for (let i = 0; i < 30; i++) {
			expect((await dispatcher.api.post('/v1/events', eventBody(`evt_compact_${i}`))).status).toBe(202);
			accepted.push(`evt_compact_${i}`);
		}
		await target.waitFor(30);
		await new Promise((resolve) => setTimeout(resolve, 50));

		faults.fillDisk(0);
		const failure = await store.compact().then(
			() => null,
			(error: unknown) => error,
		);
		expect(failure).toBeInstanceOf(StorageError);
		expect((failure as StorageError).full).toBe(true);
		expect(fs.readdirSync(path.dirname(dispatcher.dataFile)).filter((n) => n.endsWith('.tmp'))).toEqual([]);
		expect([...(await eventsOnDisk(dispatcher.dataFile, accepted))].sort()).toEqual([...accepted].sort());

		faults.freeSpace();
		await store.compact();
		const journals = fs.readdirSync(path.dirname(dispatcher.dataFile)).filter((n) => n.includes('.journal.'));
		expect(journals).toHaveLength(1);
		await dispatcher.close();
		open.splice(open.indexOf(dispatcher), 1);

		target.respondWith({ status: 200 });
		const again = await startTestDispatcher({ dataFile: dispatcher.dataFile });
		open.push(again);
		expect(await waitForDeliveries(target, accepted, 10_000)).toEqual([]);
	});
});

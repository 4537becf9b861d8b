/**
 * Issue 8, item 4, at the store: an event nested deeper than `JSON.stringify` can serialise fails
 * its own commit and nothing else (memory untouched, later commits and compactions fine); a record
 * deeper still that is already in a journal cannot break a compaction; the snapshot is compact, so
 * its size follows the data, not the square of its depth. Then the same through a real dispatcher
 * process: whatever it answers for deep events, every 2xx is delivered after a restart and the
 * shutdown compaction succeeds. (The API's own nesting limit is another layer's 4xx.)
 */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../../core/types';
import { UnstorableRecordError } from '../../../server/store/errors';
import { stringifyAtAnyDepth, stringifyIteratively } from '../../../server/store/lowdb/jsonText';
import { LowdbStore } from '../../../server/store/lowdb/LowdbStore';
import { pendingOf } from './helpers';
import { tempDataFile } from '../../helpers/dispatcher';
import { spawnDispatcher, waitForDeliveries } from '../../helpers/dispatcherProcess';
import { startReceiver } from '../../helpers/receiver';
import { eventBody, pendingEvent } from './helpers';

function nested(depth: number): JsonObject {
	let value: JsonObject = { leaf: true };
	for (let i = 0; i < depth; i++) value = { a: value };
	return value;
}

/** `nested(depth)` as JSON text (the test's own JSON.stringify would overflow too). */
function nestedText(depth: number): string {
	return `${'{"a":'.repeat(depth)}{"leaf":true}${'}'.repeat(depth)}`;
}

function depthOf(value: unknown): number {
	let depth = 0;
	let node = value as Record<string, unknown>;
	while (node.a !== undefined) {
		node = node.a as Record<string, unknown>;
		depth++;
	}
	return depth;
}

describe('deep events at the store', () => {
	it('the iterative serialiser gives exactly what JSON.stringify gives', () => {
		const values: object[] = [
			{ a: 1, b: 'x"\n\u2028', c: [1, null, undefined, () => 1, { d: undefined, e: -0, f: Number.NaN }], g: {}, h: [] },
			[undefined, { toJSON: () => 'json' }, new Date(0)],
			nested(50),
		];
		for (const value of values) expect(stringifyIteratively(value)).toBe(JSON.stringify(value));
		const deep = nested(100_000);
		expect(() => JSON.stringify(deep)).toThrow(RangeError);
		const text = stringifyAtAnyDepth(deep);
		expect(text.length).toBe('{"a":'.length * 100_000 + '{"leaf":true}'.length + 100_000);
		expect(depthOf(JSON.parse(text))).toBe(100_000);
	});

	it('a 5,000-deep event fails its own commit only: nothing in memory, nothing on disk, compaction fine', async () => {
		const file = tempDataFile();
		const store = new LowdbStore({ file });
		await store.open();
		const first = pendingEvent('evt_ok_1', { device: { id: 'd1' } });
		await store.accept(first.event, first.deliveries);
		const journal = `${file}.journal.0`;
		const before = fs.readFileSync(journal, 'utf8');

		const deep = pendingEvent('evt_deep', nested(5000));
		await expect(store.accept(deep.event, deep.deliveries)).rejects.toThrow(UnstorableRecordError);
		expect(await store.getEvent('evt_deep')).toBeUndefined();
		expect(await store.getDelivery('msg_evt_deep')).toBeUndefined();
		expect(fs.readFileSync(journal, 'utf8')).toBe(before);

		const second = pendingEvent('evt_ok_2', { device: { id: 'd2' } });
		await store.accept(second.event, second.deliveries);
		await store.close();
		const reopened = new LowdbStore({ file });
		await reopened.open();
		expect((await pendingOf(reopened)).map((d) => d.eventId)).toEqual(['evt_ok_1', 'evt_ok_2']);
		await reopened.close();
	});

	it('a journal record deeper than JSON.stringify can go does not break compaction, and the snapshot stays compact', async () => {
		const file = tempDataFile();
		const store = new LowdbStore({ file });
		await store.open();
		const ok = pendingEvent('evt_ok', { device: { id: 'd' } });
		await store.accept(ok.event, ok.deliveries);
		await store.close(); // snapshot generation 1, journal 1 empty
		// A 100,000-deep event in the journal (JSON.parse reads any depth; stringify cannot).
		const deep = pendingEvent('evt_very_deep', { marker: true });
		const line = JSON.stringify({ op: 'event', event: deep.event, deliveries: deep.deliveries }).replace(
			'{"marker":true}',
			nestedText(100_000),
		);
		fs.appendFileSync(`${file}.journal.1`, `${line}\n`);

		const reopened = new LowdbStore({ file });
		await reopened.open();
		expect(depthOf((await reopened.getEvent('evt_very_deep'))?.data)).toBe(100_000);
		await reopened.compact();
		await reopened.close();
		const snapshotBytes = fs.statSync(file).size;
		expect(snapshotBytes).toBeLessThan(line.length + 4096);

		const third = new LowdbStore({ file });
		await third.open();
		expect(depthOf((await third.getEvent('evt_very_deep'))?.data)).toBe(100_000);
		expect((await pendingOf(third)).map((d) => d.eventId).sort()).toEqual(['evt_ok', 'evt_very_deep']);
		await third.close();
		console.log(`deep record: a 100,000-deep event (${line.length} bytes of journal) compacted into a ${snapshotBytes}-byte snapshot`);
	});
});

describe('deep events through a dispatcher process', () => {
	it('whatever the answers for 3,000- and 5,000-deep events, every 2xx is delivered and compaction survives', async () => {
		const receiver = await startReceiver({ status: 503 });
		const dataFile = tempDataFile();
		let dispatcher = await spawnDispatcher(dataFile);
		expect((await dispatcher.api.post('/v1/webhooks', { name: 'deep', url: receiver.url, events: ['*'] })).status).toBe(201);
		const accepted = new Set<string>();
		const answers: Record<string, number> = {};
		const post = async (id: string, body: string) => {
			const answer = await dispatcher.api.request('POST', '/v1/events', undefined, body);
			answers[id] = answer.status;
			expect(answer.status, `${id}: ${answer.text.slice(0, 300)}`).toBeLessThan(500);
			if (answer.status === 202) accepted.add(id);
		};
		await post('evt_before', JSON.stringify(eventBody('evt_before')));
		for (const depth of [3000, 5000]) {
			const id = `evt_deep_${depth}`;
			const body = JSON.stringify({ ...eventBody(id), data: { ...eventBody(id).data, extra: 'DEEP' } });
			await post(id, body.replace('"DEEP"', nestedText(depth)));
		}
		await post('evt_after', JSON.stringify(eventBody('evt_after')));
		expect(accepted.has('evt_before') && accepted.has('evt_after')).toBe(true);

		expect(await dispatcher.stop('SIGTERM'), dispatcher.output()).toBe(0); // the shutdown compaction
		expect(fs.statSync(dataFile).size).toBeLessThan(200_000); // compact, not depth²
		receiver.respondWith({ status: 200 });
		dispatcher = await spawnDispatcher(dataFile);
		const missing = await waitForDeliveries(receiver, accepted);
		console.log(`deep events: answers ${JSON.stringify(answers)}; ${accepted.size} accepted, ${missing.length} missing after restart`);
		expect(missing).toEqual([]);
		expect(await dispatcher.stop('SIGTERM'), dispatcher.output()).toBe(0);
		await receiver.close();
	}, 60_000);
});

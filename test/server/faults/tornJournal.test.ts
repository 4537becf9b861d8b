/**
 * Issue 8, item 1: a journal whose last line was torn (a crash in the middle of a write) must not
 * glue the next record onto the fragment. Real dispatcher processes, killed with SIGKILL; the
 * journal is torn by hand between the kill and the restart, two ways: bytes cut off its end, and
 * the start of a record appended (what a write the crash interrupted leaves). After each restart
 * more events are accepted, the process is killed again, and in the end every event answered
 * 202 is delivered to a loopback receiver. The webhook is paused until then, so that the journal
 * ends with the last event written (no attempt records after it).
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDataFile } from '../../helpers/dispatcher';
import { type DispatcherProcess, spawnDispatcher, waitForDeliveries } from '../../helpers/dispatcherProcess';
import { startReceiver } from '../../helpers/receiver';
import { eventBody, journalLinesParse } from './helpers';

function lastJournal(dataFile: string): string {
	const dir = path.dirname(dataFile);
	const names = fs.readdirSync(dir).filter((name) => /\.journal\.\d+$/.test(name));
	const newest = names.sort((a, b) => Number(a.split('.').pop()) - Number(b.split('.').pop())).pop();
	if (!newest) throw new Error('no journal');
	return path.join(dir, newest);
}

async function postEvents(dispatcher: DispatcherProcess, prefix: string, count: number, accepted: Set<string>) {
	for (let i = 0; i < count; i++) {
		const answer = await dispatcher.api.post('/v1/events', eventBody(`${prefix}_${i}`));
		expect(answer.status, answer.text).toBe(202);
		accepted.add(`${prefix}_${i}`);
	}
}

describe('torn journal tail', () => {
	it('cuts a torn tail off at restart, so every event accepted after it survives the next crash', async () => {
		const receiver = await startReceiver({ status: 200 });
		const dataFile = tempDataFile();
		let dispatcher = await spawnDispatcher(dataFile);
		const hook = await dispatcher.api.post('/v1/webhooks', { name: 'torn', url: receiver.url, events: ['*'], enabled: false });
		expect(hook.status, hook.text).toBe(201);
		const accepted = new Set<string>();
		await postEvents(dispatcher, 'evt_a', 10, accepted);
		await dispatcher.stop('SIGKILL');

		// Tear 1: cut 9 bytes off the end. The last line is the last event's: that write is the
		// one the "crash" tore, so it counts as never acknowledged.
		const journal = lastJournal(dataFile);
		const text = fs.readFileSync(journal, 'utf8');
		const lastLine = JSON.parse(text.trimEnd().split('\n').pop() as string);
		expect(lastLine).toMatchObject({ op: 'event', event: { id: 'evt_a_9' } });
		accepted.delete('evt_a_9');
		fs.truncateSync(journal, Buffer.byteLength(text) - 9);

		dispatcher = await spawnDispatcher(dataFile);
		expect(dispatcher.output()).toMatch(/cut a torn tail of \d+ bytes/);
		await postEvents(dispatcher, 'evt_b', 10, accepted);
		await dispatcher.stop('SIGKILL');
		expect(journalLinesParse(dataFile)).toMatchObject({ bad: 0, endsWithNewline: true });

		// Tear 2: the start of a record that was being written when the process died.
		const fragment = '{"op":"event","event":{"id":"evt_never_acknowledged","type":"dev';
		fs.appendFileSync(lastJournal(dataFile), fragment);
		dispatcher = await spawnDispatcher(dataFile);
		expect(dispatcher.output()).toContain(`cut a torn tail of ${fragment.length} bytes`);
		await postEvents(dispatcher, 'evt_c', 10, accepted);
		await dispatcher.stop('SIGKILL');
		expect(journalLinesParse(dataFile)).toMatchObject({ bad: 0, endsWithNewline: true });

		// Every 202 is there after the last crash: resume the webhook and see them arrive.
		dispatcher = await spawnDispatcher(dataFile);
		for (const id of accepted) expect((await dispatcher.api.post('/v1/events', eventBody(id))).status, id).toBe(200);
		expect((await dispatcher.api.patch(`/v1/webhooks/${hook.body.id}`, { enabled: true })).status).toBe(200);
		const missing = await waitForDeliveries(receiver, accepted);
		console.log(`torn journal: ${accepted.size} events got 202 across 3 SIGKILLs and 2 torn tails, ${missing.length} missing`);
		expect(missing).toEqual([]);
		expect(await dispatcher.stop('SIGTERM')).toBe(0);
		await receiver.close();
	}, 60_000);
});

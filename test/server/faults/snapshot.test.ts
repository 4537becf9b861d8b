/**
 * Issue 8, item 6: a snapshot that cannot be read (`null`, `{}`, empty, truncated JSON, missing
 * beside journals or an archive) makes the dispatcher refuse to start: exit 1, a message naming
 * the file and the fault, no port opened, and not a byte of the data folder changed. Put the
 * snapshot back and everything that was accepted is delivered. A fresh folder still starts empty;
 * files are created 0600; a folder open to others gets one warning line.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDataFile } from '../../helpers/dispatcher';
import { spawnDispatcher, spawnRefused, waitForDeliveries } from '../../helpers/dispatcherProcess';
import { type Receiver, startReceiver } from '../../helpers/receiver';
import { eventBody } from './helpers';

/** Every file under `dir` and its bytes. */
function contents(dir: string): Map<string, string> {
	const files = new Map<string, string>();
	for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
		if (!entry.isFile()) continue;
		const file = path.join(entry.parentPath, entry.name);
		files.set(path.relative(dir, file), fs.readFileSync(file).toString('base64'));
	}
	return files;
}

/** A copy of the pristine folder; returns the data file inside it. */
function copyOf(dataFile: string): string {
	const copy = tempDataFile();
	fs.cpSync(path.dirname(dataFile), path.dirname(copy), { recursive: true });
	return copy;
}

let receiver: Receiver;
/** A folder after a clean stop: snapshot (generation 1), archive, an empty journal. */
let compacted: string;
/** A folder after a SIGKILL before any compaction: the first snapshot and journal 0. */
let crashed: string;
let pausedHookId: string;
const accepted: string[] = [];

beforeAll(async () => {
	receiver = await startReceiver({ status: 200 });
	compacted = tempDataFile();
	const dispatcher = await spawnDispatcher(compacted);
	// One webhook delivers (finished deliveries go to the archive), one is paused (pending ones
	// stay in the snapshot).
	expect((await dispatcher.api.post('/v1/webhooks', { name: 'live', url: receiver.url, events: ['*'] })).status).toBe(201);
	const paused = await dispatcher.api.post('/v1/webhooks', { name: 'paused', url: receiver.url, events: ['*'], enabled: false });
	expect(paused.status).toBe(201);
	pausedHookId = paused.body.id;
	for (let i = 0; i < 10; i++) {
		expect((await dispatcher.api.post('/v1/events', eventBody(`evt_snap_${i}`))).status).toBe(202);
		accepted.push(`evt_snap_${i}`);
	}
	expect(await waitForDeliveries(receiver, accepted, 10_000)).toEqual([]);
	expect(await dispatcher.stop('SIGTERM')).toBe(0);
	// One day file (with its binary index and the symbols beside it).
	expect(fs.readdirSync(`${compacted}.logs`).filter((name) => /^\d{4}-\d{2}-\d{2}\.jsonl$/.test(name)).length).toBe(1);

	crashed = tempDataFile();
	const second = await spawnDispatcher(crashed);
	expect((await second.api.post('/v1/webhooks', { name: 'x', url: receiver.url, events: ['*'], enabled: false })).status).toBe(201);
	await second.stop('SIGKILL');
}, 60_000);

afterAll(async () => {
	await receiver.close();
});

describe('a snapshot that cannot be read', () => {
	const cases: [string, (file: string) => void, RegExp][] = [
		['null', (file) => fs.writeFileSync(file, 'null'), /holds null, not a snapshot object/],
		['{}', (file) => fs.writeFileSync(file, '{}'), /has no `version`/],
		['an empty file', (file) => fs.writeFileSync(file, ''), /is empty/],
		['truncated JSON', (file) => fs.truncateSync(file, Math.floor(fs.statSync(file).size / 2)), /is not valid JSON/],
		['a collection that is not an array', (file) => fs.writeFileSync(file, JSON.stringify({ ...JSON.parse(fs.readFileSync(file, 'utf8')), webhooks: null })), /`webhooks` is missing or not an array/],
		['missing beside journals and an archive', (file) => fs.rmSync(file), /is missing but 1 journal file\(s\) and a delivery log archive .* exist beside it/],
	];
	for (const [name, damage, fault] of cases) {
		it(`refuses to start when it is ${name}, and changes nothing`, async () => {
			const dataFile = copyOf(compacted);
			damage(dataFile);
			const before = contents(path.dirname(dataFile));
			const refused = await spawnRefused(dataFile);
			expect(refused.code, refused.output).toBe(1);
			expect(refused.listened).toBe(false);
			expect(refused.output).toContain(dataFile);
			expect(refused.output).toMatch(fault);
			expect(refused.output).toMatch(/refusing to start over existing data|snapshot/);
			expect(contents(path.dirname(dataFile))).toEqual(before);
		});
	}

	it('refuses a missing snapshot after a SIGKILL before any compaction too', async () => {
		const dataFile = copyOf(crashed);
		fs.rmSync(dataFile);
		const refused = await spawnRefused(dataFile);
		expect(refused.code).toBe(1);
		expect(refused.output).toMatch(/is missing but 1 journal file\(s\) exist beside it; refusing to start over existing data/);
	});

	it('starts with everything once the snapshot is back, and delivers what was pending', async () => {
		const dataFile = copyOf(compacted);
		const good = fs.readFileSync(dataFile);
		fs.writeFileSync(dataFile, 'null');
		expect((await spawnRefused(dataFile)).code).toBe(1);
		fs.writeFileSync(dataFile, good);
		const dispatcher = await spawnDispatcher(dataFile);
		expect((await dispatcher.api.get('/v1/webhooks')).body.data).toHaveLength(2);
		expect((await dispatcher.api.get('/v1/deliveries/summary')).body).toMatchObject({ total: 20, succeeded: 10, failed: 0, pending: 10 });
		expect((await dispatcher.api.patch(`/v1/webhooks/${pausedHookId}`, { enabled: true })).status).toBe(200);
		const deadline = Date.now() + 10_000;
		let summary = (await dispatcher.api.get('/v1/deliveries/summary')).body;
		while (summary.succeeded < 20 && Date.now() < deadline) {
			await new Promise((resolve) => setTimeout(resolve, 50));
			summary = (await dispatcher.api.get('/v1/deliveries/summary')).body;
		}
		expect(summary).toMatchObject({ total: 20, succeeded: 20, failed: 0, pending: 0 });
		expect(await dispatcher.stop('SIGTERM')).toBe(0);
	});
});

describe('the data folder', () => {
	it('a fresh folder starts empty, with files private to their user', async () => {
		const dataFile = tempDataFile();
		const dispatcher = await spawnDispatcher(dataFile);
		expect((await dispatcher.api.get('/v1/webhooks')).body.data).toEqual([]);
		expect((await dispatcher.api.post('/v1/webhooks', { name: 'y', url: receiver.url, events: ['*'] })).status).toBe(201);
		expect((await dispatcher.api.post('/v1/events', eventBody('evt_mode'))).status).toBe(202);
		expect(await waitForDeliveries(receiver, ['evt_mode'], 10_000)).toEqual([]);
		expect(await dispatcher.stop('SIGTERM')).toBe(0);
		expect(dispatcher.output()).not.toContain('warning');
		const dir = path.dirname(dataFile);
		const modes: Record<string, string> = {};
		for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
			const file = path.join(entry.parentPath, entry.name);
			modes[path.relative(dir, file)] = (fs.statSync(file).mode & 0o777).toString(8);
		}
		expect(Object.keys(modes).length).toBeGreaterThanOrEqual(4); // snapshot, journal, .logs, a day file
		for (const [name, mode] of Object.entries(modes)) {
			expect(`${name} ${mode}`).toBe(`${name} ${fs.statSync(path.join(dir, name)).isDirectory() ? '700' : '600'}`);
		}
	});

	it('warns once when the folder is open to group or others', async () => {
		const dataFile = tempDataFile();
		fs.chmodSync(path.dirname(dataFile), 0o755);
		const dispatcher = await spawnDispatcher(dataFile);
		expect(await dispatcher.stop('SIGTERM')).toBe(0);
		const warnings = dispatcher.output().split('\n').filter((line) => line.includes('warning'));
		expect(warnings).toEqual([`warning: data folder ${path.dirname(dataFile)} is open to group or others (mode 755); it holds webhook secrets: chmod 700 it`]);
	});
});

/**
 * Issue 8, item 2, on a real full disk: a dispatcher process whose data folder is on a small tmpfs
 * that a filler file takes up. The kernel's own short writes and `ENOSPC` must give `507
 * storage_full` (never 202, never 500), leave whole journal lines only, survive a shutdown whose
 * compaction cannot write and a restart on the full disk, and recover once the filler is deleted;
 * every 202 is then delivered. Needs root (mount); skipped with the reason printed otherwise.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type DispatcherProcess, spawnDispatcher, waitForDeliveries } from '../../helpers/dispatcherProcess';
import { startReceiver } from '../../helpers/receiver';
import { eventBody, journalLinesParse } from './helpers';

function mountTmpfs(): { dir: string } | { reason: string } {
	if (process.platform !== 'linux') return { reason: 'not Linux' };
	if (process.getuid?.() !== 0) return { reason: 'not running as root (mount needs it)' };
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mdm-tmpfs-'));
	const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=1m,mode=0700', 'tmpfs', dir], { encoding: 'utf8' });
	if (mounted.status !== 0) {
		fs.rmdirSync(dir);
		return { reason: `mount -t tmpfs failed: ${(mounted.stderr || mounted.error?.message || '').trim()}` };
	}
	return { dir };
}

const mount = mountTmpfs();
if ('reason' in mount) console.log(`tmpfs disk-full test skipped: ${mount.reason}`);

let running: DispatcherProcess | null = null;

afterAll(async () => {
	await running?.stop('SIGKILL');
	if ('dir' in mount) {
		spawnSync('umount', [mount.dir]);
		fs.rmdirSync(mount.dir);
	}
});

function freeBytes(dir: string): number {
	const stats = fs.statfsSync(dir);
	return stats.bavail * stats.bsize;
}

describe.runIf('dir' in mount)('a real full disk (tmpfs)', () => {
	it('answers 507 while full, loses no 202 through a failed shutdown and a restart, and recovers', async () => {
		const root = (mount as { dir: string }).dir;
		const dataFile = path.join(root, 'data', 'dispatcher.json');
		const filler = path.join(root, 'filler');
		const receiver = await startReceiver({ status: 200 });
		let dispatcher: DispatcherProcess = await spawnDispatcher(dataFile);
		running = dispatcher;
		const hook = await dispatcher.api.post('/v1/webhooks', { name: 'tmpfs', url: receiver.url, events: ['*'], enabled: false });
		expect(hook.status, hook.text).toBe(201);

		const accepted = new Set<string>();
		const tally: Record<number, number> = {};
		const post = async (id: string) => {
			const answer = await dispatcher.api.post('/v1/events', eventBody(id));
			tally[answer.status] = (tally[answer.status] ?? 0) + 1;
			expect([202, 507], `${id}: ${answer.status} ${answer.text}`).toContain(answer.status);
			if (answer.status === 202) accepted.add(id);
			else expect(answer.body.error.code).toBe('storage_full');
			return answer.status;
		};
		for (let i = 0; i < 10; i++) expect(await post(`evt_tmpfs_a_${i}`)).toBe(202);

		// Leave two pages: a few more events fit, then writes come up short and fail.
		fs.writeFileSync(filler, Buffer.alloc(Math.max(0, freeBytes(root) - 8192)));
		let refused = 0;
		for (let i = 0; i < 40; i++) if ((await post(`evt_tmpfs_b_${i}`)) === 507) refused++;
		expect(refused).toBeGreaterThan(20);
		expect(journalLinesParse(dataFile)).toMatchObject({ bad: 0, endsWithNewline: true });

		// A shutdown on the full disk: its compaction cannot write the snapshot. Nothing is lost.
		expect(await dispatcher.stop('SIGTERM')).toBe(1);
		expect(dispatcher.output()).toMatch(/no space left on device/i);
		expect(fs.readdirSync(path.dirname(dataFile)).filter((name) => name.endsWith('.tmp'))).toEqual([]);

		// A restart on the still-full disk starts with everything, and still answers 507.
		dispatcher = await spawnDispatcher(dataFile);
		running = dispatcher;
		for (const id of accepted) expect((await dispatcher.api.post('/v1/events', eventBody(id))).status, id).toBe(200);
		expect(await post('evt_tmpfs_c_0')).toBe(507);

		// Space returns: accepted again, and everything accepted is delivered.
		fs.rmSync(filler);
		for (let i = 1; i < 10; i++) expect(await post(`evt_tmpfs_c_${i}`)).toBe(202);
		expect((await dispatcher.api.patch(`/v1/webhooks/${hook.body.id}`, { enabled: true })).status).toBe(200);
		const missing = await waitForDeliveries(receiver, accepted);
		console.log(`tmpfs full: answers ${JSON.stringify(tally)}; ${accepted.size} accepted, ${missing.length} missing`);
		expect(missing).toEqual([]);
		expect(await dispatcher.stop('SIGTERM')).toBe(0);
		await receiver.close();
	}, 90_000);
});

/**
 * Acceptance: three dispatchers (separate processes) on one PostgreSQL. Events posted round-robin
 * are each delivered once; a `kill -9` of one under load loses nothing it answered 202 (its leased
 * deliveries are taken over once the lease runs out) and repeats only what it had in flight; a
 * 5/s webhook gets at most 5/s plus its burst over all three; a PATCH through one instance stops
 * the others within a second; one event id posted to two at once is one event. And the database
 * itself: unreachable at start → a clear message and exit 1; lost at runtime → 503 (never 202),
 * then everything resumes.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { getEventType } from '../../core';
import { tempDataFile } from '../helpers/dispatcher';
import { type DispatcherProcess, spawnDispatcher, spawnRefused } from '../helpers/dispatcherProcess';
import { createTestDatabase, postgresAdminUrl } from '../helpers/postgres';
import { type ReceivedRequest, type Receiver, startReceiver } from '../helpers/receiver';
import { startTcpProxy } from '../helpers/tcpProxy';

const receivers: Receiver[] = [];
afterAll(async () => {
	await Promise.all(receivers.map((r) => r.close()));
});

const data = getEventType('device.enrolled')?.sample;
const LEASE_SECONDS = 2;

async function cluster(count: number, databaseUrl?: string): Promise<DispatcherProcess[]> {
	const url = databaseUrl ?? (await createTestDatabase());
	// The first one migrates the new database; the others start together.
	const env = { DISPATCHER_DATABASE_URL: url, DISPATCHER_LEASE_SECONDS: String(LEASE_SECONDS) };
	const first = await spawnDispatcher(tempDataFile(), { env });
	const rest = await Promise.all(Array.from({ length: count - 1 }, () => spawnDispatcher(tempDataFile(), { env })));
	return [first, ...rest];
}

async function receiver(...args: Parameters<typeof startReceiver>): Promise<Receiver> {
	const started = await startReceiver(...args);
	receivers.push(started);
	return started;
}

/**
 * A config change made through one instance reaches the others by NOTIFY within milliseconds;
 * an event another instance routes in that window still sees the configuration before it.
 */
async function seenByAll(nodes: DispatcherProcess[], webhookId: string): Promise<void> {
	await until(
		async () => {
			const lists = await Promise.all(nodes.map((node) => node.api.get('/v1/webhooks')));
			return lists.every((list) => list.body.data.some((w: { id: string }) => w.id === webhookId));
		},
		5000,
		'the webhook on every instance',
	);
}

/** The event id in each request's body, and how often each delivery (webhook-id) arrived. */
function tally(requests: ReceivedRequest[]) {
	const events = new Set<string>();
	const perDelivery = new Map<string, number>();
	for (const request of requests) {
		events.add((JSON.parse(request.body) as { id: string }).id);
		const id = String(request.headers['webhook-id']);
		perDelivery.set(id, (perDelivery.get(id) ?? 0) + 1);
	}
	return { events, perDelivery, duplicates: [...perDelivery].filter(([, n]) => n > 1).map(([id]) => id) };
}

async function until(condition: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!(await condition())) {
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
}

describe('three dispatchers on one PostgreSQL', () => {
	it('delivers events posted round-robin each once; a kill -9 under load loses nothing answered 202', async () => {
		const nodes = await cluster(3);
		// Slow answers keep many attempts in flight, so the kill cuts some off mid-send.
		const target = await receiver({ status: 200, delayMs: 150 });
		const hook = await nodes[0].api.post('/v1/webhooks', { name: 'scale', url: target.url, events: ['*'] });
		expect(hook.status, hook.text).toBe(201);
		await seenByAll(nodes, hook.body.id);

		// Round-robin, steady: 150 events, each delivered exactly once.
		const first: string[] = [];
		await Promise.all(
			Array.from({ length: 6 }, async (_, worker) => {
				for (let i = worker; i < 150; i += 6) {
					const answer = await nodes[i % 3].api.post('/v1/events', { id: `evt_rr_${i}`, type: 'device.enrolled', data });
					expect(answer.status, answer.text).toBe(202);
					first.push(answer.body.id);
				}
			}),
		);
		await until(() => tally(target.requests).events.size >= 150, 30_000, '150 events delivered');
		await new Promise((resolve) => setTimeout(resolve, 300));
		const steady = tally(target.requests);
		expect(steady.events.size).toBe(150);
		expect(steady.duplicates).toEqual([]);
		expect(target.requests).toHaveLength(150);

		// Under load: keep posting to all three, kill -9 the second one mid-way.
		target.requests.length = 0;
		const accepted = new Set<string>();
		let stop = false;
		let killedAt = Infinity;
		const load = Array.from({ length: 9 }, async (_, worker) => {
			for (let i = 0; !stop; i++) {
				const node = nodes[(worker + i) % 3];
				const id = `evt_kill_${worker}_${i}`;
				try {
					const answer = await node.api.post('/v1/events', { id, type: 'device.enrolled', data });
					if (answer.status === 202) accepted.add(id);
				} catch {
					// the killed instance: connection refused or reset
				}
			}
		});
		await new Promise((resolve) => setTimeout(resolve, 800));
		await nodes[1].stop('SIGKILL');
		// Once its exit is seen, the process (and its send thread) can send nothing more.
		killedAt = Date.now();
		await new Promise((resolve) => setTimeout(resolve, 600));
		stop = true;
		await Promise.all(load);
		expect(accepted.size).toBeGreaterThan(50);

		// The survivors take over what the dead one had claimed once its lease runs out.
		await until(() => [...accepted].every((id) => tally(target.requests).events.has(id)), 30_000, 'every 202 delivered');
		const after = tally(target.requests);
		const missing = [...accepted].filter((id) => !after.events.has(id));
		expect(missing).toEqual([]);
		// A repeat is only what the killed process had sent and not recorded: its first copy
		// arrived before the process was gone (plus the receiver's answer delay).
		const firstArrival = new Map<string, number>();
		for (const request of target.requests) {
			const id = String(request.headers['webhook-id']);
			if (!firstArrival.has(id)) firstArrival.set(id, request.receivedAtMs);
		}
		for (const id of after.duplicates) expect(firstArrival.get(id) ?? Infinity).toBeLessThanOrEqual(killedAt + 50);
		console.log(
			`scale-out: 150 round-robin events delivered once; under load ${accepted.size} got 202, 0 missing after kill -9, ` +
				`${after.duplicates.length} repeated (in flight at the kill)`,
		);
		await Promise.all([nodes[0].stop('SIGTERM'), nodes[2].stop('SIGTERM')]);
	}, 90_000);

	it('shares one rate limit, one PATCH and one idempotency key between instances', async () => {
		const nodes = await cluster(3);
		const limited = await receiver({ status: 200 });
		const hook = await nodes[0].api.post('/v1/webhooks', {
			name: 'limited',
			url: limited.url,
			events: ['device.online'],
			rateLimitPerSecond: 5,
		});
		expect(hook.status, hook.text).toBe(201);
		await seenByAll(nodes, hook.body.id);
		const online = getEventType('device.online')?.sample;
		const posted = await Promise.all(
			Array.from({ length: 30 }, (_, i) => nodes[i % 3].api.post('/v1/events', { type: 'device.online', data: online })),
		);
		expect(posted.every((answer) => answer.status === 202)).toBe(true);
		await limited.waitFor(30, 20_000);
		// Over any window of T seconds: at most the burst (5) plus 5 per second, all instances together.
		const times = limited.requests.map((r) => r.receivedAtMs).sort((a, b) => a - b);
		let worst = 0;
		for (let i = 0; i < times.length; i++) {
			for (let j = i; j < times.length; j++) {
				const allowed = 5 + (5 * (times[j] - times[i])) / 1000;
				worst = Math.max(worst, j - i + 1 - allowed);
			}
		}
		// Arrival times are taken in this (busy) test process: allow a few tokens of timing noise.
		expect(worst).toBeLessThanOrEqual(3);
		const spread = (times[times.length - 1] - times[0]) / 1000;
		expect(spread).toBeGreaterThanOrEqual(4.5); // 30 at 5/s after a burst of 5: 5 s
		console.log(`scale-out: 30 deliveries to a 5/s webhook over 3 instances took ${spread.toFixed(2)} s`);

		// PATCH enabled:false through A: B and C send nothing more after a second.
		const paused = await receiver({ status: 200 });
		const pausedHook = await nodes[0].api.post('/v1/webhooks', { name: 'paused', url: paused.url, events: ['device.offline'] });
		await seenByAll(nodes, pausedHook.body.id);
		const offline = getEventType('device.offline')?.sample;
		let streaming = true;
		const stream = (async () => {
			for (let i = 0; streaming; i++) {
				await nodes[1 + (i % 2)].api.post('/v1/events', { type: 'device.offline', data: offline });
				await new Promise((resolve) => setTimeout(resolve, 20));
			}
		})();
		await paused.waitFor(10, 10_000);
		const patch = await nodes[0].api.patch(`/v1/webhooks/${pausedHook.body.id}`, { enabled: false });
		expect(patch.status, patch.text).toBe(200);
		const patchedAt = Date.now();
		await new Promise((resolve) => setTimeout(resolve, 1500));
		streaming = false;
		await stream;
		const late = paused.requests.filter((r) => r.receivedAtMs > patchedAt + 1000);
		expect(late).toEqual([]);
		const waiting = await nodes[2].api.get(`/v1/deliveries/summary?webhookId=${pausedHook.body.id}`);
		expect(waiting.body.pending).toBeGreaterThan(0);
		// Enabled again through C: every waiting delivery goes out.
		await nodes[2].api.patch(`/v1/webhooks/${pausedHook.body.id}`, { enabled: true });
		await until(
			async () => (await nodes[1].api.get(`/v1/deliveries/summary?webhookId=${pausedHook.body.id}`)).body.pending === 0,
			15_000,
			'paused deliveries sent after enabling',
		);
		expect(new Set(paused.requests.map((r) => r.headers['webhook-id'])).size).toBe(waiting.body.total);

		// The same event id posted to A and B at once: one event, one delivery.
		const same = await receiver({ status: 200 });
		const sameHook = await nodes[0].api.post('/v1/webhooks', { name: 'same-id', url: same.url, events: ['device.locked'] });
		await seenByAll(nodes, sameHook.body.id);
		const locked = getEventType('device.locked')?.sample;
		for (let i = 0; i < 10; i++) {
			const body = { id: `evt_twice_${i}`, type: 'device.locked', data: locked };
			const [a, b] = await Promise.all([nodes[0].api.post('/v1/events', body), nodes[1].api.post('/v1/events', body)]);
			expect([a.status, b.status].sort()).toEqual([200, 202]);
			expect(a.body).toEqual(b.body);
		}
		await same.waitFor(10, 10_000);
		await new Promise((resolve) => setTimeout(resolve, 500));
		expect(same.requests).toHaveLength(10);
		await Promise.all(nodes.map((node) => node.stop('SIGTERM')));
	}, 90_000);
});

describe('PostgreSQL unreachable or lost', () => {
	it('refuses to start with a clear message (password masked) and exit code 1', async () => {
		const { code, output, listened } = await spawnRefused(tempDataFile(), {
			DISPATCHER_DATABASE_URL: 'postgres://dispatcher:s3cret-pw@127.0.0.1:1/mdm',
		});
		expect(listened).toBe(false);
		expect(code).toBe(1);
		expect(output).toContain('cannot connect to PostgreSQL at postgres://dispatcher:***@127.0.0.1:1/mdm');
		expect(output).not.toContain('s3cret-pw');
	});

	it('answers 503 (never 202) while the database is gone, then resumes and loses nothing', async () => {
		const url = new URL(await createTestDatabase());
		const proxy = await startTcpProxy(Number(new URL(postgresAdminUrl()).port));
		url.port = String(proxy.port);
		try {
			const [node] = await cluster(1, url.toString());
			const target = await receiver({ status: 200 });
			await node.api.post('/v1/webhooks', { name: 'outage', url: target.url, events: ['device.reboot'] });
			const reboot = getEventType('device.reboot')?.sample;
			const before = await node.api.post('/v1/events', { type: 'device.reboot', data: reboot });
			expect(before.status).toBe(202);
			await target.waitFor(1);

			proxy.cut();
			const during = await Promise.all(
				Array.from({ length: 5 }, (_, i) => node.api.post('/v1/events', { id: `evt_outage_${i}`, type: 'device.reboot', data: reboot })),
			);
			expect(during.map((answer) => answer.status)).toEqual([503, 503, 503, 503, 503]);
			expect(during[0].body.error.code).toBe('store_unavailable');
			expect(during[0].text).not.toContain('postgres://');
			// Without an id too (nothing to look up first: the write itself fails).
			expect((await node.api.post('/v1/events', { type: 'device.reboot', data: reboot })).status).toBe(503);

			proxy.restore();
			await until(async () => (await node.api.post('/v1/events', { id: 'evt_outage_0', type: 'device.reboot', data: reboot })).status === 202, 15_000, 'ingest to resume');
			const after = await node.api.post('/v1/events', { type: 'device.reboot', data: reboot });
			expect(after.status).toBe(202);
			await target.waitFor(3, 15_000);
			const delivered = new Set(target.requests.map((r) => (JSON.parse(r.body) as { id: string }).id));
			expect([...delivered].sort()).toEqual([before.body.id, 'evt_outage_0', after.body.id].sort());
			expect(node.output()).toMatch(/backing off|resuming/);
			await node.stop('SIGTERM');
		} finally {
			await proxy.close();
		}
	}, 60_000);
});

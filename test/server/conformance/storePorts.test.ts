/**
 * The store ports' conformance suite: the same tests against the lowdb backend and against a real
 * PostgreSQL (no mocks). What one backend guarantees, the other must too; where they differ by
 * design (a lease expires only where several processes share the queue) the test says so.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ConflictError, NotFoundError } from '../../../server/domain/errors';
import type { AttemptUpdate, DeliveryRecord, EventRecord, WebhookRecord } from '../../../server/domain/records';
import { openBackend } from '../../../server/store/openBackend';
import type { StoreBackend } from '../../../server/store/ports/backend';
import { tempDataFile } from '../../helpers/dispatcher';
import { createTestDatabase } from '../../helpers/postgres';

const opened: StoreBackend[] = [];
afterEach(async () => {
	await Promise.all(opened.splice(0).map((backend) => backend.close()));
});

async function open(kind: 'lowdb' | 'postgres', databaseUrl?: string): Promise<StoreBackend> {
	const backend = await openBackend({
		databaseUrl: kind === 'postgres' ? (databaseUrl ?? (await createTestDatabase())) : null,
		dataFile: tempDataFile(),
		syncWrites: false,
	});
	opened.push(backend);
	return backend;
}

const T0 = Date.parse('2026-11-22T10:00:00.000Z');
const at = (ms: number) => new Date(T0 + ms).toISOString();

function webhook(id: string, name: string, extra: Partial<WebhookRecord> = {}): WebhookRecord {
	return {
		id,
		name,
		description: '',
		template: 'custom',
		url: 'https://example.com/hook',
		method: 'POST',
		timeoutSeconds: 30,
		enabled: true,
		disabledReason: null,
		auth: { type: 'none' },
		signing: { scheme: 'standard', secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' },
		headers: {},
		events: ['*'],
		rateLimitPerSecond: null,
		failingSince: null,
		createdAt: at(0),
		updatedAt: at(0),
		...extra,
	};
}

function eventWith(n: number, webhookIds: string[], createdMs = n, dueMs = -60_000): { event: EventRecord; deliveries: DeliveryRecord[] } {
	const createdAt = at(createdMs);
	const deliveries: DeliveryRecord[] = webhookIds.map((webhookId, k) => ({
		id: `msg_${n}_${k}`,
		eventId: `evt_${n}`,
		eventType: n % 2 === 0 ? 'device.online' : 'device.offline',
		webhookId,
		profileId: null,
		status: 'pending',
		responseCode: null,
		attemptCount: 0,
		createdAt,
		lastAttemptAt: null,
		nextAttemptAt: new Date(Date.now() + dueMs).toISOString(),
		attempts: [],
		request: null,
	}));
	return {
		event: {
			id: `evt_${n}`,
			type: deliveries[0]?.eventType ?? 'device.online',
			timestamp: createdAt,
			data: { device: { id: `d${n}` } },
			receivedAt: createdAt,
			deliveries: deliveries.map(({ id, webhookId, profileId }) => ({ id, webhookId, profileId })),
		},
		deliveries,
	};
}

function attempt(deliveryId: string, statusCode: number, status: AttemptUpdate['status'], nextAttemptAt: string | null = null): AttemptUpdate {
	return {
		deliveryId,
		attempt: { at: new Date().toISOString(), statusCode, durationMs: 1.5, error: null, response: `answer ${statusCode}` },
		status,
		nextAttemptAt,
		request: { method: 'POST', url: 'https://example.com/hook', headers: { 'webhook-id': deliveryId }, body: '{}' },
	};
}

describe.each(['lowdb', 'postgres'] as const)('store ports: %s', (kind) => {
	describe('config store', () => {
		it('keeps webhook and profile names unique (trimmed, any case) by its own rule', async () => {
			const { config } = await open(kind);
			await config.createWebhook(webhook('wh_a', 'Alerts'));
			await expect(config.createWebhook(webhook('wh_b', '  alerts '))).rejects.toBeInstanceOf(ConflictError);
			await config.createWebhook(webhook('wh_b', 'Other'));
			const clash = await config.updateWebhook('wh_b', { name: 'ALERTS' }).catch((error: unknown) => error);
			expect(clash).toBeInstanceOf(ConflictError);
			expect((clash as ConflictError).details).toEqual([{ path: '/name', message: 'name is already used by webhook wh_a' }]);
			// Renaming frees the old name.
			await config.updateWebhook('wh_a', { name: 'Renamed' });
			await config.createWebhook(webhook('wh_c', 'alerts'));
			expect((await config.listWebhooks()).map((w) => w.name).sort()).toEqual(['Other', 'Renamed', 'alerts']);

			const profile = { id: 'prf_1', name: 'P', description: '', events: ['*'], condition: null, webhookIds: ['wh_a'], payload: null, enabled: true, createdAt: at(0), updatedAt: at(0) };
			await config.createProfile(profile);
			await expect(config.createProfile({ ...profile, id: 'prf_2', name: 'p ' })).rejects.toBeInstanceOf(ConflictError);
			await expect(config.updateProfile('prf_x', { description: 'x' })).rejects.toBeInstanceOf(NotFoundError);
			expect(await config.updateProfile('prf_1', { description: 'changed' })).toMatchObject({ name: 'P', description: 'changed', events: ['*'] });
		});

		it('gives back every field of a webhook it was given, the optional ones too', async () => {
			const { config } = await open(kind);
			const record = webhook('wh_full', 'Full', { headers: { 'X-Tenant': 'acme' }, nonSecretHeaders: ['X-Tenant'] });
			await config.createWebhook(record);
			expect(await config.getWebhook('wh_full')).toEqual(record);
			expect(await config.updateWebhook('wh_full', { nonSecretHeaders: [] })).toEqual({ ...record, nonSecretHeaders: [] });
		});

		it('writes only the fields an update names: a PATCH does not undo a disable made meanwhile', async () => {
			const { config } = await open(kind);
			await config.createWebhook(webhook('wh_a', 'A'));
			await config.disableWebhook('wh_a', 'gone', at(5));
			const after = await config.updateWebhook('wh_a', { description: 'edited', url: 'https://example.org/new', updatedAt: at(6) });
			expect(after).toMatchObject({ enabled: false, disabledReason: 'gone', description: 'edited', url: 'https://example.org/new' });
			expect(await config.getWebhook('wh_a')).toEqual(after);
		});

		it('starts a failing streak once, and clears it', async () => {
			const { config } = await open(kind);
			await config.createWebhook(webhook('wh_a', 'A'));
			expect(await config.markFailing('wh_a', at(1))).toBe(at(1));
			expect(await config.markFailing('wh_a', at(2))).toBe(at(1));
			await config.clearFailing('wh_a');
			expect((await config.getWebhook('wh_a'))?.failingSince).toBeNull();
			expect(await config.markFailing('wh_missing', at(3))).toBeNull();
		});

		it('stores the API key hash', async () => {
			const { config } = await open(kind);
			expect((await config.getMeta()).apiKeyHash).toBeNull();
			await config.setApiKeyHash('ab'.repeat(32));
			expect((await config.getMeta()).apiKeyHash).toBe('ab'.repeat(32));
		});
	});

	describe('delivery queue', () => {
		it('accepts an event id once: the second accept gets the first event back', async () => {
			const { config, queue } = await open(kind);
			await config.createWebhook(webhook('wh_a', 'A'));
			const first = eventWith(1, ['wh_a']);
			expect((await queue.accept(first.event, first.deliveries)).accepted).toBe(true);
			const again = eventWith(1, ['wh_a']);
			again.deliveries[0].id = 'msg_other';
			again.event.deliveries[0].id = 'msg_other';
			const second = await queue.accept(again.event, again.deliveries);
			expect(second.accepted).toBe(false);
			expect(second.event.deliveries.map((d) => d.id)).toEqual(['msg_1_0']);
		});

		it('accepts many events at once (one group commit): each id once, each event whole, repeats get the first', async () => {
			const { config, queue, log } = await open(kind);
			await config.createWebhook(webhook('wh_a', 'A'));
			await config.createWebhook(webhook('wh_b', 'B'));
			const first = eventWith(7, ['wh_a']);
			await queue.accept(first.event, first.deliveries);
			// 60 at once: 0..49 new (two webhooks each), then 7 and 10..19 again with other delivery ids.
			const batch = [
				...Array.from({ length: 50 }, (_, n) => (n === 7 ? null : eventWith(n, ['wh_a', 'wh_b']))),
				...[7, ...Array.from({ length: 10 }, (_, i) => 10 + i)].map((n) => {
					const again = eventWith(n, ['wh_a']);
					again.deliveries[0].id = `msg_repeat_${n}`;
					again.event.deliveries[0].id = `msg_repeat_${n}`;
					again.event.data = { repeated: true };
					return again;
				}),
			].filter((x): x is NonNullable<typeof x> => x !== null);
			const outcomes = await Promise.all(batch.map(({ event, deliveries }) => queue.accept(event, deliveries)));
			const newIds = new Set(Array.from({ length: 50 }, (_, n) => `evt_${n}`).filter((id) => id !== 'evt_7'));
			outcomes.forEach((outcome, i) => {
				const sent = batch[i].event;
				const repeat = sent.data.repeated === true;
				expect(outcome.accepted, sent.id).toBe(!repeat && newIds.has(sent.id));
				// A repeat answers with the first event stored under its id, whichever batch it was in.
				if (repeat) expect(outcome.event.deliveries[0].id).toBe(`msg_${sent.id.slice('evt_'.length)}_0`);
			});
			for (const n of [0, 13, 49]) {
				const stored = await log.getEvent(`evt_${n}`);
				expect(stored?.data).toEqual(eventWith(n, ['wh_a', 'wh_b']).event.data);
				expect(stored?.deliveries.map((d) => d.id)).toEqual([`msg_${n}_0`, `msg_${n}_1`]);
			}
			const claimed = await queue.claim('worker-1', 500, 30_000);
			expect(claimed.map((c) => c.delivery.id).sort()).toEqual(
				['msg_7_0', ...[...newIds].flatMap((id) => [`msg_${id.slice(4)}_0`, `msg_${id.slice(4)}_1`])].sort(),
			);
		});

		it('claims each due delivery once, with a lease; skips disabled webhooks until enabled', async () => {
			const { config, queue } = await open(kind);
			await config.createWebhook(webhook('wh_a', 'A'));
			await config.createWebhook(webhook('wh_off', 'Off', { enabled: false, disabledReason: 'manual' }));
			for (let n = 0; n < 10; n++) {
				const { event, deliveries } = eventWith(n, ['wh_a', 'wh_off']);
				await queue.accept(event, deliveries);
			}
			const later = eventWith(99, ['wh_a'], 99, 60_000);
			await queue.accept(later.event, later.deliveries);

			const [a, b] = await Promise.all([queue.claim('owner-a', 6, 30_000), queue.claim('owner-b', 6, 30_000)]);
			const ids = [...a, ...b].map((c) => c.delivery.id);
			expect(new Set(ids).size).toBe(ids.length);
			expect(ids.sort()).toEqual(Array.from({ length: 10 }, (_, n) => `msg_${n}_0`).sort());
			expect([...a, ...b].every((c) => c.event.id === c.delivery.eventId && c.event.data.device !== undefined)).toBe(true);
			expect(await queue.claim('owner-c', 10, 30_000)).toEqual([]);

			await config.updateWebhook('wh_off', { enabled: true, disabledReason: null });
			const resumed = await queue.claim('owner-c', 20, 30_000);
			expect(resumed.map((c) => c.delivery.webhookId)).toEqual(Array(10).fill('wh_off'));
			// What is left is due later: the event an hour away (and, where leases expire, the claims).
			const next = await queue.nextDueAt();
			expect(next).not.toBeNull();
			expect(next as number).toBeGreaterThan(Date.now() + 20_000);
		});

		it('records attempts: retry at a time, success, failure; defer and release put work back', async () => {
			const { config, queue, log } = await open(kind);
			await config.createWebhook(webhook('wh_a', 'A'));
			for (let n = 0; n < 3; n++) {
				const { event, deliveries } = eventWith(n, ['wh_a']);
				await queue.accept(event, deliveries);
			}
			const claimed = await queue.claim('w', 10, 30_000);
			expect(claimed).toHaveLength(3);
			await queue.record(attempt('msg_0_0', 500, 'pending', new Date(Date.now() + 200).toISOString()));
			await queue.record(attempt('msg_1_0', 200, 'succeeded'));
			await queue.defer('msg_2_0', new Date(Date.now() - 1).toISOString());
			expect((await queue.claim('w', 10, 30_000)).map((c) => c.delivery.id)).toEqual(['msg_2_0']);
			await queue.release('w');
			expect((await queue.claim('w2', 10, 30_000)).map((c) => c.delivery.id)).toEqual(['msg_2_0']);
			await new Promise((resolve) => setTimeout(resolve, 250));
			const retried = await queue.claim('w3', 10, 30_000);
			expect(retried.map((c) => c.delivery.id)).toEqual(['msg_0_0']);
			expect(retried[0].delivery).toMatchObject({ attemptCount: 1, responseCode: 500, status: 'pending' });

			const done = await log.getDelivery('msg_1_0');
			expect(done).toMatchObject({ status: 'succeeded', attemptCount: 1, responseCode: 200 });
			expect(done?.attempts).toEqual([expect.objectContaining({ statusCode: 200, response: 'answer 200' })]);
			expect(done?.request?.headers['webhook-id']).toBe('msg_1_0');
		});

		it('replays finished deliveries with the same id, and wakes the workers', async () => {
			const { config, queue, log } = await open(kind);
			await config.createWebhook(webhook('wh_a', 'A'));
			const { event, deliveries } = eventWith(1, ['wh_a']);
			await queue.accept(event, deliveries);
			await queue.claim('w', 1, 30_000);
			await queue.record(attempt('msg_1_0', 400, 'failed'));
			let woken = 0;
			const off = queue.onWork(() => woken++);
			const requeued = await queue.requeue(['msg_1_0', 'msg_missing'], new Date().toISOString());
			off();
			expect(requeued.map((d) => d.id)).toEqual(['msg_1_0']);
			expect(woken).toBeGreaterThan(0);
			expect((await log.getDelivery('msg_1_0'))?.status).toBe('pending');
			expect(await queue.requeue(['msg_1_0'], new Date().toISOString())).toEqual([]);
			expect((await queue.claim('w', 5, 30_000)).map((c) => c.delivery.id)).toEqual(['msg_1_0']);
		});

		it('deleting a webhook fails its pending deliveries', async () => {
			const { config, queue, log } = await open(kind);
			await config.createWebhook(webhook('wh_a', 'A'));
			const { event, deliveries } = eventWith(1, ['wh_a']);
			await queue.accept(event, deliveries);
			await config.deleteWebhook('wh_a');
			await expect(config.deleteWebhook('wh_a')).rejects.toBeInstanceOf(NotFoundError);
			const failed = await log.getDelivery('msg_1_0');
			expect(failed).toMatchObject({ status: 'failed', attemptCount: 1 });
			expect(failed?.attempts[0].error).toBe('webhook deleted');
			expect(await queue.claim('w', 5, 30_000)).toEqual([]);
		});

		it.runIf(kind === 'postgres')('takes over a delivery whose lease expired (its owner died)', async () => {
			const { config, queue } = await open(kind);
			await config.createWebhook(webhook('wh_a', 'A'));
			const { event, deliveries } = eventWith(1, ['wh_a']);
			await queue.accept(event, deliveries);
			expect(await queue.claim('dead', 5, 200)).toHaveLength(1);
			expect(await queue.claim('alive', 5, 30_000)).toHaveLength(0);
			await new Promise((resolve) => setTimeout(resolve, 300));
			expect((await queue.claim('alive', 5, 30_000)).map((c) => c.delivery.id)).toEqual(['msg_1_0']);
		});
	});

	describe('delivery log', () => {
		it('filters, pages newest first with a cursor, summarises and prunes', async () => {
			const { config, queue, log } = await open(kind);
			await config.createWebhook(webhook('wh_a', 'A'));
			await config.createWebhook(webhook('wh_b', 'B'));
			for (let n = 0; n < 12; n++) {
				const { event, deliveries } = eventWith(n, ['wh_a', 'wh_b'], n * 1000);
				await queue.accept(event, deliveries);
			}
			const claimed = await queue.claim('w', 100, 30_000);
			expect(claimed).toHaveLength(24);
			for (let n = 0; n < 12; n++) {
				await queue.record(attempt(`msg_${n}_0`, 200, 'succeeded'));
				if (n < 6) await queue.record(attempt(`msg_${n}_1`, 422, 'failed'));
			}
			const none = { timeout: 0, connection_refused: 0, network: 0, http_4xx: 0, http_5xx: 0, other: 0 };
			const summary = await log.summarizeDeliveries({});
			expect(summary).toMatchObject({ total: 24, succeeded: 12, failed: 6, pending: 6, failuresByClass: { ...none, http_4xx: 6 } });
			expect(summary.byWebhook).toEqual([
				{ webhookId: 'wh_a', total: 12, succeeded: 12, failed: 0, pending: 0, failuresByClass: none },
				{ webhookId: 'wh_b', total: 12, succeeded: 0, failed: 6, pending: 6, failuresByClass: { ...none, http_4xx: 6 } },
			]);
			expect(await log.summarizeDeliveries({ webhookId: 'wh_b' })).toMatchObject({ total: 12, succeeded: 0, failed: 6, pending: 6 });
			expect(await log.summarizeDeliveries({ from: at(10_000) })).toMatchObject({ total: 4, succeeded: 2, failed: 0, pending: 2 });
			// One event's deliveries, with the other filters, paged and summarised.
			expect((await log.queryDeliveries({ eventId: 'evt_3' }, 50, null)).data.map((d) => d.id).sort()).toEqual(['msg_3_0', 'msg_3_1']);
			expect((await log.queryDeliveries({ eventId: 'evt_3', status: 'failed' }, 50, null)).data.map((d) => d.id)).toEqual(['msg_3_1']);
			const first = await log.queryDeliveries({ eventId: 'evt_3' }, 1, null);
			expect(first.nextCursor).not.toBeNull();
			const second = await log.queryDeliveries({ eventId: 'evt_3' }, 1, first.nextCursor);
			expect([...first.data, ...second.data].map((d) => d.id).sort()).toEqual(['msg_3_0', 'msg_3_1']);
			expect(second.nextCursor).toBeNull();
			expect((await log.queryDeliveries({ eventId: 'evt_none' }, 50, null)).data).toEqual([]);
			expect(await log.summarizeDeliveries({ eventId: 'evt_3' })).toMatchObject({ total: 2, succeeded: 1, failed: 1, failuresByClass: { http_4xx: 1 } });

			const seen: string[] = [];
			let cursor: string | null = null;
			do {
				const page = await log.queryDeliveries({ webhookId: 'wh_a' }, 5, cursor);
				seen.push(...page.data.map((d) => d.id));
				cursor = page.nextCursor;
			} while (cursor !== null);
			expect(seen).toEqual(Array.from({ length: 12 }, (_, n) => `msg_${11 - n}_0`));

			const failed = await log.queryDeliveries({ status: 'failed', responseCode: 422, eventType: 'device.online' }, 50, null);
			expect(failed.data.map((d) => d.id)).toEqual(['msg_4_1', 'msg_2_1', 'msg_0_1']);
			expect((await log.queryDeliveries({ requestId: 'msg_3_1' }, 50, null)).data.map((d) => d.id)).toEqual(['msg_3_1']);
			expect((await log.queryDeliveries({ requestId: 'msg_3_1', status: 'pending' }, 50, null)).data).toEqual([]);
			expect((await log.queryDeliveries({ webhookId: 'wh_never' }, 50, null)).data).toEqual([]);
			const window = await log.queryDeliveries({ from: at(2000), to: at(3000), webhookId: 'wh_b' }, 50, null);
			expect(window.data.map((d) => d.id)).toEqual(['msg_3_1', 'msg_2_1']);

			await log.prune(at(6000));
			// Finished deliveries created before the cutoff are gone; pending ones stay, whatever their age.
			expect(await log.summarizeDeliveries({})).toMatchObject({ total: 12, succeeded: 6, failed: 0, pending: 6 });
			expect(await log.getEvent('evt_0')).toBeUndefined();
			expect(await log.getDelivery('msg_0_0')).toBeUndefined();
			expect(await log.getEvent('evt_6')).toBeDefined();
		});
	});

	describe('queue stats', () => {
		it('counts pending deliveries and knows the oldest', async () => {
			const { config, queue } = await open(kind);
			await config.createWebhook(webhook('wh_a', 'A'));
			expect(await queue.pendingStats()).toEqual({ pending: 0, oldestCreatedAt: null });
			for (let n = 0; n < 3; n++) {
				const { event, deliveries } = eventWith(n, ['wh_a'], n * 1000);
				await queue.accept(event, deliveries);
			}
			const stats = await queue.pendingStats();
			expect(stats.pending).toBe(3);
			expect(Date.parse(String(stats.oldestCreatedAt))).toBe(Date.parse(at(0)));
			await queue.claim('w', 1, 30_000);
			await queue.record(attempt('msg_0_0', 200, 'succeeded'));
			expect((await queue.pendingStats()).pending).toBe(2);
		});
	});

	describe('rate limiter', () => {
		it('gives a burst of max(1, rate) tokens, books within the horizon, then takes nothing', async () => {
			const { rateLimiter } = await open(kind);
			const now = await Promise.all([rateLimiter.book('wh_rate', 2, 1000), rateLimiter.book('wh_rate', 2, 1000)]);
			expect(now).toEqual([{ reserved: true, waitMs: 0 }, { reserved: true, waitMs: 0 }]);
			const soon = await rateLimiter.book('wh_rate', 2, 1000);
			expect(soon.reserved).toBe(true);
			expect(soon.waitMs).toBeGreaterThan(400);
			expect(soon.waitMs).toBeLessThanOrEqual(500);
			const later = await rateLimiter.book('wh_rate', 2, 1000);
			expect(later.reserved).toBe(true);
			expect(later.waitMs).toBeGreaterThan(900);
			// Two tokens in debt: the next one is 1.5 s away, beyond the horizon: nothing taken, and
			// each refusal gets its own slot to come back at, 1/rate apart.
			const refused = await rateLimiter.book('wh_rate', 2, 1000);
			expect(refused.reserved).toBe(false);
			expect(refused.waitMs).toBeGreaterThan(400);
			expect(refused.waitMs).toBeLessThanOrEqual(500);
			const next = await rateLimiter.book('wh_rate', 2, 1000);
			expect(next.reserved).toBe(false);
			expect(next.waitMs - refused.waitMs).toBeGreaterThan(450);
			expect(next.waitMs - refused.waitMs).toBeLessThanOrEqual(500);
		});
	});
});

describe('PostgreSQL backend: one database, two stores', () => {
	it('shares config changes between instances through NOTIFY', async () => {
		const url = await createTestDatabase();
		const a = await open('postgres', url);
		const b = await open('postgres', url);
		const seen = new Promise<void>((resolve) => b.config.onChange((change) => change.id === 'wh_a' && resolve()));
		await a.config.createWebhook(webhook('wh_a', 'A'));
		await seen;
		expect((await b.config.getWebhook('wh_a'))?.name).toBe('A');
		const disabled = new Promise<void>((resolve) =>
			b.config.onChange(() => void b.config.getWebhook('wh_a').then((w) => w && !w.enabled && resolve())),
		);
		await a.config.updateWebhook('wh_a', { enabled: false, disabledReason: 'manual' });
		await disabled;
		await expect(b.config.createWebhook(webhook('wh_b', 'a'))).rejects.toBeInstanceOf(ConflictError);
	});
});

/**
 * Operable: a real dispatcher process (`dist/server/main.js`) with JSON logs on stdout, failing,
 * gone and healthy loopback receivers. The log lines are read from the process's own output, the
 * metrics scraped over HTTP and parsed as Prometheus does, the operational events taken from
 * what the receivers got: a failing webhook logs every failed attempt and ends in
 * `delivery.exhausted`; a 410 disables its webhook and `webhook.disabled` reaches the webhook a
 * profile routes it to, never the one it is about; no secret shows up anywhere.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getEventType } from '../../core';
import { type Json, TEST_API_KEY, tempDataFile } from '../helpers/dispatcher';
import { type DispatcherProcess, spawnDispatcher } from '../helpers/dispatcherProcess';
import { metricValue, parsePrometheus } from '../helpers/prometheus';
import { type Receiver, startReceiver } from '../helpers/receiver';

const METRICS_TOKEN = 'metrics-scrape-token-5f3b9c2a';
const BEARER = 'dest-bearer-token-7c1d44ea09';
const PASSWORD = 'dest-basic-password-3e8f21b6';

let dispatcher: DispatcherProcess;
let failing: Receiver;
let gone: Receiver;
let ops: Receiver;
const secrets: string[] = [TEST_API_KEY, METRICS_TOKEN, BEARER, PASSWORD];

beforeAll(async () => {
	// The failing receiver echoes the credentials it was sent: they must not travel on into logs.
	failing = await startReceiver();
	failing.replyWith((request) => ({ status: 500, body: `upstream broke; you sent ${String(request.headers.authorization)}` }));
	gone = await startReceiver({ status: 410, body: 'this endpoint was removed' });
	ops = await startReceiver();
	dispatcher = await spawnDispatcher(tempDataFile(), {
		env: {
			DISPATCHER_LOG_LEVEL: 'info',
			DISPATCHER_LOG_FORMAT: 'json',
			DISPATCHER_METRICS_TOKEN: METRICS_TOKEN,
			DISPATCHER_RETRY_SCHEDULE: '0.2,0.2',
		},
	});
});
afterAll(async () => {
	await dispatcher?.stop('SIGKILL');
	for (const receiver of [failing, gone, ops]) await receiver?.close();
});

/** The process's JSON log lines so far. */
function logLines(): Json[] {
	return dispatcher
		.output()
		.split('\n')
		.filter((line) => line.startsWith('{'))
		.map((line) => JSON.parse(line) as Json);
}

async function scrape(token = TEST_API_KEY) {
	const response = await fetch(`http://127.0.0.1:${dispatcher.port}/metrics`, { headers: { authorization: `Bearer ${token}` } });
	const text = await response.text();
	return { status: response.status, type: response.headers.get('content-type'), text, samples: response.ok ? parsePrometheus(text) : [] };
}

/** Operational events a receiver got, parsed (custom template bodies are the envelope). */
function operationalEvents(receiver: Receiver): Json[] {
	return receiver.requests
		.map((request) => JSON.parse(request.body) as Json)
		.filter((event) => getEventType(event.type)?.category === 'operational');
}

async function until<T>(what: string, probe: () => T | undefined, timeoutMs = 20_000): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = probe();
		if (value !== undefined) return value;
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; output:\n${dispatcher.output()}`);
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
}

describe('a failing receiver, a 410 and an operations webhook, through a real dispatcher process', () => {
	const hooks: Record<string, Json> = {};
	let failingDelivery = '';
	let goneDelivery = '';
	let before: Awaited<ReturnType<typeof scrape>>;

	beforeAll(async () => {
		const create = async (body: Json) => {
			const answer = await dispatcher.api.post('/v1/webhooks', { template: 'custom', ...body });
			expect(answer.status, answer.text).toBe(201);
			secrets.push(answer.body.signing.secret);
			return answer.body;
		};
		hooks.failing = await create({ name: 'Failing', url: failing.url, events: ['device.enrolled'], auth: { type: 'bearer', token: BEARER } });
		hooks.gone = await create({ name: 'Gone', url: gone.url, events: ['device.locked'], auth: { type: 'basic', username: 'mdm', password: PASSWORD } });
		hooks.ops = await create({ name: 'On-call', url: ops.url });
		// Every operational event to all three: each must still skip the webhook it is about.
		const profile = await dispatcher.api.post('/v1/profiles', {
			name: 'Webhook trouble',
			events: ['webhook.failing', 'webhook.recovered', 'webhook.disabled', 'delivery.exhausted'],
			webhookIds: [hooks.ops.id, hooks.failing.id, hooks.gone.id],
		});
		expect(profile.status, profile.text).toBe(201);

		before = await scrape();
		const enrolled = await dispatcher.api.post('/v1/events', { type: 'device.enrolled', data: getEventType('device.enrolled')!.sample });
		const locked = await dispatcher.api.post('/v1/events', { type: 'device.locked', data: getEventType('device.locked')!.sample });
		expect([enrolled.status, locked.status]).toEqual([202, 202]);
		failingDelivery = enrolled.body.deliveries[0].id;
		goneDelivery = locked.body.deliveries[0].id;
		await dispatcher.api.waitForDelivery(failingDelivery, 20_000);
		// On-call hears of it: the failing webhook, the disabled one, both deliveries given up.
		await until('four operational events at the on-call receiver', () => (operationalEvents(ops).length >= 4 ? true : undefined));
	});

	it('logs start, one line per failed attempt with the next attempt, the exhausted delivery and the disable', () => {
		const lines = logLines();
		const started = lines.find((line) => line.event === 'dispatcher.started');
		expect(started).toMatchObject({
			level: 'info',
			url: `http://127.0.0.1:${dispatcher.port}`,
			msg: expect.stringContaining('listening on'),
		});
		const failed = lines.filter((line) => line.event === 'delivery.attempt_failed' && line.deliveryId === failingDelivery);
		expect(failed.map((line) => [line.attempt, line.statusCode, line.failureClass, line.webhookId])).toEqual([
			[1, 500, 'http_5xx', hooks.failing.id],
			[2, 500, 'http_5xx', hooks.failing.id],
			[3, 500, 'http_5xx', hooks.failing.id],
		]);
		expect(failed.map((line) => line.level)).toEqual(['warn', 'warn', 'warn']);
		// The retry is 0.2 s ±20 % after the attempt (the line itself is written once the attempt is stored).
		expect(Date.parse(failed[0].nextAttemptAt)).toBeGreaterThan(Date.parse(started.time));
		expect(Date.parse(failed[1].time)).toBeGreaterThanOrEqual(Date.parse(failed[0].nextAttemptAt) - 50);
		expect(failed[2].nextAttemptAt).toBeNull();
		expect(failed[0].msg).toMatch(/failed \(attempt 1\): HTTP 500; next attempt at /);
		expect(lines.find((line) => line.event === 'delivery.exhausted' && line.deliveryId === failingDelivery)).toMatchObject({
			level: 'error',
			attempts: 3,
			statusCode: 500,
			webhookName: 'Failing',
		});
		expect(lines.find((line) => line.event === 'webhook.failing' && line.webhookId === hooks.failing.id)).toBeDefined();
		expect(lines.find((line) => line.event === 'webhook.disabled')).toMatchObject({
			level: 'warn',
			webhookId: hooks.gone.id,
			reason: 'gone',
			statusCode: 410,
			msg: expect.stringContaining('410 Gone'),
		});
	});

	it('routes webhook.disabled and delivery.exhausted to the on-call webhook, never to the webhook they are about', async () => {
		const events = operationalEvents(ops);
		const disabled = events.find((event) => event.type === 'webhook.disabled');
		expect(disabled.data).toMatchObject({
			webhook: { id: hooks.gone.id, name: 'Gone', template: 'custom', host: '127.0.0.1' },
			reason: 'gone',
			failure: { class: 'http_4xx', statusCode: 410 },
		});
		const exhausted = events.find((event) => event.type === 'delivery.exhausted' && event.data.webhook.id === hooks.failing.id);
		expect(exhausted.data).toMatchObject({
			delivery: { id: failingDelivery, eventType: 'device.enrolled', attemptCount: 3 },
			failure: { class: 'http_5xx', statusCode: 500 },
		});
		expect(events.find((event) => event.type === 'webhook.failing')?.data.webhook.id).toBe(hooks.failing.id);
		expect(events.find((event) => event.type === 'delivery.exhausted' && event.data.webhook.id === hooks.gone.id)?.data.delivery.id).toBe(
			goneDelivery,
		);
		// Each operational event is stored and findable like any event, with its deliveries.
		const stored = await dispatcher.api.get(`/v1/events/${disabled.id}`);
		expect(stored.status).toBe(200);
		expect(stored.body.deliveries.map((delivery: Json) => delivery.webhookId).sort()).toEqual([hooks.failing.id, hooks.ops.id].sort());
		expect((await dispatcher.api.get(`/v1/deliveries?eventId=${disabled.id}`)).body.data).toHaveLength(2);

		// webhook.disabled once, though attempts to it ran side by side.
		expect(events.filter((event) => event.type === 'webhook.disabled' && event.data.webhook.id === hooks.gone.id)).toHaveLength(1);
		// The disabled webhook got its device event (and whatever was in flight with it), never news
		// about itself, and nothing once disabled; the failing one got news of the other, none about itself.
		expect(JSON.parse(gone.requests[0].body).type).toBe('device.locked');
		expect(operationalEvents(gone).filter((event) => event.data.webhook.id === hooks.gone.id)).toEqual([]);
		const seen = gone.requests.length;
		await new Promise((resolve) => setTimeout(resolve, 800));
		expect(gone.requests).toHaveLength(seen);
		expect(operationalEvents(failing).filter((event) => event.data.webhook.id === hooks.failing.id)).toEqual([]);
		await until('news of the gone webhook at the failing receiver', () =>
			operationalEvents(failing).some((event) => event.data.webhook.id === hooks.gone.id) ? true : undefined,
		);
		expect((await dispatcher.api.get(`/v1/webhooks/${hooks.gone.id}`)).body).toMatchObject({ enabled: false, disabledReason: 'gone' });
	});

	it('an admin pausing a webhook emits webhook.disabled (manual)', async () => {
		const paused = await dispatcher.api.patch(`/v1/webhooks/${hooks.failing.id}`, { enabled: false });
		expect(paused.status).toBe(200);
		const manual = await until('webhook.disabled (manual)', () =>
			operationalEvents(ops).find((event) => event.type === 'webhook.disabled' && event.data.reason === 'manual'),
		);
		expect(manual.data.webhook.id).toBe(hooks.failing.id);
	});

	it('moves the metrics: ingest, attempts by outcome and class, finished deliveries, histograms, queue, webhooks', async () => {
		const now = await scrape();
		expect(now.status).toBe(200);
		expect(now.type).toMatch(/^text\/plain; version=0\.0\.4/);
		const delta = (name: string, labels: Record<string, string> = {}) =>
			metricValue(now.samples, name, labels) - metricValue(before.samples, name, labels);
		expect(delta('mdm_dispatcher_events_ingested_total', { source: 'api' })).toBe(2);
		expect(delta('mdm_dispatcher_delivery_attempts_total', { outcome: 'retry', failure_class: 'http_5xx' })).toBeGreaterThanOrEqual(2);
		expect(delta('mdm_dispatcher_delivery_attempts_total', { outcome: 'failed', failure_class: 'http_5xx' })).toBeGreaterThanOrEqual(1);
		expect(delta('mdm_dispatcher_delivery_attempts_total', { outcome: 'gone', failure_class: 'http_4xx' })).toBeGreaterThanOrEqual(1);
		expect(delta('mdm_dispatcher_delivery_attempts_total', { outcome: 'succeeded', failure_class: 'none' })).toBeGreaterThanOrEqual(4);
		expect(delta('mdm_dispatcher_deliveries_total', { outcome: 'failed' })).toBeGreaterThanOrEqual(2);
		expect(delta('mdm_dispatcher_deliveries_total', { outcome: 'succeeded' })).toBeGreaterThanOrEqual(4);
		expect(delta('mdm_dispatcher_delivery_attempt_duration_seconds_count')).toBe(delta('mdm_dispatcher_delivery_attempts_total'));
		expect(delta('mdm_dispatcher_store_commit_duration_seconds_count')).toBeGreaterThan(0);
		expect(delta('mdm_dispatcher_operational_events_total', { type: 'webhook.disabled' })).toBeGreaterThanOrEqual(1);
		expect(metricValue(now.samples, 'mdm_dispatcher_webhooks', { state: 'gone' })).toBe(1);
		expect(metricValue(now.samples, 'mdm_dispatcher_webhooks', { state: 'enabled' })).toBe(1);
		expect(now.samples.some((sample) => sample.name === 'mdm_dispatcher_queue_depth')).toBe(true);
		expect(now.samples.some((sample) => sample.name === 'mdm_dispatcher_queue_oldest_pending_age_seconds')).toBe(true);
		expect(metricValue(now.samples, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
		// Bounded: no label holds an id, a URL or a name.
		for (const sample of now.samples) {
			for (const value of Object.values(sample.labels)) expect(value).not.toMatch(/^(wh|msg|evt|prf)_|\/\/|Failing|On-call/);
		}
		const series = new Set(now.samples.filter((s) => s.name.startsWith('mdm_dispatcher_')).map((s) => `${s.name}${JSON.stringify(s.labels)}`));
		expect(series.size).toBeLessThan(200);
	});

	it('/metrics needs the API key or the metrics token', async () => {
		expect((await scrape(METRICS_TOKEN)).status).toBe(200);
		expect((await scrape('not-the-token')).status).toBe(401);
		const anonymous = await fetch(`http://127.0.0.1:${dispatcher.port}/metrics`);
		expect(anonymous.status).toBe(401);
		// The metrics token opens nothing else.
		const other = await fetch(`http://127.0.0.1:${dispatcher.port}/v1/webhooks`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
		expect(other.status).toBe(401);
	});

	it('no secret appears in the logs or the metrics; stop is logged', async () => {
		const metrics = (await scrape()).text;
		expect(await dispatcher.stop('SIGTERM')).toBe(0);
		const output = dispatcher.output();
		expect(logLines().find((line) => line.event === 'dispatcher.stopped')).toBeDefined();
		expect(secrets.length).toBe(7);
		for (const secret of secrets) {
			expect(output).not.toContain(secret);
			expect(metrics).not.toContain(secret);
			// Nor its base64 part alone.
			expect(output).not.toContain(secret.replace(/^whsec_/, ''));
		}
		expect(output).not.toContain(Buffer.from(`mdm:${PASSWORD}`).toString('base64'));
	});
});

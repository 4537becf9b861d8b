#!/usr/bin/env node
// `npm run bench`: the dispatcher measured against the limit (a bare relay) and against n8n, every
// figure next to a baseline measured in the same run. Prints a progress line while it runs, prints
// the table, and writes docs/performance.md and docs/performance.svg.
//
// Sizes (environment variable or --flag=value; the flag wins):
//   BENCH_EVENTS=20000       events per throughput run (each goes to 3 webhooks)
//   BENCH_CLIENTS=64         concurrent keep-alive client connections
//   BENCH_RATES=300,500      offered rates of the latency runs (events/s)
//   BENCH_LATENCY_SECONDS=10 length of each latency run
//   BENCH_PG_LATENCY_SECONDS=6  length of the PostgreSQL latency runs (at the first rate)
//   BENCH_FSYNC_SAMPLES=1000 2 KiB appends + fdatasync timed in the data folder, back to back and paced (the disk's floor)
//   BENCH_LOG=100000         logged deliveries in the pre-filled store (throughput with a log)
//   BENCH_MILLION=1000000    logged deliveries for the bounded-memory run (start, RSS, queries)
//   BENCH_PG_EVENTS=5000     events per PostgreSQL throughput run (1 and 2 dispatchers)
//   BENCH_N8N_EVENTS=2000    events sent to n8n at most (0 skips n8n)
//   BENCH_N8N_SECONDS=40     …and for at most this long (n8n is slow; see docs/performance.md)
//   BENCH_WARMUP=1000        warm-up events before each measured run
//   BENCH_MICRO_MS=400       time per core micro-benchmark (and as much again for its baseline)
//   BENCH_BUDGET_SECONDS=570 whole-run budget; n8n is installed only within what is left
//   BENCH_PROFILE=1          run the dispatcher with --cpu-prof (profiles in bench/profiles/)
//   BENCH_DISPATCHER_NODE_ARGS='--trace-gc'  extra node flags for the dispatcher (its log is in the work folder)
//   BENCH_MAIN=path/to/server/dist/server/main.js  another build of the dispatcher (A/B comparisons)
//   BENCH_ONLY=a,b           phases to run: micro,disk,relay,dispatcher,log,million,postgres,n8n (default all)
//   BENCH_WRITE=0            do not write docs/
// Quick run: BENCH_EVENTS=2000 BENCH_LOG=10000 BENCH_N8N_EVENTS=200 npm run bench
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeBodies } from './lib/events.mjs';
import { closedLoop, makePool, nowMs, openLoop, percentile } from './lib/load.mjs';
import { runMicro } from './lib/micro.mjs';
import { cpuSeconds, cpuSecondsOfCommand, cpuSplit, forkWithIpc, rssMiB, spawnNode, stopChild } from './lib/proc.mjs';
import { writeReport, formatTable } from './lib/report.mjs';

const T0 = performance.now();
const here = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(here, '..');

// ---------------------------------------------------------------------------------------------
// settings
// ---------------------------------------------------------------------------------------------
const flags = Object.fromEntries(
  process.argv
    .slice(2)
    .filter((a) => a.startsWith('--'))
    .map((a) => {
      const [k, v = '1'] = a.slice(2).split('=');
      return [`BENCH_${k.toUpperCase().replace(/-/g, '_')}`, v];
    }),
);
const setting = (name, fallback) => {
  const raw = flags[name] ?? process.env[name];
  if (raw === undefined || raw === '') return fallback;
  if (typeof fallback === 'number') {
    const n = Number(raw);
    if (!Number.isFinite(n) || n < 0) throw new Error(`${name} must be a non-negative number, got "${raw}"`);
    return n;
  }
  return raw;
};
const cfg = {
  events: setting('BENCH_EVENTS', 20_000),
  clients: setting('BENCH_CLIENTS', 64),
  rates: String(setting('BENCH_RATES', '300,500')).split(',').map(Number).filter((r) => r > 0),
  latencySeconds: setting('BENCH_LATENCY_SECONDS', 10),
  pgLatencySeconds: setting('BENCH_PG_LATENCY_SECONDS', 6),
  fsyncSamples: setting('BENCH_FSYNC_SAMPLES', 1000),
  log: setting('BENCH_LOG', 100_000),
  million: setting('BENCH_MILLION', 1_000_000),
  pgEvents: setting('BENCH_PG_EVENTS', 5_000),
  n8nEvents: setting('BENCH_N8N_EVENTS', 2_000),
  n8nSeconds: setting('BENCH_N8N_SECONDS', 40),
  warmup: setting('BENCH_WARMUP', 1_000),
  microMs: setting('BENCH_MICRO_MS', 400),
  budgetSeconds: setting('BENCH_BUDGET_SECONDS', 570),
  profile: setting('BENCH_PROFILE', '0') === '1',
  dispatcherNodeArgs: setting('BENCH_DISPATCHER_NODE_ARGS', ''),
  main: path.resolve(setting('BENCH_MAIN', path.join(REPO, 'server', 'dist', 'server', 'main.js'))),
  only: new Set(String(setting('BENCH_ONLY', 'micro,disk,relay,dispatcher,log,million,postgres,n8n')).split(',')),
  write: setting('BENCH_WRITE', '1') !== '0',
};
const WEBHOOK_SCHEMES = ['standard', 'scalefusion', 'mender'];
const API_KEY = `bench_${crypto.randomBytes(12).toString('hex')}`;

const elapsed = () => (performance.now() - T0) / 1000;
const progress = (line) => process.stdout.write(`[bench ${elapsed().toFixed(0).padStart(3)}s] ${line}\n`);
const fmt = (n, digits = 0) => (Number.isFinite(n) ? n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }) : 'n/a');

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'mdm-bench-'));
const results = {
  meta: {},
  micro: [],
  throughput: {},
  latency: {},
  memory: {},
  setup: {},
  million: {},
  postgres: {},
  disk: {},
};

// ---------------------------------------------------------------------------------------------
// events
// ---------------------------------------------------------------------------------------------
// ---------------------------------------------------------------------------------------------
// receivers
// ---------------------------------------------------------------------------------------------
let receivers;
async function startReceivers() {
  receivers = await forkWithIpc(path.join(here, 'lib', 'receivers.mjs'), { ...process.env, BENCH_RECEIVERS: '3' });
  receivers.urls = receivers.ready.ports.map((p) => `http://127.0.0.1:${p}`);
  progress(`receivers: ${receivers.urls.join(', ')} (pid ${receivers.child.pid})`);
}

/**
 * Waits until every receiver holds `count()` distinct events (a function: the target may shrink
 * once a time-bounded run knows how many it sent); returns the receivers' counters.
 */
async function waitDelivered(count, timeoutMs, label, live, abandon = () => false) {
  const target = typeof count === 'function' ? count : () => count;
  const deadline = Date.now() + timeoutMs;
  let lastPrint = Date.now();
  for (;;) {
    const c = await receivers.request('count');
    const got = c.counts.reduce((a, b) => a + b, 0);
    const want = target();
    if (c.counts.every((n) => n >= want)) return { ...c, complete: true, got };
    if (Date.now() > deadline || abandon()) return { ...c, complete: false, got };
    if (Date.now() - lastPrint > 2000) {
      lastPrint = Date.now();
      progress(`${label}: ${live ? `${live()}, ` : ''}${fmt(got)}/${fmt(want * c.counts.length)} delivered`);
    }
    await new Promise((r) => setTimeout(r, 25));
  }
}

// ---------------------------------------------------------------------------------------------
// systems under test
// ---------------------------------------------------------------------------------------------
async function startRelay() {
  const { child, match } = await spawnNode(path.join(here, 'lib', 'relay.mjs'), {
    nodeArgs: cfg.profile ? ['--cpu-prof', `--cpu-prof-dir=${path.join(here, 'profiles')}`, `--cpu-prof-name=relay-${Date.now()}.cpuprofile`] : [],
    env: { ...process.env, PORT: '0', RELAY_TARGETS: receivers.urls.map((u) => `${u}/hook`).join(',') },
    logFile: path.join(work, 'relay.log'),
    ready: /listening (\d+)/,
    cwd: REPO,
  });
  const origin = `http://127.0.0.1:${match[1]}`;
  return { name: 'relay', child, pid: child.pid, target: { origin, path: '/v1/events', headers: { 'content-type': 'application/json' }, clients: cfg.clients } };
}

async function startDispatcher(dataFile, label, extraEnv = {}) {
  const nodeArgs = cfg.profile ? ['--cpu-prof', `--cpu-prof-dir=${path.join(here, 'profiles')}`, `--cpu-prof-name=${label}-${Date.now()}.cpuprofile`] : [];
  if (cfg.dispatcherNodeArgs) nodeArgs.push(...cfg.dispatcherNodeArgs.split(' ').filter(Boolean));
  const t = performance.now();
  const { child, match } = await spawnNode(cfg.main, {
    nodeArgs,
    env: {
      ...process.env,
      DISPATCHER_DATA: dataFile,
      DISPATCHER_API_KEY: API_KEY,
      HOST: '127.0.0.1',
      PORT: '0',
      DISPATCHER_ALLOW_HTTP: 'true',
      DISPATCHER_ALLOWED_CIDRS: '127.0.0.0/8',
      DISPATCHER_RETRY_SCHEDULE: '1,2,5',
      ...extraEnv,
    },
    logFile: path.join(path.dirname(dataFile), 'dispatcher.log'),
    ready: /listening on (http:\/\/[^\s"]+)/,
    timeoutMs: 180_000,
    cwd: REPO,
  });
  const origin = match[1];
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${API_KEY}` };
  return {
    name: label,
    child,
    pid: child.pid,
    startMs: performance.now() - t,
    origin,
    target: { origin, path: '/v1/events', headers, clients: cfg.clients },
    async api(method, p, body) {
      const res = await fetch(`${origin}${p}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
      const text = await res.text();
      return { status: res.status, json: text ? JSON.parse(text) : undefined, text };
    },
  };
}

async function createWebhooks(d) {
  const hooks = [];
  for (let i = 0; i < receivers.urls.length; i++) {
    const r = await d.api('POST', '/v1/webhooks', {
      name: `bench receiver ${i + 1}`,
      template: 'custom',
      url: `${receivers.urls[i]}/hook`,
      signing: { scheme: WEBHOOK_SCHEMES[i % WEBHOOK_SCHEMES.length] },
      events: ['*'],
    });
    if (r.status !== 201) throw new Error(`POST /v1/webhooks: ${r.status} ${r.text.slice(0, 300)}`);
    hooks.push(r.json);
  }
  return hooks;
}

// ---------------------------------------------------------------------------------------------
// runs
// ---------------------------------------------------------------------------------------------
async function warmup(sut, tag) {
  if (cfg.warmup <= 0) return;
  const pool = makePool(sut.target);
  const n = cfg.warmup;
  await closedLoop(pool, sut.target, makeBodies(`${tag}-warm`, n));
  await waitDelivered(n, 120_000, `${sut.name} warm-up`);
  await pool.close();
  await receivers.request('reset');
}

/**
 * N events through a closed loop of clients; events/s until the last delivery arrived. With
 * `windowMs`, no event is posted after that long (slow systems): the figure then counts the
 * events sent in the window, all of which must arrive.
 */
async function throughput(sut, tag, count, { timeoutMs = Math.max(120_000, count * 10), windowMs = Infinity } = {}) {
  await receivers.request('reset');
  const pool = makePool(sut.target);
  const bodies = makeBodies(tag, count);
  const cpuOf = () => (sut.pids ?? [sut.pid]).reduce((sum, pid) => sum + cpuSeconds(pid), 0);
  const cpu0 = cpuOf();
  const load0 = cpuSeconds(process.pid) + cpuSeconds(receivers.child.pid);
  const state = { acked: 0 };
  const loop = closedLoop(pool, sut.target, bodies, state, nowMs() + windowMs);
  let accepted = null;
  void loop.then((r) => (accepted = r));
  const c = await waitDelivered(() => accepted?.sent ?? count, timeoutMs, `${sut.name} ${fmt(count)} events`, () => `${fmt(state.acked)}/${fmt(count)} accepted`, () => accepted?.errors > 0);
  const run = accepted ?? (await loop);
  // A refused event never arrives: the figure would be the timeout, not the system.
  if (run.errors > 0) throw new Error(`${sut.name}: ${run.errors} of ${run.sent} events refused, first: ${run.firstError}`);
  await pool.close();
  const sent = run.sent;
  const deliveredAt = c.complete ? c.last : nowMs();
  const seconds = (deliveredAt - run.startMs) / 1000;
  const delivered = c.counts.reduce((a, b) => a + Math.min(b, sent), 0);
  const events = Math.min(...c.counts.map((n) => Math.min(n, sent)));
  const result = {
    events: sent,
    complete: c.complete,
    deliveries: delivered,
    seconds,
    eventsPerSec: events / seconds,
    deliveriesPerSec: delivered / seconds,
    acceptPerSec: (run.ackMs.length / (run.endMs - run.startMs)) * 1000,
    ackP50: percentile(run.ackMs, 50),
    ackP99: percentile(run.ackMs, 99),
    errors: run.errors,
    firstError: run.firstError,
    duplicates: c.duplicates,
    cpuSeconds: cpuOf() - cpu0,
    /** CPU of the clients (this process) and the receivers' process during the run. */
    loadCpuSeconds: cpuSeconds(process.pid) + cpuSeconds(receivers.child.pid) - load0,
  };
  progress(
    `${sut.name}: ${fmt(result.eventsPerSec, result.eventsPerSec < 100 ? 1 : 0)} events/s, ${fmt(result.deliveriesPerSec)} deliveries/s ` +
      `(${fmt(sent)} events in ${result.seconds.toFixed(2)} s; accepted at ${fmt(result.acceptPerSec)}/s, ack p50 ${result.ackP50.toFixed(1)} ms; ` +
      `${result.cpuSeconds.toFixed(1)} CPU-s, clients+receivers ${result.loadCpuSeconds.toFixed(1)} CPU-s${result.errors ? `; ${result.errors} errors: ${result.firstError}` : ''}${c.complete ? '' : '; INCOMPLETE'})`,
  );
  return result;
}

/** A fixed offered rate; latency from each event's scheduled send to each receiver's arrival. */
async function latency(sut, tag, rate, seconds = cfg.latencySeconds) {
  await receivers.request('reset');
  const count = Math.round(rate * seconds);
  const pool = makePool(sut.target);
  const bodies = makeBodies(tag, count);
  progress(`${sut.name}: latency run, ${fmt(count)} events at ${rate}/s…`);
  const cpuOf = () => (sut.pids ?? [sut.pid]).map(cpuSplit).reduce(([u, s], [u1, s1]) => [u + u1, s + s1], [0, 0]);
  const [user0, sys0] = cpuOf();
  const run = await openLoop(pool, sut.target, bodies, rate);
  if (run.errors > 0) throw new Error(`${sut.name}: ${run.errors} of ${count} events refused in the latency run, first: ${run.firstError}`);
  const c = await waitDelivered(count, 60_000, `${sut.name} latency`);
  const [user1, sys1] = cpuOf();
  const cpu = user1 - user0 + (sys1 - sys0);
  await pool.close();
  const dump = await receivers.request('dump');
  const values = [];
  for (const arrivals of dump.arrivals) {
    for (const [id, at] of arrivals) {
      const i = Number(id.slice(id.lastIndexOf('-') + 1));
      if (id.startsWith(`${tag}-`) && run.scheduledMs[i] !== undefined) values.push(at - run.scheduledMs[i]);
    }
  }
  if (process.env.BENCH_TRACE === '1') {
    // Diagnosis: how many of each 250 ms slot's deliveries took over 20 ms, by scheduled time.
    const slots = new Map();
    for (const arrivals of dump.arrivals) {
      for (const [id, at] of arrivals) {
        const i = Number(id.slice(id.lastIndexOf('-') + 1));
        if (!id.startsWith(`${tag}-`) || run.scheduledMs[i] === undefined) continue;
        const slot = Math.floor((run.scheduledMs[i] - run.startMs) / 250);
        const s = slots.get(slot) ?? [0, 0, 0];
        s[0]++;
        if (at - run.scheduledMs[i] > 20) s[1]++;
        s[2] = Math.max(s[2], at - run.scheduledMs[i]);
        slots.set(slot, s);
      }
    }
    const acks = new Map();
    run.ackOf.forEach((ack, i) => {
      const slot = Math.floor((run.scheduledMs[i] - run.startMs) / 250);
      const a = acks.get(slot) ?? [0, 0];
      if (ack > 5) a[0]++;
      a[1] = Math.max(a[1], ack);
      acks.set(slot, a);
    });
    progress(`trace 202 >5 ms: ${[...acks].sort((a, b) => a[0] - b[0]).map(([k, [slow, max]]) => `${(k / 4).toFixed(2)}s:${slow}/${max.toFixed(0)}`).join(' ')}`);
    progress(`trace: ${[...slots].sort((a, b) => a[0] - b[0]).map(([k, [, slow, max]]) => `${(k / 4).toFixed(2)}s:${slow}/${max.toFixed(0)}`).join(' ')}`);
  }
  const result = {
    offered: rate,
    events: count,
    complete: c.complete,
    achieved: (count / (run.endMs - run.startMs)) * 1000,
    samples: values.length,
    p50: percentile(values, 50),
    p95: percentile(values, 95),
    p99: percentile(values, 99),
    max: percentile(values, 100),
    ackP50: percentile(run.ackMs, 50),
    ackP99: percentile(run.ackMs, 99),
    errors: run.errors,
    /** CPU time of the process under test per event at this fixed rate (µs). */
    cpuPerEventUs: (cpu / count) * 1e6,
    sysShare: cpu > 0 ? (sys1 - sys0) / cpu : 0,
  };
  progress(
    `${sut.name} at ${rate}/s: ingest → receiver p50 ${result.p50.toFixed(1)} ms, p95 ${result.p95.toFixed(1)} ms, p99 ${result.p99.toFixed(1)} ms ` +
      `(max ${result.max.toFixed(1)}; ${fmt(result.cpuPerEventUs)} CPU-µs/event, ${(result.sysShare * 100).toFixed(0)} % system; 202 p50 ${result.ackP50.toFixed(1)} ms, p99 ${result.ackP99.toFixed(1)} ms; ${fmt(values.length)} deliveries${run.errors ? `; ${run.errors} errors` : ''})`,
  );
  return result;
}

const settle = () => new Promise((r) => setTimeout(r, 500));

// ---------------------------------------------------------------------------------------------
// phases
// ---------------------------------------------------------------------------------------------
/**
 * The bare relay's throughput. It keeps running for the latency runs, which alternate between it
 * and the dispatcher at each rate (a burst of other load on the machine then hits both alike).
 */
async function phaseRelay() {
  const relay = await startRelay();
  progress(`relay: listening at ${relay.target.origin} (pid ${relay.pid})`);
  try {
    await warmup(relay, 'r');
    results.throughput.relay = await throughput(relay, 'rt', cfg.events);
    results.memory.relay = rssMiB(relay.pid);
    await settle();
    return relay;
  } catch (error) {
    await stopChild(relay.child);
    throw error;
  }
}

/**
 * fdatasync of a 2 KiB append in the data folder, the physical cost of a durable acknowledgement
 * on this disk (the journal's group commit is one append and one fdatasync): back to back, and
 * paced at `rate` (an append every 1/rate s, as the journal writes at that offered rate; on this
 * VM a sync after an idle gap takes longer than one right after another).
 */
async function measureFsync(dir, samples, rate) {
  const file = path.join(dir, 'fsync-probe');
  const block = Buffer.alloc(2048, 0x61);
  const handle = await fs.promises.open(file, 'a');
  const timed = async (gapMs) => {
    const times = [];
    for (let i = 0; i < samples; i++) {
      const t = performance.now();
      await handle.write(block, 0, block.length);
      await handle.datasync();
      const took = performance.now() - t;
      times.push(took);
      if (gapMs > 0) await new Promise((r) => setTimeout(r, Math.max(0, gapMs - took)));
    }
    return { p50: percentile(times, 50), p99: percentile(times, 99), max: percentile(times, 100) };
  };
  let result;
  try {
    const backToBack = await timed(0);
    const paced = await timed(1000 / rate);
    result = { samples, rate, ...backToBack, paced };
  } finally {
    await handle.close();
    fs.rmSync(file, { force: true });
  }
  progress(
    `disk: write + fdatasync of 2 KiB in the data folder: back to back p50 ${result.p50.toFixed(2)} ms, p99 ${result.p99.toFixed(2)} ms; ` +
      `paced at ${rate}/s p50 ${result.paced.p50.toFixed(2)} ms, p99 ${result.paced.p99.toFixed(2)} ms (${fmt(samples)} samples each)`,
  );
  return result;
}

async function phaseDispatcher(relay) {
  const dataFile = path.join(work, 'empty', 'dispatcher.json');
  fs.mkdirSync(path.dirname(dataFile), { recursive: true });
  const d = await startDispatcher(dataFile, 'dispatcher');
  progress(`dispatcher: listening at ${d.origin} (pid ${d.pid}), empty store, started in ${Math.round(d.startMs)} ms`);
  try {
    await createWebhooks(d);
    results.memory.dispatcherIdle = rssMiB(d.pid);
    await warmup(d, 'd');
    results.throughput.dispatcher = await throughput(d, 'dt', cfg.events);
    await settle();
    results.memory.dispatcher = rssMiB(d.pid);
    progress(`dispatcher: RSS ${fmt(results.memory.dispatcher)} MiB after the ${fmt(cfg.events)}-event run`);
    if (cfg.only.has('disk')) results.disk = await measureFsync(path.dirname(dataFile), cfg.fsyncSamples, cfg.rates[0] ?? 300);
    if (cfg.latencySeconds > 0) {
      for (const rate of cfg.rates) {
        const at = (results.latency[rate] ??= {});
        if (relay) at.relay = await latency(relay, `rl${rate}`, rate);
        at.dispatcher = await latency(d, `dl${rate}`, rate);
      }
    }
  } finally {
    await stopChild(d.child);
  }
}

/** A lowdb store whose log holds `count` finished deliveries, written straight into its archive. */
async function prefilledStore(tag, count) {
  const { prefillArchive } = await import('./lib/prefill.mjs');
  const dataFile = path.join(work, tag, 'dispatcher.json');
  fs.mkdirSync(path.dirname(dataFile), { recursive: true });
  // Webhooks created through the API, then the store closed: its snapshot holds them.
  const boot = await startDispatcher(dataFile, `bootstrap-${tag}`);
  const hooks = await createWebhooks(boot);
  await stopChild(boot.child);
  progress(`${tag}: writing ${fmt(count)} logged deliveries into the store's archive…`);
  const filled = await prefillArchive(dataFile, hooks, count);
  progress(`${tag}: ${fmt(filled.deliveries)} deliveries of ${fmt(filled.events)} events, ${fmt(filled.bytes / 1048576, 1)} MiB, in ${fmt(filled.ms / 1000, 1)} s`);
  return { dataFile, hooks, filled };
}

async function phaseLog() {
  const { dataFile, filled } = await prefilledStore('log', cfg.log);
  results.setup.prefill = filled;
  const d = await startDispatcher(dataFile, 'dispatcher-log');
  const logged = await d.api('GET', '/v1/deliveries/summary');
  if (logged.status !== 200 || logged.json.total < cfg.log) throw new Error(`pre-filled store holds ${logged.json?.total} deliveries, expected ${cfg.log}`);
  results.setup.logStartMs = d.startMs;
  results.memory.logLoaded = rssMiB(d.pid);
  progress(`dispatcher (${fmt(cfg.log)} logged): started in ${fmt(d.startMs)} ms, RSS ${fmt(results.memory.logLoaded)} MiB, ${fmt(logged.json.total)} deliveries in the log`);
  try {
    d.name = `dispatcher (${fmt(cfg.log)} logged)`;
    await warmup(d, 'g');
    results.throughput.log = await throughput(d, 'gt', cfg.events);
    await settle();
    results.memory.logAfter = rssMiB(d.pid);
  } finally {
    await stopChild(d.child);
  }
}

/**
 * Bounded memory: a lowdb store with BENCH_MILLION logged deliveries written straight into its
 * archive; the time to start, the RSS, the first page of each filter and the summary.
 */
async function phaseMillion() {
  const { dataFile, hooks, filled } = await prefilledStore('million', cfg.million);
  const d = await startDispatcher(dataFile, 'dispatcher-million');
  const startCpuSeconds = cpuSeconds(d.pid);
  try {
    const rssStart = rssMiB(d.pid);
    const total = await d.api('GET', '/v1/deliveries/summary');
    if (total.json?.total < cfg.million) throw new Error(`store holds ${total.json?.total} deliveries, expected ${cfg.million}`);
    const mid = await d.api('GET', `/v1/deliveries?limit=1&webhookId=${hooks[1].id}`);
    const sample = mid.json.data[0];
    const created = Date.parse(sample.createdAt);
    const from = new Date(created - 3600_000).toISOString();
    const to = new Date(created - 1800_000).toISOString();
    const timed = async (label, p) => {
      const times = [];
      let answer;
      for (let i = 0; i < 5; i++) {
        const t = performance.now();
        answer = await d.api('GET', p);
        times.push(performance.now() - t);
        if (answer.status !== 200) throw new Error(`${p}: ${answer.status} ${answer.text.slice(0, 200)}`);
      }
      const row = { label, path: p, firstMs: times[0], medianMs: percentile(times, 50), maxMs: Math.max(...times), items: answer.json.data?.length ?? answer.json.total };
      progress(`million: ${label}: first ${row.firstMs.toFixed(1)} ms, median ${row.medianMs.toFixed(1)} ms (${row.items} ${answer.json.data ? 'items' : 'in total'})`);
      return row;
    };
    const queries = [
      await timed('first page, no filter', '/v1/deliveries'),
      await timed('status=succeeded', '/v1/deliveries?status=succeeded'),
      await timed('status=failed (no match: full scan)', '/v1/deliveries?status=failed'),
      await timed('responseCode=200', '/v1/deliveries?responseCode=200'),
      await timed('responseCode=503 (no match: full scan)', '/v1/deliveries?responseCode=503'),
      await timed('eventType', `/v1/deliveries?eventType=${sample.eventType}`),
      await timed('webhookId', `/v1/deliveries?webhookId=${hooks[2].id}`),
      await timed('requestId', `/v1/deliveries?requestId=${sample.id}`),
      await timed('from/to (a half hour)', `/v1/deliveries?from=${from}&to=${to}`),
      await timed('webhookId + eventType + from/to, limit 250', `/v1/deliveries?webhookId=${hooks[0].id}&eventType=${sample.eventType}&from=${from}&to=${to}&limit=250`),
    ];
    const summaries = [
      await timed('summary, all', '/v1/deliveries/summary'),
      await timed('summary, webhookId + from/to', `/v1/deliveries/summary?webhookId=${hooks[0].id}&from=${from}&to=${to}`),
    ];
    const detail = await timed('one delivery with attempts', `/v1/deliveries/${sample.id}`);
    results.million = { deliveries: filled.deliveries, events: filled.events, bytes: filled.bytes, startMs: d.startMs, startCpuSeconds, rssStartMiB: rssStart, rssAfterMiB: rssMiB(d.pid), queries, summaries, detail };
    progress(`million: started in ${fmt(d.startMs)} ms (${startCpuSeconds.toFixed(2)} CPU-s), RSS ${fmt(rssStart)} MiB after start, ${fmt(results.million.rssAfterMiB)} MiB after the queries`);
  } finally {
    await stopChild(d.child);
  }
}

/** PostgreSQL: the same throughput run on one dispatcher, then on two sharing the database. */
async function phasePostgres() {
  const { startEmbeddedPostgres } = await import('../scripts/postgres/embedded.mjs');
  const pg = await startEmbeddedPostgres({ durable: true });
  progress(`postgres: embedded PostgreSQL at ${pg.url.replace(/:[^:@]*@/, ':***@')} (fsync on)`);
  const { default: pgClient } = await import('pg');
  const database = async (name) => {
    const client = new pgClient.Client({ connectionString: pg.url });
    await client.connect();
    await client.query(`CREATE DATABASE ${name}`);
    await client.end();
    return pg.url.replace(/\/postgres$/, `/${name}`);
  };
  try {
    for (const instances of [1, 2]) {
      const url = await database(`bench_${instances}`);
      const nodes = [];
      for (let i = 0; i < instances; i++) {
        fs.mkdirSync(path.join(work, `pg-${instances}-${i}`), { recursive: true });
        nodes.push(await startDispatcher(path.join(work, `pg-${instances}-${i}`, 'unused.json'), `pg-${instances}-${i}`, { DISPATCHER_DATABASE_URL: url }));
      }
      try {
        await createWebhooks(nodes[0]);
        await new Promise((r) => setTimeout(r, 300)); // the others learn of the webhooks by NOTIFY
        const sut = {
          name: `PostgreSQL × ${instances}`,
          pid: nodes[0].pid,
          pids: nodes.map((n) => n.pid),
          target: { ...nodes[0].target, origins: nodes.map((n) => n.origin) },
        };
        await warmup(sut, `p${instances}`);
        const db0 = cpuSecondsOfCommand('postgres');
        results.postgres[`x${instances}`] = await throughput(sut, `p${instances}t`, cfg.pgEvents);
        results.postgres[`x${instances}`].databaseCpuSeconds = cpuSecondsOfCommand('postgres') - db0;
        progress(`PostgreSQL × ${instances}: the database's processes used ${results.postgres[`x${instances}`].databaseCpuSeconds.toFixed(1)} CPU-s in that run`);
        results.postgres[`x${instances}`].rssMiB = nodes.map((n) => rssMiB(n.pid));
        if (cfg.pgLatencySeconds > 0 && cfg.rates.length > 0) {
          await settle();
          results.postgres[`x${instances}`].latency = await latency(sut, `p${instances}l`, cfg.rates[0], cfg.pgLatencySeconds);
        }
      } finally {
        for (const node of nodes) await stopChild(node.child);
      }
    }
  } finally {
    await pg.stop();
  }
}

async function phaseN8n() {
  if (cfg.n8nEvents <= 0) {
    results.throughput.n8n = { skipped: 'BENCH_N8N_EVENTS=0' };
    return;
  }
  const { ensureN8n, startN8nRelay } = await import('./lib/n8n.mjs');
  const reserveMs = 60_000 + cfg.n8nSeconds * 1000 + 30_000; // setup and start, the run, the drain
  const budgetMs = cfg.budgetSeconds * 1000 - elapsed() * 1000 - reserveMs;
  let installed;
  try {
    installed = await ensureN8n(budgetMs, progress);
  } catch (error) {
    installed = { ok: false, reason: `n8n harness unavailable: ${error instanceof Error ? error.message : error}` };
  }
  if (!installed.ok) {
    results.throughput.n8n = { skipped: installed.reason };
    progress(`n8n: SKIPPED: ${installed.reason}`);
    return;
  }
  results.setup.n8nInstall = installed;
  let n;
  try {
    n = await startN8nRelay(receivers.urls, progress);
    results.setup.n8nVersion = n.version;
    const sut = { name: `n8n ${n.version}`, pid: n.pid, target: { origin: new URL(n.url).origin, path: new URL(n.url).pathname, headers: { 'content-type': 'application/json' }, clients: cfg.clients } };
    // A production webhook may answer 404 for a moment after start.
    const deadline = Date.now() + 30_000;
    for (;;) {
      const r = await fetch(n.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: makeBodies('probe', 1)[0] });
      await r.text();
      if (r.ok) break;
      if (Date.now() > deadline) throw new Error(`n8n webhook answers ${r.status}`);
      await new Promise((res) => setTimeout(res, 250));
    }
    const saved = cfg.warmup;
    cfg.warmup = Math.min(cfg.warmup, 20);
    await warmup(sut, 'n');
    cfg.warmup = saved;
    progress(`n8n: up to ${fmt(cfg.n8nEvents)} events, posted for at most ${cfg.n8nSeconds} s`);
    results.throughput.n8n = await throughput(sut, 'nt', cfg.n8nEvents, { timeoutMs: cfg.n8nSeconds * 1000 + 60_000, windowMs: cfg.n8nSeconds * 1000 });
    results.memory.n8n = n.rssMb();
  } catch (error) {
    const reason = `n8n run failed: ${error instanceof Error ? error.message.split('\n')[0] : error}`;
    results.throughput.n8n = { skipped: reason };
    progress(`n8n: SKIPPED: ${reason}`);
  } finally {
    if (n) {
      await n.stop();
      fs.rmSync(n.root, { recursive: true, force: true });
    }
  }
}

// ---------------------------------------------------------------------------------------------
// main
// ---------------------------------------------------------------------------------------------
function machine() {
  const cpus = os.cpus();
  return {
    date: new Date().toISOString(),
    node: process.version,
    cpu: `${cpus[0]?.model ?? 'unknown'} × ${cpus.length}`,
    memGiB: os.totalmem() / 1024 ** 3,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    load: os.loadavg(),
  };
}

async function main() {
  results.meta = { ...machine(), config: { ...cfg, only: [...cfg.only] } };
  progress(`node ${process.version}, ${results.meta.cpu}, ${fmt(results.meta.memGiB, 1)} GiB; work folder ${work}`);
  progress(`settings: ${fmt(cfg.events)} events × 3 webhooks, ${cfg.clients} clients, latency at ${cfg.rates.join(' and ')} events/s for ${cfg.latencySeconds} s each, log ${fmt(cfg.log)}, n8n ${fmt(cfg.n8nEvents)} events`);
  if (!process.version.startsWith('v24.')) progress(`WARNING: running on ${process.version}; the project targets Node 24 (npm run bench uses node_modules/.bin/node)`);

  if (cfg.only.has('micro')) {
    results.micro = await runMicro(cfg.microMs, progress);
  }
  await startReceivers();
  try {
    const relay = cfg.only.has('relay') ? await phaseRelay() : undefined;
    try {
      if (cfg.only.has('dispatcher')) await phaseDispatcher(relay);
    } finally {
      if (relay) await stopChild(relay.child);
    }
    if (cfg.only.has('log')) await phaseLog();
    if (cfg.only.has('million')) await phaseMillion();
    if (cfg.only.has('postgres')) await phasePostgres();
    if (cfg.only.has('n8n')) await phaseN8n();
  } finally {
    await receivers.close();
  }
  results.meta.wallSeconds = elapsed();
  results.meta.loadAfter = os.loadavg();
  const table = formatTable(results);
  process.stdout.write(`\n${table.text}\n`);
  fs.writeFileSync(path.join(work, 'results.json'), JSON.stringify(results, null, 2));
  if (cfg.write) {
    fs.mkdirSync(path.join(here, 'results'), { recursive: true });
    fs.writeFileSync(path.join(here, 'results', 'last.json'), JSON.stringify(results, null, 2) + '\n');
    const written = writeReport(results, REPO);
    progress(`wrote ${written.map((f) => path.relative(REPO, f)).join(', ')}`);
  }
  progress(`done in ${elapsed().toFixed(0)} s`);
}

main()
  .then(() => {
    if (process.env.BENCH_KEEP === '1') progress(`work folder kept: ${work}`);
    else fs.rmSync(work, { recursive: true, force: true });
    process.exit(0);
  })
  .catch((error) => {
    progress(`FAILED: ${error instanceof Error ? error.stack : error}`);
    progress(`work folder kept: ${work}`);
    process.exit(1);
  });

#!/usr/bin/env node
// Diagnosis: time to 202 of a dispatcher with no webhooks (ingest and the durable write only) at a
// fixed rate, against one with `BENCH_PROBE_HOOKS` webhooks on a loopback receiver.
//   node bench/ack-probe.mjs [rate] [seconds]
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { makeBodies } from './lib/events.mjs';
import { makePool, openLoop, percentile } from './lib/load.mjs';
import { spawnNode, stopChild } from './lib/proc.mjs';

const rate = Number(process.argv[2] ?? 300);
const seconds = Number(process.argv[3] ?? 5);
const hooks = Number(process.env.BENCH_PROBE_HOOKS ?? 0);
const main = path.resolve(process.env.BENCH_MAIN ?? 'server/dist/server/main.js');
const key = `probe_${crypto.randomBytes(8).toString('hex')}`;
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'mdm-probe-'));
const receiver = http.createServer((req, res) => req.resume().on('end', () => res.end('ok')));
await new Promise((r) => receiver.listen(0, '127.0.0.1', r));
const { child, match } = await spawnNode(main, {
  env: { ...process.env, DISPATCHER_DATA: path.join(work, 'd.json'), DISPATCHER_API_KEY: key, HOST: '127.0.0.1', PORT: '0', DISPATCHER_ALLOW_HTTP: 'true', DISPATCHER_ALLOWED_CIDRS: '127.0.0.0/8' },
  logFile: path.join(work, 'log'),
  ready: /listening on (http:\/\/[^\s"]+)/,
  nodeArgs: (process.env.BENCH_DISPATCHER_NODE_ARGS ?? '').split(' ').filter(Boolean),
});
const origin = match[1];
const headers = { 'content-type': 'application/json', authorization: `Bearer ${key}` };
for (let i = 0; i < hooks; i++) {
  const r = await fetch(`${origin}/v1/webhooks`, { method: 'POST', headers, body: JSON.stringify({ name: `h${i}`, template: 'custom', url: `http://127.0.0.1:${receiver.address().port}/h`, signing: { scheme: 'standard' }, events: ['*'] }) });
  if (r.status !== 201) throw new Error(await r.text());
}
const target = { origin, path: '/v1/events', headers, clients: 32 };
const pool = makePool(target);
await openLoop(pool, target, makeBodies('warm', 500), 500);
const run = await openLoop(pool, target, makeBodies('p', rate * seconds), rate);
console.log(`${hooks} webhooks, ${rate}/s: 202 p50 ${percentile(run.ackMs, 50).toFixed(2)} ms, p90 ${percentile(run.ackMs, 90).toFixed(2)}, p99 ${percentile(run.ackMs, 99).toFixed(2)}, max ${percentile(run.ackMs, 100).toFixed(2)}; errors ${run.errors}`);
const metrics = await (await fetch(`${origin}/metrics`, { headers })).text();
console.log(metrics.split('\n').filter((l) => l.includes('store_commit_duration_seconds')).join('\n'));
await pool.close();
await stopChild(child);
receiver.close();
fs.rmSync(work, { recursive: true, force: true });

#!/usr/bin/env node
// Splits a .cpuprofile's samples into the dispatcher's stages: each sample goes to the innermost
// frame on its stack that matches a stage. Usage: node bench/profile-buckets.mjs <file>
import fs from 'node:fs';

const STAGES = [
  ['GC', (f) => f.functionName === '(garbage collector)'],
  ['idle', (f) => f.functionName === '(idle)'],
  ['store: compaction', (f) => /runCompaction|Archive\.append|Snapshot|structuredClone/.test(f.functionName) && /lowdb|js_transferable/.test(f.url)],
  ['store: journal stringify', (f) => f.functionName === 'append' && f.url.endsWith('journal.js')],
  ['store: journal write+fsync', (f) => f.functionName === 'flushLoop' && f.url.endsWith('journal.js')],
  ['store: apply/index', (f) => /LowdbStore\.js|deliveryIndex\.js/.test(f.url)],
  ['core: signing', (f) => f.functionName === 'signatureHeaders'],
  ['core: ids (randomBytes)', (f) => /newId|newEventId/.test(f.functionName)],
  ['core: validation (ajv)', (f) => f.functionName === 'validateEventData' || (f.url.includes('/ajv/') )],
  ['worker: build request', (f) => /buildDeliveryRequest|maskRequest/.test(f.functionName)],
  ['worker: HTTP send (undici)', (f) => f.url.includes('/undici/') || (f.functionName === 'send' && f.url.endsWith('httpClient.js'))],
  ['worker: other', (f) => f.url.endsWith('worker.js') || f.url.endsWith('timerQueue.js') || f.url.endsWith('throttle.js')],
  ['ingest: event service + routing', (f) => /eventService\.js|router\.js$/.test(f.url) && !f.url.includes('node_modules')],
  ['ingest: express/body-parser', (f) => /node_modules\/(express|router|body-parser|raw-body|finalhandler|send|on-finished|type-is|content-type|iconv-lite|qs|encodeurl|statuses|media-typer|mime-types|http-errors)\//.test(f.url)],
  ['ingest: auth + API handler', (f) => /dist\/server\/(http|api)\//.test(f.url)],
  ['node: http server', (f) => /node:_http_server|node:_http_common|node:_http_incoming|node:_http_outgoing/.test(f.url)],
  ['node: net/streams', (f) => /node:net|node:internal\/streams|node:internal\/stream_base_commons/.test(f.url) || f.functionName === 'writev' || f.functionName === 'writeUtf8String' || f.functionName === 'writeBuffer'],
  ['node: fs', (f) => /node:internal\/fs/.test(f.url)],
  ['startup (module load, compile)', (f) => /startDispatcher|node:internal\/modules|precompileEventValidators/.test(f.functionName + f.url)],
];

const profile = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const stageOf = new Map();
const classify = (id) => {
  if (stageOf.has(id)) return stageOf.get(id);
  const n = nodes.get(id);
  let stage = null;
  for (const [name, test] of STAGES) if (test(n.callFrame)) { stage = name; break; }
  if (stage === null) {
    const p = parent.get(id);
    stage = p === undefined ? 'other' : classify(p);
  }
  stageOf.set(id, stage);
  return stage;
};
const totals = new Map();
let all = 0;
for (let i = 0; i < profile.samples.length; i++) {
  const us = profile.timeDeltas[i] ?? 0;
  const s = classify(profile.samples[i]);
  totals.set(s, (totals.get(s) ?? 0) + us);
  all += us;
}
const busy = all - (totals.get('idle') ?? 0);
console.log(`sampled ${(all / 1e6).toFixed(2)} s, busy ${(busy / 1e6).toFixed(2)} s`);
for (const [s, us] of [...totals].sort((a, b) => b[1] - a[1])) {
  console.log(`${((us / busy) * 100).toFixed(1).padStart(5)}% of busy  ${(us / 1e6).toFixed(2).padStart(6)} s  ${s}`);
}

// what a stage is made of: its top self-time functions (node bench/profile-buckets.mjs <file> "<stage>")
if (process.argv[3]) {
  const want = process.argv[3];
  const self = new Map();
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i];
    if (classify(id) !== want) continue;
    const f = nodes.get(id).callFrame;
    const key = `${f.functionName || '(anon)'} ${f.url.replace(/^.*\/node_modules\//, 'nm:').replace(/^.*\/dist\//, 'dist/')}:${f.lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  console.log(`\n-- ${want}: top self time`);
  for (const [k, us] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`${((us / busy) * 100).toFixed(2).padStart(6)}%  ${k}`);
}

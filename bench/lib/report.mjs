// The bench's table (console and Markdown), the SVG chart and docs/performance.md.
import fs from 'node:fs';
import path from 'node:path';

const fmt = (n, digits = 0) =>
  Number.isFinite(n) ? n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }) : 'n/a';
const ms = (n) => (Number.isFinite(n) ? `${n < 10 ? n.toFixed(2) : n.toFixed(1)} ms` : 'n/a');
const ratio = (a, b) => (Number.isFinite(a) && Number.isFinite(b) && b !== 0 ? a / b : NaN);
const rx = (r) => (Number.isFinite(r) ? `${r >= 100 ? fmt(r) : r >= 10 ? r.toFixed(1) : r.toFixed(2)}×` : 'n/a');
const ok = (met) => (met === null ? '' : met ? ' ✅' : ' ❌');

/**
 * @returns {{rows: Array<{section: string, figure: string, value: string, baseline: string, ratio: string, target: string}>, text: string, targets: Array<{name: string, met: boolean | null, detail: string}>}}
 */
export function formatTable(results) {
  const rows = [];
  const targets = [];
  const t = results.throughput;
  const add = (section, figure, value, baseline, r, target = '') => rows.push({ section, figure, value, baseline, ratio: r, target });
  const tp = (x) => (x && !x.skipped ? `${fmt(x.eventsPerSec, x.eventsPerSec < 100 ? 1 : 0)} events/s (${fmt(x.deliveriesPerSec)} deliveries/s)${x.complete ? '' : ' INCOMPLETE'}` : 'skipped');
  const events = results.meta.config?.events;

  if (t.relay) add('throughput', `bare relay: ${fmt(events)} events × 3 (node:http in → undici out)`, tp(t.relay), '— (the limit)', '1.00×');
  if (t.dispatcher) {
    const r = ratio(t.dispatcher.eventsPerSec, t.relay?.eventsPerSec);
    const met = Number.isFinite(r) ? r >= 0.6 : null;
    targets.push({ name: 'lowdb dispatcher throughput ≥ 0.6× bare relay', met, detail: rx(r) });
    add('throughput', `dispatcher: ${fmt(events)} events × 3 webhooks, durable, signed`, tp(t.dispatcher), t.relay ? `relay ${fmt(t.relay.eventsPerSec)} events/s` : 'n/a', rx(r), `≥ 0.6×${ok(met)}`);
    add(
      'throughput',
      'dispatcher: 202 rate (durably accepted)',
      `${fmt(t.dispatcher.acceptPerSec)} events/s`,
      t.relay ? `relay ${fmt(t.relay.acceptPerSec)} events/s` : 'n/a',
      rx(ratio(t.dispatcher.acceptPerSec, t.relay?.acceptPerSec)),
    );
  }
  if (t.dispatcher && t.relay) {
    const per = (x) => (x.cpuSeconds / x.events) * 1e6;
    add('throughput', 'CPU time of the process under test per event', `dispatcher ${fmt(per(t.dispatcher))} µs`, `relay ${fmt(per(t.relay))} µs`, rx(ratio(per(t.dispatcher), per(t.relay))));
  }
  if (t.n8n) {
    if (t.n8n.skipped) {
      targets.push({ name: 'dispatcher ≥ 20× n8n', met: null, detail: `skipped: ${t.n8n.skipped}` });
      add('throughput', 'n8n (Webhook → 3 × HTTP Request)', `skipped: ${t.n8n.skipped}`, 'n/a', 'n/a', '≥ 20×');
    } else {
      const r = ratio(t.dispatcher?.eventsPerSec, t.n8n.eventsPerSec);
      const met = Number.isFinite(r) ? r >= 20 : null;
      targets.push({ name: 'dispatcher ≥ 20× n8n', met, detail: rx(r) });
      add(
        'throughput',
        `n8n ${results.setup.n8nVersion ?? ''}: ${fmt(t.n8n.events)} events, Webhook → 3 × HTTP Request`,
        tp(t.n8n),
        t.dispatcher ? `dispatcher ${fmt(t.dispatcher.eventsPerSec)} events/s` : 'n/a',
        `${rx(r)} (dispatcher ÷ n8n)`,
        `≥ 20×${ok(met)}`,
      );
    }
  }
  if (t.log) {
    const r = ratio(t.log.eventsPerSec, t.dispatcher?.eventsPerSec);
    const met = Number.isFinite(r) ? r >= 0.8 : null;
    targets.push({ name: '100 k-log throughput ≥ 0.8× empty store', met, detail: rx(r) });
    add(
      'write cost',
      `dispatcher with ${fmt(results.meta.config?.log)} logged deliveries`,
      tp(t.log),
      t.dispatcher ? `empty store ${fmt(t.dispatcher.eventsPerSec)} events/s` : 'n/a',
      rx(r),
      `≥ 0.8×${ok(met)}`,
    );
  }

  const L = results.latency;
  const D = results.disk;
  const floor =
    D && D.paced ? `disk floor: write + fdatasync at ${fmt(D.rate)}/s p50 / p99 ${ms(D.paced.p50)} / ${ms(D.paced.p99)} (back to back ${ms(D.p50)} / ${ms(D.p99)})` : 'fdatasync not measured';
  for (const rate of Object.keys(L).map(Number).sort((a, b) => a - b)) {
    const { relay, dispatcher } = L[rate];
    if (!dispatcher) continue;
    for (const p of ['p50', 'p95', 'p99']) {
      const r = ratio(dispatcher[p], relay?.[p]);
      const met = p === 'p99' && Number.isFinite(r) ? r <= 3 : null;
      if (p === 'p99') targets.push({ name: `ingest → receiver p99 ≤ 3× relay at ${fmt(rate)} events/s`, met, detail: `${ms(dispatcher.p99)} vs relay ${relay ? ms(relay.p99) : 'n/a'}: ${rx(r)}` });
      add('latency', `ingest → receiver ${p} at ${fmt(rate)} events/s`, ms(dispatcher[p]), relay ? `relay ${ms(relay[p])}` : 'n/a', rx(r), p === 'p99' ? `≤ 3×${ok(met)}` : '');
    }
    const ackMet = rate === 300 ? dispatcher.ackP99 <= 5 : null;
    if (rate === 300) targets.push({ name: 'time to 202 p99 ≤ 5 ms at 300 events/s', met: ackMet, detail: `${ms(dispatcher.ackP99)}; ${floor}` });
    add('latency', `time to 202 (durable) p50 / p99 at ${fmt(rate)} events/s`, `${ms(dispatcher.ackP50)} / ${ms(dispatcher.ackP99)}`, rate === 300 ? floor : relay ? `relay ${ms(relay.ackP50)} / ${ms(relay.ackP99)} (not durable)` : 'n/a', rate === 300 ? '' : rx(ratio(dispatcher.ackP99, relay?.ackP99)), rate === 300 ? `p99 ≤ 5 ms${ok(ackMet)}` : '');
    if (Number.isFinite(dispatcher.cpuPerEventUs)) {
      add('latency', `CPU time of the process under test per event at ${fmt(rate)} events/s`, `dispatcher ${fmt(dispatcher.cpuPerEventUs)} µs`, relay ? `relay ${fmt(relay.cpuPerEventUs)} µs` : 'n/a', rx(ratio(dispatcher.cpuPerEventUs, relay?.cpuPerEventUs)));
    }
  }
  if (D && D.paced) add('latency', `disk: write + fdatasync of 2 KiB in the data folder, paced at ${fmt(D.rate)}/s (p50 / p99)`, `${ms(D.paced.p50)} / ${ms(D.paced.p99)}`, `back to back ${ms(D.p50)} / ${ms(D.p99)}`, '');

  const M = results.memory;
  if (M.dispatcher) add('memory', `dispatcher RSS after the ${fmt(events)}-event run`, `${fmt(M.dispatcher)} MiB`, M.relay ? `relay ${fmt(M.relay)} MiB` : 'n/a', rx(ratio(M.dispatcher, M.relay)));
  if (M.logLoaded) add('memory', `dispatcher RSS with ${fmt(results.meta.config?.log)} logged deliveries (after start)`, `${fmt(M.logLoaded)} MiB`, M.dispatcherIdle ? `empty store ${fmt(M.dispatcherIdle)} MiB` : 'n/a', rx(ratio(M.logLoaded, M.dispatcherIdle)));
  if (M.logAfter) add('memory', `… and after its ${fmt(events)}-event run`, `${fmt(M.logAfter)} MiB`, M.dispatcher ? `empty store ${fmt(M.dispatcher)} MiB` : 'n/a', rx(ratio(M.logAfter, M.dispatcher)));
  if (M.n8n) add('memory', 'n8n RSS after its run', `${fmt(M.n8n)} MiB`, M.dispatcher ? `dispatcher ${fmt(M.dispatcher)} MiB` : 'n/a', rx(ratio(M.n8n, M.dispatcher)));
  if (results.setup.logStartMs) add('memory', `dispatcher start with ${fmt(results.meta.config?.log)} logged deliveries`, ms(results.setup.logStartMs), 'n/a', '');

  const B = results.million;
  if (B && B.deliveries) {
    const n = fmt(B.deliveries);
    const startMet = B.startMs < 3000;
    targets.push({ name: `start with ${n} logged deliveries < 3 s`, met: startMet, detail: `${ms(B.startMs)} wall, ${fmt(B.startCpuSeconds, 2)} CPU-s` });
    add('bounded memory', `start (spawn → listening) with ${n} logged deliveries (lowdb)`, ms(B.startMs), `${fmt(B.startCpuSeconds, 2)} CPU-s of the process`, '', `< 3 s${ok(startMet)}`);
    const rssMet = B.rssStartMiB < 300;
    targets.push({ name: `RSS with ${n} logged deliveries < 300 MiB`, met: rssMet, detail: `${fmt(B.rssStartMiB)} MiB` });
    add('bounded memory', `RSS after start / after the queries`, `${fmt(B.rssStartMiB)} / ${fmt(B.rssAfterMiB)} MiB`, `${fmt(B.bytes / 1048576)} MiB of log on disk`, '', `< 300 MiB${ok(rssMet)}`);
    const worstPage = Math.max(...B.queries.map((q) => q.firstMs));
    const pageMet = worstPage < 200;
    targets.push({ name: 'first page of any filter < 200 ms', met: pageMet, detail: `worst ${ms(worstPage)}` });
    for (const q of B.queries) add('bounded memory', `first page: ${q.label}`, ms(q.firstMs), `median of 5 ${ms(q.medianMs)}`, '', `< 200 ms${ok(q.firstMs < 200)}`);
    const worstSummary = Math.max(...B.summaries.map((q) => q.firstMs));
    targets.push({ name: 'summary < 500 ms', met: worstSummary < 500, detail: `worst ${ms(worstSummary)}` });
    for (const q of B.summaries) add('bounded memory', q.label, ms(q.firstMs), `median of 5 ${ms(q.medianMs)}`, '', `< 500 ms${ok(q.firstMs < 500)}`);
  }

  const P = results.postgres;
  if (P && P.x1) {
    add('PostgreSQL', `1 dispatcher on PostgreSQL: ${fmt(P.x1.events)} events × 3`, tp(P.x1), t.dispatcher ? `lowdb ${fmt(t.dispatcher.eventsPerSec)} events/s` : 'n/a', rx(ratio(P.x1.eventsPerSec, t.dispatcher?.eventsPerSec)));
    if (P.x2) add('PostgreSQL', `2 dispatchers on one PostgreSQL, clients split between them`, tp(P.x2), `1 dispatcher ${fmt(P.x1.eventsPerSec)} events/s`, rx(ratio(P.x2.eventsPerSec, P.x1.eventsPerSec)));
    const per = (x) => (x.cpuSeconds / x.events) * 1e6;
    add('PostgreSQL', 'dispatcher CPU per event (all instances), 1 / 2 instances', `${fmt(per(P.x1))} / ${P.x2 ? fmt(per(P.x2)) : 'n/a'} µs`, t.dispatcher ? `lowdb ${fmt(per(t.dispatcher))} µs` : 'n/a', '');
    if (P.x1.databaseCpuSeconds !== undefined) {
      const db = (x) => (x.databaseCpuSeconds / x.events) * 1e6;
      add('PostgreSQL', 'the database\'s CPU per event, 1 / 2 instances', `${fmt(db(P.x1))} / ${P.x2?.databaseCpuSeconds !== undefined ? fmt(db(P.x2)) : 'n/a'} µs`, 'postgres processes (/proc)', '');
    }
    for (const [name, x] of [['1 dispatcher', P.x1], ['2 dispatchers', P.x2]]) {
      const lat = x?.latency;
      if (!lat) continue;
      const lowdb = L[lat.offered]?.dispatcher;
      add('PostgreSQL', `${name}: ingest → receiver p50 / p99 at ${fmt(lat.offered)} events/s`, `${ms(lat.p50)} / ${ms(lat.p99)}`, lowdb ? `lowdb ${ms(lowdb.p50)} / ${ms(lowdb.p99)}` : 'n/a', rx(ratio(lat.p99, lowdb?.p99)));
      add('PostgreSQL', `${name}: time to 202 p50 / p99 at ${fmt(lat.offered)} events/s`, `${ms(lat.ackP50)} / ${ms(lat.ackP99)}`, lowdb ? `lowdb ${ms(lowdb.ackP50)} / ${ms(lowdb.ackP99)}` : 'n/a', rx(ratio(lat.ackP99, lowdb?.ackP99)));
    }
  }

  for (const m of results.micro) {
    const perOp = m.unit === 'ops/s';
    add('core', m.name, `${perOp ? fmt(m.value) : fmt(m.value, 2)} ${m.unit}`, `${m.baselineName} ${perOp ? fmt(m.baseline) : fmt(m.baseline, 2)} ${m.unit}`, rx(m.value / m.baseline));
  }

  const header = ['figure', 'measured', 'baseline (same run)', 'ratio', 'target'];
  const cells = rows.map((r) => [`${r.section}: ${r.figure}`, r.value, r.baseline, r.ratio, r.target]);
  const widths = header.map((h, i) => Math.min(70, Math.max(h.length, ...cells.map((c) => [...c[i]].length))));
  const line = (c) => c.map((x, i) => (x.length > widths[i] ? `${x.slice(0, widths[i] - 1)}…` : x.padEnd(widths[i]))).join(' │ ');
  const text = [line(header), widths.map((w) => '─'.repeat(w)).join('─┼─'), ...cells.map(line), '', 'targets:', ...targets.map((x) => `  ${x.met === null ? '–' : x.met ? '✅' : '❌'} ${x.name}: ${x.detail}`)].join('\n');
  return { rows, text, targets };
}

function escapeXml(s) {
  return String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Two panels: throughput bars (events/s) and latency bars (p50/p95/p99, relay vs dispatcher). */
export function chartSvg(results) {
  const W = 960;
  const H = 380;
  const t = results.throughput;
  const bars = [
    ['bare relay (limit)', t.relay, '#9aa5b1'],
    ['dispatcher', t.dispatcher, '#1f6feb'],
    [`dispatcher, ${fmt(results.meta.config?.log)} logged`, t.log, '#58a6ff'],
    [`n8n ${results.setup.n8nVersion ?? ''}`.trim(), t.n8n, '#ea4b71'],
  ].filter(([, x]) => x);
  const out = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="-apple-system,Segoe UI,Helvetica,Arial,sans-serif" font-size="12">`);
  out.push(`<rect width="${W}" height="${H}" fill="#ffffff"/>`);
  out.push(`<text x="20" y="26" font-size="14" font-weight="600">Throughput (events/s, each to 3 webhooks; higher is better)</text>`);
  const maxT = Math.max(1, ...bars.map(([, x]) => (x && !x.skipped ? x.eventsPerSec : 0)));
  const left = 190;
  const barW = 440 - left - 10;
  bars.forEach(([label, x, color], i) => {
    const y = 50 + i * 72;
    out.push(`<text x="20" y="${y + 22}">${escapeXml(label)}</text>`);
    if (!x || x.skipped) {
      out.push(`<text x="${left}" y="${y + 22}" fill="#6e7781">skipped</text>`);
      return;
    }
    const w = Math.max(2, (x.eventsPerSec / maxT) * (barW - 70));
    out.push(`<rect x="${left}" y="${y + 6}" width="${w.toFixed(1)}" height="24" fill="${color}" rx="2"/>`);
    out.push(`<text x="${(left + w + 6).toFixed(1)}" y="${y + 22}">${fmt(x.eventsPerSec, x.eventsPerSec < 100 ? 1 : 0)}</text>`);
    out.push(`<text x="${left}" y="${y + 46}" fill="#6e7781" font-size="11">${fmt(x.deliveriesPerSec)} deliveries/s</text>`);
  });

  const L = results.latency;
  const x0 = 490;
  const rates = Object.keys(L).map(Number).sort((a, b) => a - b);
  out.push(`<text x="${x0}" y="26" font-size="14" font-weight="600">Latency ingest → receiver (ms, lower is better)</text>`);
  const series = [
    ['bare relay', 'relay', '#9aa5b1'],
    ['dispatcher', 'dispatcher', '#1f6feb'],
  ];
  const groups = rates.flatMap((rate) => ['p50', 'p99'].map((p) => ({ label: `${p} @ ${rate}/s`, rate, p })));
  const maxL = Math.max(10, ...groups.flatMap((g) => series.map(([, key]) => L[g.rate]?.[key]?.[g.p]).filter(Number.isFinite))) * 1.1;
  const plotTop = 50;
  const plotBottom = 320;
  const plotLeft = x0 + 40;
  const plotRight = W - 20;
  const yOf = (v) => plotBottom - (v / maxL) * (plotBottom - plotTop);
  out.push(`<line x1="${plotLeft}" y1="${plotBottom}" x2="${plotRight}" y2="${plotBottom}" stroke="#d0d7de"/>`);
  for (const tick of niceTicks(maxL)) {
    out.push(`<line x1="${plotLeft}" y1="${yOf(tick).toFixed(1)}" x2="${plotRight}" y2="${yOf(tick).toFixed(1)}" stroke="#eaeef2"/>`);
    out.push(`<text x="${plotLeft - 6}" y="${(yOf(tick) + 4).toFixed(1)}" text-anchor="end" fill="#6e7781" font-size="11">${tick}</text>`);
  }
  const groupW = (plotRight - plotLeft) / Math.max(1, groups.length);
  const bw = Math.min(40, (groupW - 20) / series.length);
  groups.forEach((g, gi) => {
    const gx = plotLeft + gi * groupW + (groupW - bw * series.length) / 2;
    series.forEach(([, key, color], si) => {
      const v = L[g.rate]?.[key]?.[g.p];
      if (!Number.isFinite(v)) return;
      const y = yOf(v);
      out.push(`<rect x="${(gx + si * bw).toFixed(1)}" y="${y.toFixed(1)}" width="${(bw - 4).toFixed(1)}" height="${(plotBottom - y).toFixed(1)}" fill="${color}" rx="2"/>`);
      out.push(`<text x="${(gx + si * bw + (bw - 4) / 2).toFixed(1)}" y="${(y - 4).toFixed(1)}" text-anchor="middle" font-size="11">${v < 10 ? v.toFixed(1) : v.toFixed(0)}</text>`);
    });
    out.push(`<text x="${(plotLeft + gi * groupW + groupW / 2).toFixed(1)}" y="${plotBottom + 18}" text-anchor="middle" font-size="11">${escapeXml(g.label)}</text>`);
  });
  series.forEach(([label, , color], si) => {
    const lx = plotLeft + si * 130;
    out.push(`<rect x="${lx}" y="${plotBottom + 34}" width="12" height="12" fill="${color}"/>`);
    out.push(`<text x="${lx + 18}" y="${plotBottom + 44}">${escapeXml(label)}</text>`);
  });
  out.push(`<text x="20" y="${H - 12}" fill="#6e7781" font-size="11">${escapeXml(`${results.meta.date?.slice(0, 10)} · node ${results.meta.node} · ${results.meta.cpu} · npm run bench`)}</text>`);
  out.push('</svg>');
  return out.join('\n') + '\n';
}

function niceTicks(max) {
  const step = [1, 2, 5, 10, 20, 25, 50, 100, 200, 500, 1000].find((s) => max / s <= 6) ?? 1000;
  const ticks = [];
  for (let v = 0; v <= max; v += step) ticks.push(v);
  return ticks;
}

function markdownTable(rows) {
  const esc = (s) => String(s).replace(/\|/g, '\\|');
  const out = ['| | Figure | Measured | Baseline (same run) | Ratio | Target |', '|---|---|---|---|---|---|'];
  let last = '';
  for (const r of rows) {
    out.push(`| ${r.section === last ? '' : `**${r.section}**`} | ${esc(r.figure)} | ${esc(r.value)} | ${esc(r.baseline)} | ${esc(r.ratio)} | ${esc(r.target)} |`);
    last = r.section;
  }
  return out.join('\n');
}

/** Writes docs/performance.md and docs/performance.svg; returns their paths. */
export function writeReport(results, repo) {
  const { rows, targets } = formatTable(results);
  const docs = path.join(repo, 'docs');
  fs.mkdirSync(docs, { recursive: true });
  const svgFile = path.join(docs, 'performance.svg');
  fs.writeFileSync(svgFile, chartSvg(results));
  const c = results.meta.config;
  const t = results.throughput;
  const notesFile = path.join(repo, 'bench', 'notes.md');
  const notes = fs.existsSync(notesFile) ? fs.readFileSync(notesFile, 'utf8').trim() : '';
  const sizes = [
    c.events !== 20000 && `BENCH_EVENTS=${c.events}`,
    c.log !== 100000 && `BENCH_LOG=${c.log}`,
    String(c.rates) !== '300,500' && `BENCH_RATES=${c.rates}`,
    c.n8nEvents !== 2000 && `BENCH_N8N_EVENTS=${c.n8nEvents}`,
    c.clients !== 64 && `BENCH_CLIENTS=${c.clients}`,
  ].filter(Boolean);
  const md = `# Performance

<!-- Generated by \`npm run bench\` (bench/run.mjs) from its last run; the notes at the end come from bench/notes.md. -->

The dispatcher measured against **the limit** (a bare relay that does nothing but move the bytes)
and against **what users pick instead** (n8n), every figure next to a baseline measured in the same
run on the same machine.

![Throughput and latency](performance.svg)

## Last run

${markdownTable(rows)}

**Targets**

${targets.map((x) => `- ${x.met === null ? '–' : x.met ? '✅' : '❌'} ${x.name}: ${x.detail}`).join('\n')}

## Machine

- ${results.meta.cpu}, ${fmt(results.meta.memGiB, 1)} GiB RAM, ${results.meta.os}
- Node ${results.meta.node}; everything on loopback (127.0.0.1)
- load average before / after the run: ${results.meta.load.map((x) => x.toFixed(2)).join(', ')} / ${(results.meta.loadAfter ?? []).map((x) => x.toFixed(2)).join(', ')}
- ${results.meta.date}; the whole bench took ${fmt(results.meta.wallSeconds)} s (build not included)

## Method

- **Command**: \`npm run bench\`${sizes.length ? ` (this run: \`${sizes.join(' ')} npm run bench\`)` : ''}. Sizes are set by environment
  variables or flags (\`BENCH_EVENTS\`, \`BENCH_CLIENTS\`, \`BENCH_RATES\`, \`BENCH_LATENCY_SECONDS\`, \`BENCH_LOG\`,
  \`BENCH_N8N_EVENTS\`, \`BENCH_WARMUP\`, \`BENCH_MICRO_MS\`; see the head of \`bench/run.mjs\`); a quick run is
  \`BENCH_EVENTS=2000 BENCH_LOG=10000 BENCH_N8N_EVENTS=200 npm run bench\`. Benchmarks are not part of \`npm test\`.
- **Processes**: the system under test runs in a process of its own, started like \`npm start\` does
  (\`node server/dist/server/main.js\`, fdatasync on, \`DISPATCHER_ALLOW_HTTP=true\`, \`DISPATCHER_ALLOWED_CIDRS=127.0.0.0/8\`);
  the three loopback receivers run in a second process and answer \`200 ok\` at once; the clients run in the
  bench process. The machine has ${results.meta.cpu.split('×')[1]?.trim() ?? '?'} cores for all of them.
- **Events**: the catalog's samples, every type in turn (${fmt(c.events)} per run), each posted with its own \`id\`.
  The dispatcher has three webhooks subscribed to \`*\`, template \`custom\` (the envelope), signed \`standard\`,
  \`scalefusion\` and \`mender\` respectively: every event becomes three signed deliveries.
- **Throughput**: ${fmt(c.clients)} keep-alive client connections post as fast as answers come back (closed loop),
  after ${fmt(c.warmup)} warm-up events. events/s = events ÷ time from the first post to the last delivery's
  arrival at a receiver; deliveries/s likewise. The dispatcher answers \`202\` only once the event and its
  deliveries are fdatasync'ed (group commit); the relay answers \`202\` at once.
- **Bare relay** (\`bench/lib/relay.mjs\`): node:http in → undici out (same Agent settings as the dispatcher:
  keep-alive pool per origin, 16 connections), no parsing, storage, validation or signing.
- **n8n**: n8n ${results.setup.n8nVersion ?? '2.x'} through the real-n8n harness (\`scripts/n8n/harness.mjs\`): a Webhook node
  (respond immediately) feeding three HTTP Request nodes that post the received body to the same receivers;
  default n8n settings (SQLite, executions saved), the same clients posting for at most ${fmt(c.n8nSeconds)} s (up to
  ${fmt(c.n8nEvents)} events; every event posted must reach all three receivers). n8n answers
  before anything is stored, so this comparison favours n8n.${t.n8n?.skipped ? ` This run skipped it: ${t.n8n.skipped}.` : ''}
- **Latency**: an open loop at each of ${c.rates.map((r) => fmt(r)).join(' and ')} events/s for ${fmt(c.latencySeconds)} s, the relay and the
  dispatcher alternating at each rate (both stay running); each delivery's latency runs from its event's
  *scheduled* send time (so queueing in the client counts) to its arrival at the receiver, timed with the
  machine's monotonic clock shared by all processes. Time to \`202\` runs from the scheduled send to the
  answer; the dispatcher answers once the event is fdatasync'ed, the relay at once.
- **The disk's floor**: ${fmt(c.fsyncSamples)} appends of 2 KiB to a file in the dispatcher's data folder, each followed by
  \`fdatasync\` (the journal's own calls: \`FileHandle.write\`, \`datasync\`), timed one by one, back to back and then
  paced at ${fmt(c.rates[0])}/s; measured between the throughput and the latency runs. On this VM a sync after an
  idle gap costs more than one right after another, so the paced figure is the floor of a 202 at that rate.
- **Write cost as the log grows**: a fresh store whose webhooks were created through the API is stopped, its
  archive is filled with ${fmt(c.log)} finished deliveries written in the store's own on-disk format
  (\`bench/lib/prefill.mjs\`, using \`Archive.append\`), and the dispatcher is started on it and run like the
  empty one.
- **Bounded memory** (\`BENCH_MILLION\`, default 1,000,000): a lowdb store whose archive is filled with that many
  finished deliveries (the store's own \`Archive.append\`: JSON lines plus the binary index, then fsync'ed);
  the time from spawning \`node server/dist/server/main.js\` to its "listening" line, its RSS, and each query's first
  answer (and the median of five) through the HTTP API.
- **PostgreSQL** (\`BENCH_PG_EVENTS\`): an embedded PostgreSQL 18 (fsync on) on the same machine; the throughput
  run with one dispatcher, then with two on one database, the clients split between them, each followed by a
  latency run at ${fmt(c.rates[0])} events/s for ${fmt(c.pgLatencySeconds)} s. On 2 cores the
  database, the dispatchers, the clients and the receivers share the same CPUs, so a second instance adds
  no CPU: what it shows is that two instances share the work without losing throughput to contention.
- **Memory**: resident set size (\`VmRSS\`) of the process under test.
- **CPU time**: user + system time of the process under test (\`/proc/<pid>/stat\`, all its threads) during the
  run, per event: less sensitive than events/s to what else the machine is doing.
- **Core**: each micro-benchmark runs alternately with its baseline (4 rounds each after a warm-up, best round
  kept), so a burst of other load on the machine hits both alike.
- **Noise**: single runs on a shared 2-core VM; differences under ~10 % between runs are noise.

${notes}
`;
  const mdFile = path.join(docs, 'performance.md');
  fs.writeFileSync(mdFile, md);
  return [mdFile, svgFile];
}

#!/usr/bin/env node
// Summarises a V8 .cpuprofile (node --cpu-prof): self time per function and per file/package,
// plus total time under selected functions. Usage: node bench/profile-summary.mjs <file> [top]
import fs from 'node:fs';

const file = process.argv[2];
const top = Number(process.argv[3] ?? 40);
const profile = JSON.parse(fs.readFileSync(file, 'utf8'));
const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const selfUs = new Map();
const dts = profile.timeDeltas;
for (let i = 0; i < profile.samples.length; i++) {
  const id = profile.samples[i];
  selfUs.set(id, (selfUs.get(id) ?? 0) + (dts[i] ?? 0));
}
const total = [...selfUs.values()].reduce((a, b) => a + b, 0);
const short = (url) =>
  url
    .replace(/^file:\/\//, '')
    .replace(/^.*\/node_modules\//, 'nm:')
    .replace(/^.*\/dist\//, 'dist/');
const label = (n) => `${n.callFrame.functionName || '(anon)'} ${short(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;
const byFn = new Map();
const byFile = new Map();
for (const [id, us] of selfUs) {
  const n = nodes.get(id);
  const key = label(n);
  byFn.set(key, (byFn.get(key) ?? 0) + us);
  let f = short(n.callFrame.url) || `(${n.callFrame.functionName})`;
  f = f.startsWith('nm:') ? f.split('/').slice(0, f.startsWith('nm:@') ? 2 : 1).join('/') : f.startsWith('node:') ? f : f;
  byFile.set(f, (byFile.get(f) ?? 0) + us);
}
const pct = (us) => `${((us / total) * 100).toFixed(1).padStart(5)}%`;
console.log(`total sampled ${(total / 1e6).toFixed(2)} s`);
console.log('\n-- self time by function');
for (const [k, us] of [...byFn].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${pct(us)} ${k}`);
console.log('\n-- self time by file / package');
for (const [k, us] of [...byFile].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${pct(us)} ${k}`);
// inclusive time: a function's own samples plus its descendants' (counted once per sample)
const inclusive = new Map();
for (const [id, us] of selfUs) {
  const seen = new Set();
  for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
    const key = label(nodes.get(cur));
    if (seen.has(key)) continue;
    seen.add(key);
    inclusive.set(key, (inclusive.get(key) ?? 0) + us);
  }
}
console.log('\n-- inclusive time');
for (const [k, us] of [...inclusive].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${pct(us)} ${k}`);

// top-down tree (children above 1 % of the total), depth-limited
if (process.argv[4]) {
  const maxDepth = Number(process.argv[4]);
  const inc = new Map();
  const sum = (id) => {
    const n = nodes.get(id);
    let us = selfUs.get(id) ?? 0;
    for (const c of n.children ?? []) us += sum(c);
    inc.set(id, us);
    return us;
  };
  sum(profile.nodes[0].id);
  console.log('\n-- top-down');
  const walk = (id, depth) => {
    const n = nodes.get(id);
    if (inc.get(id) / total < 0.01) return;
    console.log(`${pct(inc.get(id))} ${'  '.repeat(depth)}${label(n)} (self ${pct(selfUs.get(id) ?? 0).trim()})`);
    if (depth >= maxDepth) return;
    for (const c of [...(n.children ?? [])].sort((a, b) => inc.get(b) - inc.get(a))) walk(c, depth + 1);
  };
  walk(profile.nodes[0].id, 0);
}

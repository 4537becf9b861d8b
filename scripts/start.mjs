#!/usr/bin/env node
// `npm start`: the dispatcher from this checkout, on its lowdb file (DISPATCHER_DATA, default
// ./data/dispatcher.json). Builds it first (`npm run build:server` and `build:console`) unless the last build that
// `npm start` made is newer than every source it is built from, then runs the package's own
// command, server/bin/mdm-dispatcher.js, exactly as an installed dispatcher runs.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

import { DISPATCHER_MAIN } from './build/dispatcher.mjs';
import { REPO_ROOT, log } from './build/common.mjs';

/** What the dispatcher is built from: a change in any of these means a rebuild. */
const SOURCES = ['server', 'core', 'package.json', 'package-lock.json', 'scripts/build'];
const STAMP = path.join(REPO_ROOT, 'node_modules', '.cache', 'mdm-webhooks', 'start-build.json');

/** @returns {number} the newest modification time (ms) among the sources */
function newestSource() {
  let newest = 0;
  const visit = (/** @type {string} */ p) => {
    const st = fs.statSync(p, { throwIfNoEntry: false });
    if (!st) return;
    if (st.isDirectory()) {
      for (const e of fs.readdirSync(p)) if (e !== 'node_modules' && e !== 'dist') visit(path.join(p, e));
    } else if (st.mtimeMs > newest) {
      newest = st.mtimeMs;
    }
  };
  for (const s of SOURCES) visit(path.join(REPO_ROOT, s));
  return newest;
}

function buildIsCurrent() {
  const stamp = fs.statSync(STAMP, { throwIfNoEntry: false });
  return (
    !!stamp &&
    fs.existsSync(DISPATCHER_MAIN) &&
    fs.existsSync(path.join(REPO_ROOT, 'server', 'dist', 'console', 'index.html')) &&
    stamp.mtimeMs >= newestSource()
  );
}

if (buildIsCurrent()) {
  log('npm start: the dispatcher build is current (sources unchanged since the last start)');
} else {
  log('npm start: building the dispatcher (npm run build:server, build:console)');
  for (const script of ['build:server', 'build:console']) {
    const built = spawnSync('npm', ['run', '--silent', script], { cwd: REPO_ROOT, stdio: 'inherit' });
    if (built.status !== 0) process.exit(built.status ?? 1);
  }
  fs.mkdirSync(path.dirname(STAMP), { recursive: true });
  fs.writeFileSync(STAMP, `${JSON.stringify({ builtAt: new Date().toISOString() })}\n`);
}

await import('../server/bin/mdm-dispatcher.js');

#!/usr/bin/env node
// `npm run build:server`: the dispatcher package's JavaScript, in server/dist/.
//
//   server/dist/server/**.js   every file of server/ (main.js is what `mdm-dispatcher` runs)
//   server/dist/core/**.js     every file of core/, the same source the node pack bundles
//
// File for file (not bundled): the dispatcher's dependencies (express, lowdb, undici, ajv, pg,
// pino, prom-client, …) are server/package.json's `dependencies`, installed beside it; the
// folder layout stays the source's, so `../core` imports work unchanged. Source maps point stack
// traces at the TypeScript. Types are checked by `npm run typecheck`, not here.
//
// Only server/dist/server and server/dist/core are replaced: `npm run build:console` puts the web
// console's static files in server/dist/console.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import * as esbuild from 'esbuild';

import { REPO_ROOT, filesUnder, log, versionDefine } from './common.mjs';

export const DISPATCHER_DIST = path.join(REPO_ROOT, 'server', 'dist');
export const DISPATCHER_MAIN = path.join(DISPATCHER_DIST, 'server', 'main.js');

/** @param {string} f */
const isSource = (f) => f.endsWith('.ts') && !f.endsWith('.d.ts') && !f.endsWith('.test.ts');
/** The console's browser code is bundled on its own (`npm run build:console`). */
const isServerSource = (/** @type {string} */ f) => isSource(f) && !f.startsWith(path.join('server', 'console') + path.sep);

/** @returns {Promise<{files: number}>} */
export async function buildDispatcher() {
  const entryPoints = [...filesUnder('server', isServerSource), ...filesUnder('core', isSource)].map((f) => path.join(REPO_ROOT, f));
  for (const dir of ['server', 'core']) fs.rmSync(path.join(DISPATCHER_DIST, dir), { recursive: true, force: true });
  await esbuild.build({
    entryPoints,
    outbase: REPO_ROOT,
    outdir: DISPATCHER_DIST,
    bundle: false,
    platform: 'node',
    format: 'cjs',
    target: 'node24',
    sourcemap: true,
    define: versionDefine(),
    logLevel: 'warning',
  });
  return { files: entryPoints.length };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const t0 = performance.now();
  buildDispatcher().then(
    (r) => log(`build:server: ${r.files} files → ${path.relative(REPO_ROOT, DISPATCHER_DIST)}/ (${Math.round(performance.now() - t0)} ms)`),
    (e) => {
      process.stderr.write(`build:server failed: ${e instanceof Error ? e.message : e}\n`);
      process.exit(1);
    },
  );
}

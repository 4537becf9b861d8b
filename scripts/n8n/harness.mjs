// Reusable real-n8n harness: install (cached), start/stop n8n and the dispatcher as process groups,
// install the packed node pack as n8n's community-package installer does, import/activate with n8n's own CLI and APIs,
// and loopback receivers. Used by `scripts/n8n/run.mjs` (the acceptance checks) and by the benchmark.
//
// Rules it keeps: only loopback traffic; every wait is bounded; everything it starts is tracked and
// killed as a process group by `stopAll()` (also on process exit / SIGINT / SIGTERM).

import { spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

import { NODE_PACK, installLikeN8n, packPackage } from '../packages/tarball.mjs';
import { N8N_VERSION, REPO_ROOT, ensureN8nInstalled, findNode24, fmtMs, n8nBin, node24Env } from './install.mjs';

export { N8N_VERSION, REPO_ROOT, ensureN8nInstalled, findNode24, fmtMs };

export const PACKAGE_NAME = NODE_PACK;
/** Fixed so that credentials imported by the CLI can be read by the server. Test-only. */
export const N8N_ENCRYPTION_KEY = 'mdm-webhooks-harness-encryption-key-0001';
export const OWNER = {
  email: 'owner@example.com',
  firstName: 'Harness',
  lastName: 'Owner',
  password: 'Harness-Passw0rd!',
};
const BROWSER_ID = 'mdm-webhooks-harness-browser';

/** @param {number} ms */
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------------------------------------
// process tracking
// ---------------------------------------------------------------------------------------------

/** @typedef {{name: string, pid: number, child: import('node:child_process').ChildProcess, exited: Promise<void>, hasExited: () => boolean}} Tracked */

/** @type {Set<Tracked>} */
const tracked = new Set();
let exitHooksInstalled = false;

function installExitHooks() {
  if (exitHooksInstalled) return;
  exitHooksInstalled = true;
  process.on('exit', () => {
    for (const t of tracked) killGroup(t.pid, 'SIGKILL');
  });
  for (const sig of /** @type {const} */ (['SIGINT', 'SIGTERM'])) {
    process.once(sig, () => {
      for (const t of tracked) killGroup(t.pid, 'SIGKILL');
      process.exit(130);
    });
  }
}

/**
 * @param {number} pid process group id (= leader pid)
 * @param {NodeJS.Signals} sig
 */
function killGroup(pid, sig) {
  try {
    process.kill(-pid, sig);
  } catch {
    /* group gone */
  }
}

/**
 * @param {number} pid
 * @returns {boolean} whether any process of that group is still alive
 */
function groupAlive(pid) {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Spawns a command detached (its own process group), output appended to a log file.
 * @param {string} name
 * @param {string} cmd
 * @param {string[]} args
 * @param {{cwd: string, env: NodeJS.ProcessEnv, logFile: string}} opts
 * @returns {Tracked}
 */
function spawnTracked(name, cmd, args, opts) {
  installExitHooks();
  fs.mkdirSync(path.dirname(opts.logFile), { recursive: true });
  const fd = fs.openSync(opts.logFile, 'a');
  const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env, stdio: ['ignore', fd, fd], detached: true });
  fs.closeSync(fd);
  if (!child.pid) throw new Error(`could not start ${name}`);
  let done = false;
  const exited = new Promise((resolve) => {
    child.once('exit', () => {
      done = true;
      resolve(undefined);
    });
    child.once('error', () => {
      done = true;
      resolve(undefined);
    });
  });
  /** @type {Tracked} */
  const t = { name, pid: child.pid, child, exited, hasExited: () => done };
  tracked.add(t);
  return t;
}

/**
 * Stops a tracked process group: SIGTERM, then SIGKILL after `graceMs`, and waits (bounded) until
 * no process of the group is left.
 * @param {Tracked} t
 * @param {number} [graceMs]
 */
async function stopTracked(t, graceMs = 10_000) {
  if (!tracked.has(t)) return;
  killGroup(t.pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline && groupAlive(t.pid)) await sleep(100);
  if (groupAlive(t.pid)) killGroup(t.pid, 'SIGKILL');
  const hard = Date.now() + 5_000;
  while (Date.now() < hard && groupAlive(t.pid)) await sleep(50);
  tracked.delete(t);
}

/** Stops everything this module started (any order-sensitive stop should be done before). */
export async function stopAll() {
  await Promise.all([...tracked].map((t) => stopTracked(t, 5_000)));
}

/** @returns {Array<{name: string, pid: number}>} processes this module still tracks */
export function trackedProcesses() {
  return [...tracked].map((t) => ({ name: t.name, pid: t.pid }));
}

// ---------------------------------------------------------------------------------------------
// small helpers
// ---------------------------------------------------------------------------------------------

/** @returns {Promise<number>} a free TCP port on 127.0.0.1 */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/**
 * @param {string} prefix
 * @returns {string} a new temporary folder
 */
export function makeTempDir(prefix) {
  return fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}-`));
}

/**
 * Polls `fn` until it returns a truthy value or the timeout passes. An error thrown with
 * `fatal: true` ends the wait at once; other errors are retried.
 * @template T
 * @param {string} what
 * @param {() => Promise<T | undefined | null | false>} fn
 * @param {{timeoutMs: number, intervalMs?: number, onTimeout?: () => string}} opts
 * @returns {Promise<T>}
 */
export async function waitFor(what, fn, opts) {
  const deadline = Date.now() + opts.timeoutMs;
  /** @type {unknown} */
  let lastErr;
  while (Date.now() < deadline) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      if (e && typeof e === 'object' && /** @type {{fatal?: boolean}} */ (e).fatal) throw e;
      lastErr = e;
    }
    await sleep(opts.intervalMs ?? 200);
  }
  const extra = opts.onTimeout ? `; ${opts.onTimeout()}` : '';
  const le = lastErr instanceof Error ? `; last error: ${lastErr.message}` : '';
  throw new Error(`timed out after ${fmtMs(opts.timeoutMs)} waiting for ${what}${le}${extra}`);
}

/**
 * fetch with a timeout; never throws on HTTP status.
 * @param {string} url
 * @param {{method?: string, headers?: Record<string,string>, body?: string | Uint8Array, timeoutMs?: number}} [opts]
 * @returns {Promise<{status: number, headers: Headers, text: string, json: any}>}
 */
export async function httpRequest(url, opts = {}) {
  const u = new URL(url);
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname) && !u.hostname.startsWith('127.')) {
    throw new Error(`harness refuses non-loopback URL ${url}`);
  }
  const res = await fetch(url, {
    method: opts.method ?? 'GET',
    headers: opts.headers,
    body: /** @type {BodyInit | undefined} */ (opts.body),
    signal: AbortSignal.timeout(opts.timeoutMs ?? 15_000),
    redirect: 'manual',
  });
  const text = await res.text();
  let json;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

/**
 * @param {string} file
 * @param {number} [lines]
 * @returns {string} the last lines of a log file (for failure messages)
 */
export function tail(file, lines = 30) {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

// ---------------------------------------------------------------------------------------------
// n8n
// ---------------------------------------------------------------------------------------------

/**
 * @typedef {object} N8nInstance
 * @property {string} userFolder N8N_USER_FOLDER (n8n keeps its data in `<userFolder>/.n8n`)
 * @property {number} port
 * @property {number} brokerPort
 * @property {string} tmpDir
 * @property {Record<string,string>} [env] extra environment
 */

/**
 * The environment n8n (server and CLI) runs with.
 * @param {N8nInstance} inst
 * @returns {NodeJS.ProcessEnv}
 */
export function n8nEnv(inst) {
  const node24 = findNode24();
  const base = node24Env(node24);
  // Nothing from an outer n8n configuration may leak in.
  for (const k of Object.keys(base)) if (/^(N8N_|DB_|EXECUTIONS_|WEBHOOK_URL$|QUEUE_|GENERIC_TIMEZONE$)/.test(k)) delete base[k];
  return {
    ...base,
    TMPDIR: inst.tmpDir,
    N8N_USER_FOLDER: inst.userFolder,
    N8N_PORT: String(inst.port),
    N8N_LISTEN_ADDRESS: '127.0.0.1',
    N8N_HOST: '127.0.0.1',
    N8N_PROTOCOL: 'http',
    N8N_WEBHOOK_URL: `http://127.0.0.1:${inst.port}/`,
    N8N_EDITOR_BASE_URL: `http://127.0.0.1:${inst.port}/`,
    N8N_RUNNERS_BROKER_PORT: String(inst.brokerPort),
    N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
    DB_TYPE: 'sqlite',
    N8N_ENCRYPTION_KEY,
    N8N_DIAGNOSTICS_ENABLED: 'false',
    N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
    N8N_PERSONALIZATION_ENABLED: 'false',
    N8N_TEMPLATES_ENABLED: 'false',
    N8N_HIRING_BANNER_ENABLED: 'false',
    N8N_DYNAMIC_BANNERS_ENABLED: 'false',
    N8N_LICENSE_AUTO_RENEW_ENABLED: 'false',
    N8N_DISABLED_MODULES: 'mcp-registry',
    N8N_SECURE_COOKIE: 'false',
    N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
    N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
    N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '10',
    // n8n 2.x publishes (activates) workflows asynchronously through an outbox polled every 15 s
    // by default; poll every second so an activation through the API lands quickly in tests.
    N8N_WORKFLOW_PUBLICATION_OUTBOX_POLL_INTERVAL_MS: '1000',
    N8N_LOG_LEVEL: 'info',
    N8N_LOG_OUTPUT: 'console',
    N8N_NO_COLOR: 'true',
    NO_COLOR: '1',
    GENERIC_TIMEZONE: 'UTC',
    TZ: 'UTC',
    ...(inst.env ?? {}),
  };
}

/**
 * Creates the folders of a fresh n8n instance (user folder, TMPDIR) and picks free ports.
 * @param {{root?: string, port?: number, brokerPort?: number, env?: Record<string,string>}} [opts]
 * @returns {Promise<N8nInstance & {root: string}>}
 */
export async function createN8nInstance(opts = {}) {
  const root = opts.root ?? makeTempDir('n8n-harness');
  const userFolder = path.join(root, 'user');
  const tmpDir = path.join(root, 'tmp');
  fs.mkdirSync(path.join(userFolder, '.n8n'), { recursive: true });
  fs.mkdirSync(tmpDir, { recursive: true });
  const port = opts.port ?? (await freePort());
  let brokerPort = opts.brokerPort ?? (await freePort());
  while (brokerPort === port) brokerPort = await freePort();
  return { root, userFolder, tmpDir, port, brokerPort, env: opts.env };
}

/**
 * Installs the node pack into an n8n user folder the way n8n's community-package installer does
 * (see scripts/packages/tarball.mjs): `npm pack` of the built repository, unpacked into
 * `<userFolder>/.n8n/nodes/node_modules/<name>` (a copy, no symlink to the repository),
 * devDependencies / peerDependencies / optionalDependencies dropped from its package.json,
 * `npm install` with scripts off. n8n then names its node types `<name>.<node>`, as for users
 * who install it from the editor.
 * @param {string} userFolder
 * @returns {{dir: string, tarball: string, packedBytes: number, bytes: number, files: number, dependencies: string[], strippedFields: string[]}}
 */
export function installPackage(userFolder) {
  const nodesDir = path.join(userFolder, '.n8n', 'nodes');
  const packed = packPackage(NODE_PACK, path.join(userFolder, '..', 'pack'));
  const installed = installLikeN8n(packed.file, nodesDir, { env: node24Env(findNode24()) });
  return { ...installed, tarball: packed.file, packedBytes: packed.size };
}

/**
 * Runs an n8n CLI command (`n8n import:workflow …`) against an instance, n8n not running.
 * @param {N8nInstance} inst
 * @param {string[]} args
 * @param {{timeoutMs?: number, logFile?: string}} [opts]
 * @returns {Promise<{stdout: string, durationMs: number}>}
 */
export async function n8nCli(inst, args, opts = {}) {
  const t0 = performance.now();
  const node24 = findNode24();
  const logFile = opts.logFile ?? path.join(inst.userFolder, '..', 'n8n-cli.log');
  const t = spawnTracked(`n8n ${args[0]}`, node24, [n8nBin(), ...args], {
    cwd: inst.userFolder,
    env: n8nEnv(inst),
    logFile,
  });
  const before = fs.existsSync(logFile) ? fs.statSync(logFile).size : 0;
  const timeoutMs = opts.timeoutMs ?? 120_000;
  /** @type {NodeJS.Timeout | undefined} */
  let timer;
  const timedOut = new Promise((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  const r = await Promise.race([t.exited.then(() => 'exit'), timedOut]);
  clearTimeout(timer);
  if (r === 'timeout') {
    await stopTracked(t, 1_000);
    throw new Error(`n8n ${args.join(' ')} timed out after ${fmtMs(timeoutMs)}; see ${logFile}`);
  }
  await stopTracked(t, 1_000); // reaps any child left in its group
  const out = fs.readFileSync(logFile, 'utf8').slice(before);
  const code = t.child.exitCode;
  if (code !== 0) throw new Error(`n8n ${args.join(' ')} exited ${code}: ${out.split('\n').slice(-15).join('\n')}`);
  return { stdout: out, durationMs: performance.now() - t0 };
}

/**
 * Imports credentials with `n8n import:credentials`. Plain `data` objects are encrypted by n8n.
 * @param {N8nInstance} inst
 * @param {Array<{id: string, name: string, type: string, data: Record<string, unknown>}>} credentials
 */
export async function importCredentials(inst, credentials) {
  const file = path.join(inst.tmpDir, `credentials-${crypto.randomUUID()}.json`);
  fs.writeFileSync(file, JSON.stringify(credentials, null, 2));
  try {
    return await n8nCli(inst, ['import:credentials', `--input=${file}`]);
  } finally {
    fs.rmSync(file, { force: true });
  }
}

/**
 * Imports workflows with `n8n import:workflow --separate` (each one inactive, as n8n always does).
 * @param {N8nInstance} inst
 * @param {Array<Record<string, any>>} workflows workflow JSON objects (with stable `id`s)
 */
export async function importWorkflows(inst, workflows) {
  const dir = fs.mkdtempSync(path.join(inst.tmpDir, 'workflows-'));
  for (const wf of workflows) fs.writeFileSync(path.join(dir, `${wf.id}.json`), JSON.stringify(wf, null, 2));
  try {
    return await n8nCli(inst, ['import:workflow', '--separate', `--input=${dir}`]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Publishes (activates) a workflow with n8n stopped; it goes live at the next start.
 * @param {N8nInstance} inst
 * @param {string} id
 */
export async function publishWorkflow(inst, id) {
  return n8nCli(inst, ['publish:workflow', `--id=${id}`]);
}

/**
 * @typedef {object} RunningN8n
 * @property {string} baseUrl e.g. http://127.0.0.1:5678
 * @property {string} logFile
 * @property {number} pid
 * @property {number} startMs time from spawn to /healthz/readiness
 * @property {() => Promise<void>} stop
 * @property {() => number} rssMb resident memory of the main process (MB), 0 when unknown
 */

/**
 * Starts n8n (own process group, output to a file) and waits for `/healthz/readiness`.
 * @param {N8nInstance & {logFile?: string, readinessTimeoutMs?: number}} inst
 * @returns {Promise<RunningN8n>}
 */
export async function startN8n(inst) {
  const t0 = performance.now();
  const node24 = findNode24();
  const logFile = inst.logFile ?? path.join(inst.userFolder, '..', 'n8n.log');
  const t = spawnTracked('n8n', node24, [n8nBin(), 'start'], { cwd: inst.userFolder, env: n8nEnv(inst), logFile });
  const baseUrl = `http://127.0.0.1:${inst.port}`;
  const stop = () => stopTracked(t, 15_000);
  try {
    await waitFor(
      'n8n /healthz/readiness',
      async () => {
        if (t.hasExited()) throw Object.assign(new Error(`n8n exited early (code ${t.child.exitCode})`), { fatal: true });
        const r = await httpRequest(`${baseUrl}/healthz/readiness`, { timeoutMs: 2_000 });
        return r.status === 200;
      },
      { timeoutMs: inst.readinessTimeoutMs ?? 180_000, intervalMs: 250, onTimeout: () => `log tail:\n${tail(logFile)}` },
    );
  } catch (e) {
    await stop();
    throw new Error(`${e instanceof Error ? e.message : e}\n${tail(logFile)}`);
  }
  return {
    baseUrl,
    logFile,
    pid: t.pid,
    startMs: performance.now() - t0,
    stop,
    rssMb: () => rssMb(t.pid),
  };
}

/**
 * @param {number} pid
 * @returns {number} resident set size in MB (Linux /proc), 0 when unknown
 */
export function rssMb(pid) {
  try {
    const m = /VmRSS:\s+(\d+)\s+kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Math.round(Number(m[1]) / 1024) : 0;
  } catch {
    return 0;
  }
}

/**
 * A small client for n8n's internal REST API (cookie session) and its public API (API key).
 */
export class N8nClient {
  /** @param {string} baseUrl */
  constructor(baseUrl) {
    this.baseUrl = baseUrl;
    /** @type {string | undefined} */
    this.cookie = undefined;
    /** @type {string | undefined} */
    this.apiKey = undefined;
  }

  /**
   * A request with the owner's session cookie (and the browser-id n8n binds it to).
   * @param {string} method
   * @param {string} p absolute path, e.g. /rest/login or /types/nodes.json
   * @param {unknown} [body]
   */
  async session(method, p, body) {
    /** @type {Record<string,string>} */
    const headers = { 'browser-id': BROWSER_ID, accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.cookie) headers.cookie = this.cookie;
    const r = await httpRequest(`${this.baseUrl}${p}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const setCookie = r.headers.getSetCookie?.() ?? [];
    const auth = setCookie.find((c) => c.startsWith('n8n-auth='));
    if (auth) this.cookie = auth.split(';')[0];
    return r;
  }

  /**
   * @param {string} method
   * @param {string} p path under /rest
   * @param {unknown} [body]
   */
  rest(method, p, body) {
    return this.session(method, `/rest${p}`, body);
  }

  /**
   * @param {string} method
   * @param {string} p path under /api/v1
   * @param {unknown} [body]
   */
  async api(method, p, body) {
    if (!this.apiKey) throw new Error('no API key: call createApiKey() first');
    /** @type {Record<string,string>} */
    const headers = { 'X-N8N-API-KEY': this.apiKey, accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    return httpRequest(`${this.baseUrl}/api/v1${p}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }

  /** Creates the owner account (a fresh instance has none) and keeps its session cookie. */
  async setupOwner(owner = OWNER) {
    const r = await this.rest('POST', '/owner/setup', owner);
    if (r.status !== 200) {
      // Already set up (a reused user folder): log in instead.
      const l = await this.rest('POST', '/login', { emailOrLdapLoginId: owner.email, password: owner.password });
      if (l.status !== 200) throw new Error(`owner setup failed: ${r.status} ${r.text.slice(0, 300)}; login: ${l.status} ${l.text.slice(0, 300)}`);
    }
    if (!this.cookie) throw new Error('owner setup returned no n8n-auth cookie');
  }

  /** Creates a public-API key with every scope the owner may grant. */
  async createApiKey(label = 'mdm-webhooks-harness') {
    const sc = await this.rest('GET', '/api-keys/scopes');
    /** @type {string[] | undefined} */
    const scopes = sc.status === 200 ? (sc.json?.data ?? sc.json) : undefined;
    const r = await this.rest('POST', '/api-keys', { label: `${label}-${Date.now()}`, expiresAt: null, scopes });
    const key = r.json?.data?.rawApiKey ?? r.json?.data?.apiKey;
    if (r.status !== 200 || !key) throw new Error(`API key creation failed: ${r.status} ${r.text.slice(0, 300)}`);
    this.apiKey = key;
    return key;
  }

  /**
   * Activates ("publishes", n8n 2.x) a workflow through the public API.
   * @param {string} id
   */
  async activate(id) {
    let r = await this.api('POST', `/workflows/${id}/publish`, {});
    if (r.status === 404 && !/workflow/i.test(r.text)) r = await this.api('POST', `/workflows/${id}/activate`, {});
    if (r.status !== 200) throw new Error(`activate ${id}: ${r.status} ${r.text.slice(0, 500)}`);
    return r.json;
  }

  /**
   * Deactivates ("unpublishes", n8n 2.x) a workflow through the public API.
   * @param {string} id
   */
  async deactivate(id) {
    let r = await this.api('POST', `/workflows/${id}/unpublish`, {});
    if (r.status === 404 && !/workflow/i.test(r.text)) r = await this.api('POST', `/workflows/${id}/deactivate`, {});
    if (r.status !== 200) throw new Error(`deactivate ${id}: ${r.status} ${r.text.slice(0, 500)}`);
    return r.json;
  }

  /** @param {string} id */
  async workflow(id) {
    const r = await this.api('GET', `/workflows/${id}`);
    if (r.status !== 200) throw new Error(`get workflow ${id}: ${r.status} ${r.text.slice(0, 300)}`);
    return r.json;
  }

  /**
   * @param {string} workflowId
   * @returns {Promise<Array<{id: string, status: string, finished: boolean, mode: string}>>}
   */
  async executions(workflowId) {
    const r = await this.api('GET', `/executions?workflowId=${encodeURIComponent(workflowId)}&limit=250`);
    if (r.status !== 200) throw new Error(`list executions: ${r.status} ${r.text.slice(0, 300)}`);
    return r.json?.data ?? [];
  }

  /**
   * @param {string} id
   * @returns {Promise<any>} the execution with its run data
   */
  async execution(id) {
    const r = await this.api('GET', `/executions/${id}?includeData=true`);
    if (r.status !== 200) throw new Error(`get execution ${id}: ${r.status} ${r.text.slice(0, 300)}`);
    return r.json;
  }

  /**
   * Node types n8n has loaded (the editor's own list).
   * @returns {Promise<Array<{name: string, displayName: string, version: number | number[]}>>}
   */
  async nodeTypes() {
    const r = await this.session('GET', '/types/nodes.json');
    if (r.status === 200 && Array.isArray(r.json)) return r.json;
    throw new Error(`GET /types/nodes.json: ${r.status} ${r.text.slice(0, 200)}`);
  }

  /** @returns {Promise<Array<{name: string, displayName: string}>>} credential types n8n has loaded */
  async credentialTypes() {
    const r = await this.session('GET', '/types/credentials.json');
    if (r.status === 200 && Array.isArray(r.json)) return r.json;
    throw new Error(`GET /types/credentials.json: ${r.status} ${r.text.slice(0, 200)}`);
  }
}

// ---------------------------------------------------------------------------------------------
// dispatcher
// ---------------------------------------------------------------------------------------------

/**
 * @typedef {object} RunningDispatcher
 * @property {string} baseUrl
 * @property {string} apiKey
 * @property {string} dataFile
 * @property {string} logFile
 * @property {number} pid
 * @property {(method: string, p: string, body?: unknown) => Promise<{status: number, json: any, text: string}>} api
 * @property {() => Promise<void>} stop
 */

/**
 * Starts the built dispatcher (its bin, `server/bin/mdm-dispatcher.js`) on a temp lowdb file and waits for
 * `GET /healthz`.
 * @param {{port?: number, apiKey?: string, dataFile?: string, logFile?: string, env?: Record<string,string>, timeoutMs?: number}} [opts]
 * @returns {Promise<RunningDispatcher>}
 */
export async function startDispatcher(opts = {}) {
  const main = path.join(REPO_ROOT, 'server', 'bin', 'mdm-dispatcher.js');
  const built = path.join(REPO_ROOT, 'server', 'dist', 'server', 'main.js');
  if (!fs.existsSync(built)) throw new Error(`${built} does not exist: run \`npm run build\` first`);
  const port = opts.port ?? (await freePort());
  const root = opts.dataFile ? path.dirname(opts.dataFile) : makeTempDir('mdm-dispatcher');
  const dataFile = opts.dataFile ?? path.join(root, 'dispatcher.json');
  const logFile = opts.logFile ?? path.join(root, 'dispatcher.log');
  const apiKey = opts.apiKey ?? `dk_${crypto.randomBytes(24).toString('hex')}`;
  const node24 = findNode24();
  const env = {
    ...node24Env(node24),
    DISPATCHER_DATA: dataFile,
    DISPATCHER_API_KEY: apiKey,
    PORT: String(port),
    HOST: '127.0.0.1',
    DISPATCHER_ALLOW_HTTP: 'true',
    DISPATCHER_ALLOWED_CIDRS: '127.0.0.0/8',
    DISPATCHER_RETRY_SCHEDULE: '0.2,0.5,1',
    ...(opts.env ?? {}),
  };
  const t = spawnTracked('dispatcher', node24, [main], { cwd: REPO_ROOT, env, logFile });
  const baseUrl = `http://127.0.0.1:${port}`;
  const stop = () => stopTracked(t, 10_000);
  try {
    await waitFor(
      'dispatcher /healthz',
      async () => {
        if (t.hasExited()) throw Object.assign(new Error(`dispatcher exited early (code ${t.child.exitCode})`), { fatal: true });
        return (await httpRequest(`${baseUrl}/healthz`, { timeoutMs: 2_000 })).status === 200;
      },
      { timeoutMs: opts.timeoutMs ?? 30_000, intervalMs: 100, onTimeout: () => `log tail:\n${tail(logFile)}` },
    );
  } catch (e) {
    await stop();
    throw new Error(`${e instanceof Error ? e.message : e}\n${tail(logFile)}`);
  }
  /** @type {RunningDispatcher['api']} */
  const api = async (method, p, body) =>
    httpRequest(`${baseUrl}${p}`, {
      method,
      headers: {
        authorization: `Bearer ${apiKey}`,
        accept: 'application/json',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  return { baseUrl, apiKey, dataFile, logFile, pid: t.pid, api, stop };
}

// ---------------------------------------------------------------------------------------------
// loopback receivers
// ---------------------------------------------------------------------------------------------

/**
 * @typedef {object} CapturedRequest
 * @property {string} method
 * @property {string} url path and query
 * @property {Record<string, string | string[] | undefined>} headers lower-case names
 * @property {Buffer} rawBody
 * @property {string} body rawBody as UTF-8
 * @property {any} json parsed body, undefined when not JSON
 * @property {number} receivedAt performance.now() when the body was complete
 */

/**
 * @typedef {object} Receiver
 * @property {string} name
 * @property {string} url base URL, e.g. http://127.0.0.1:40123
 * @property {CapturedRequest[]} requests
 * @property {(pred?: (r: CapturedRequest) => boolean, timeoutMs?: number) => Promise<CapturedRequest>} waitFor
 * @property {() => void} clear
 * @property {(status: number) => void} setStatus
 * @property {() => Promise<void>} close
 */

/**
 * A loopback HTTP server standing in for Slack, Teams or a custom endpoint: records every request
 * (method, headers, raw body) and answers `status` (200 by default).
 * @param {string} name
 * @param {{status?: number, responseBody?: string}} [opts]
 * @returns {Promise<Receiver>}
 */
export function startReceiver(name, opts = {}) {
  /** @type {CapturedRequest[]} */
  const requests = [];
  /** @type {Array<{pred: (r: CapturedRequest) => boolean, resolve: (r: CapturedRequest) => void}>} */
  let waiters = [];
  let status = opts.status ?? 200;
  const server = http.createServer((req, res) => {
    /** @type {Buffer[]} */
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const rawBody = Buffer.concat(chunks);
      const body = rawBody.toString('utf8');
      let json;
      try {
        json = body ? JSON.parse(body) : undefined;
      } catch {
        json = undefined;
      }
      /** @type {CapturedRequest} */
      const cap = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, rawBody, body, json, receivedAt: performance.now() };
      requests.push(cap);
      res.writeHead(status, { 'content-type': 'text/plain' });
      res.end(opts.responseBody ?? 'ok');
      const still = [];
      for (const w of waiters) {
        if (w.pred(cap)) w.resolve(cap);
        else still.push(w);
      }
      waiters = still;
    });
  });
  server.keepAliveTimeout = 1_000;
  return new Promise((resolve, reject) => {
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const addr = server.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      resolve({
        name,
        url: `http://127.0.0.1:${port}`,
        requests,
        clear: () => {
          requests.length = 0;
        },
        setStatus: (s) => {
          status = s;
        },
        waitFor: (pred = () => true, timeoutMs = 30_000) => {
          const hit = requests.find(pred);
          if (hit) return Promise.resolve(hit);
          return new Promise((res, rej) => {
            const w = { pred, resolve: (/** @type {CapturedRequest} */ r) => (clearTimeout(timer), res(r)) };
            const timer = setTimeout(() => {
              waiters = waiters.filter((x) => x !== w);
              rej(new Error(`receiver ${name}: no matching request within ${fmtMs(timeoutMs)} (${requests.length} received)`));
            }, timeoutMs);
            waiters.push(w);
          });
        },
        close: () =>
          new Promise((res) => {
            server.closeAllConnections();
            server.close(() => res(undefined));
          }),
      });
    });
  });
}

// ---------------------------------------------------------------------------------------------
// example workflows
// ---------------------------------------------------------------------------------------------

export const EXAMPLES_DIR = path.join(REPO_ROOT, 'docs', 'examples');

/**
 * Loads an example workflow from docs/examples and replaces placeholder strings (receiver URLs,
 * credential ids) everywhere in it.
 * @param {string} name file name without .json
 * @param {Record<string, string>} [replacements] exact string → replacement
 * @returns {Record<string, any>}
 */
export function loadExample(name, replacements = {}) {
  let text = fs.readFileSync(path.join(EXAMPLES_DIR, `${name}.json`), 'utf8');
  for (const [from, to] of Object.entries(replacements)) text = text.split(from).join(to);
  return JSON.parse(text);
}

/**
 * @returns {string | null} the repository's build status: null when `dist/` has what n8n loads
 * and `server/dist/` the dispatcher
 */
export function missingBuildOutputs() {
  const pj = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
  const files = [...(pj.n8n?.nodes ?? []), ...(pj.n8n?.credentials ?? []), 'server/dist/server/main.js'];
  const missing = files.filter((f) => !fs.existsSync(path.join(REPO_ROOT, f)));
  return missing.length ? missing.join(', ') : null;
}

/**
 * Runs `npm run build` in the repository (output to a log file), bounded.
 * @param {{logFile: string, timeoutMs?: number}} opts
 */
export function buildPackage(opts) {
  const node24 = findNode24();
  const r = spawnSync('npm', ['run', 'build'], {
    cwd: REPO_ROOT,
    env: node24Env(node24),
    encoding: 'utf8',
    timeout: opts.timeoutMs ?? 300_000,
    killSignal: 'SIGKILL',
    maxBuffer: 64 * 1024 * 1024,
  });
  fs.writeFileSync(opts.logFile, `${r.stdout ?? ''}${r.stderr ?? ''}`);
  if (r.status !== 0) {
    throw new Error(`npm run build failed (${r.signal ?? `exit ${r.status}`}):\n${tail(opts.logFile, 25)}`);
  }
}

/**
 * Checks a captured request's Standard Webhooks signature (`webhook-id`, `webhook-timestamp`,
 * `webhook-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body">`, key = base64 after whsec_).
 * @param {CapturedRequest} req
 * @param {string} secret whsec_…
 * @param {number} [toleranceSeconds]
 * @returns {{ok: boolean, reason?: string}}
 */
export function verifyStandardSignature(req, secret, toleranceSeconds = 300) {
  const id = req.headers['webhook-id'];
  const ts = req.headers['webhook-timestamp'];
  const sigs = req.headers['webhook-signature'];
  if (typeof id !== 'string' || typeof ts !== 'string' || typeof sigs !== 'string') {
    return { ok: false, reason: `missing header (webhook-id=${id}, webhook-timestamp=${ts}, webhook-signature=${sigs})` };
  }
  if (Math.abs(Date.now() / 1000 - Number(ts)) > toleranceSeconds) return { ok: false, reason: `timestamp ${ts} out of window` };
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const expected = crypto.createHmac('sha256', key).update(`${id}.${ts}.`).update(req.rawBody).digest();
  for (const part of sigs.split(' ')) {
    const [v, b64] = part.split(',');
    if (v !== 'v1' || !b64) continue;
    const got = Buffer.from(b64, 'base64');
    if (got.length === expected.length && crypto.timingSafeEqual(got, expected)) return { ok: true };
  }
  return { ok: false, reason: 'no v1 signature matches' };
}

// n8n doing the dispatcher's job: a Webhook node ("Respond: Immediately") feeding three HTTP
// Request nodes, one per receiver, each posting the received JSON body. Set up and run through the
// real-n8n harness (scripts/n8n/harness.mjs): cached n8n install, `n8n import:workflow`,
// `n8n publish:workflow`, `n8n start`.
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { descendants, track } from './proc.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(here, '..', '..');
export const WORKFLOW_ID = 'mdmBenchRelay001';
export const WEBHOOK_PATH = 'mdm-bench-relay';

export function benchWorkflow(receiverUrls) {
  const uuid = () => crypto.randomUUID();
  const targets = receiverUrls.map((url, i) => ({
    id: uuid(),
    name: `POST to receiver ${i + 1}`,
    type: 'n8n-nodes-base.httpRequest',
    typeVersion: 4.2,
    position: [320, (i - 1) * 180],
    parameters: {
      method: 'POST',
      url: `${url}/hook`,
      sendBody: true,
      specifyBody: 'json',
      jsonBody: '={{ JSON.stringify($json.body) }}',
      options: {},
    },
  }));
  return {
    id: WORKFLOW_ID,
    name: 'bench: MDM event → 3 receivers (Webhook → HTTP Request)',
    nodes: [
      {
        id: uuid(),
        name: 'MDM event',
        type: 'n8n-nodes-base.webhook',
        typeVersion: 2,
        position: [0, 0],
        webhookId: uuid(),
        parameters: { httpMethod: 'POST', path: WEBHOOK_PATH, responseMode: 'onReceived', options: {} },
      },
      ...targets,
    ],
    connections: { 'MDM event': { main: [targets.map((t) => ({ node: t.name, type: 'main', index: 0 }))] } },
    settings: { executionOrder: 'v1' },
    pinData: {},
    active: false,
    tags: [],
  };
}

/**
 * Makes sure n8n is installed within `budgetMs`: a complete cached install is used as is; else
 * `node scripts/n8n/install.mjs` runs (its own process group) and is stopped, with everything it
 * started, when the budget runs out.
 * @returns {Promise<{ok: true, cached: boolean, ms: number} | {ok: false, reason: string}>}
 */
export async function ensureN8n(budgetMs, progress) {
  const install = await import('../../scripts/n8n/install.mjs');
  if (install.readMarker()) return { ok: true, cached: true, ms: 0 };
  if (budgetMs < 60_000) {
    return {
      ok: false,
      reason: `n8n ${install.N8N_VERSION} is not installed in ${install.n8nInstallDir()} and only ${Math.round(budgetMs / 1000)} s of the bench's time budget are left (an install took ~9 min on this machine); run \`node scripts/n8n/install.mjs\` once, then \`npm run bench\` again`,
    };
  }
  progress(`n8n: installing n8n ${install.N8N_VERSION} (budget ${Math.round(budgetMs / 1000)} s)…`);
  const t0 = performance.now();
  const child = track(spawn(process.execPath, [path.join(REPO, 'scripts', 'n8n', 'install.mjs')], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] }));
  child.stdout.on('data', (chunk) => {
    for (const line of chunk.toString().split('\n')) if (line.trim()) progress(`n8n: ${line.trim()}`);
  });
  const exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  const timedOut = new Promise((resolve) => setTimeout(() => resolve('timeout'), budgetMs).unref());
  const outcome = await Promise.race([exited, timedOut]);
  if (outcome === 'timeout') {
    // The installer starts npm in process groups of its own: stop the whole tree by pid.
    const pids = [child.pid, ...descendants(child.pid)];
    for (const pid of pids.reverse()) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        /* gone */
      }
    }
    return { ok: false, reason: `n8n ${install.N8N_VERSION} install did not finish within the ${Math.round(budgetMs / 1000)} s left of the bench's budget; run \`node scripts/n8n/install.mjs\` once (≈9 min here), then \`npm run bench\` again` };
  }
  if (outcome !== 0 || !install.readMarker()) return { ok: false, reason: `n8n install failed (exit ${outcome}); see ${install.n8nInstallDir()}/install.log` };
  return { ok: true, cached: false, ms: performance.now() - t0 };
}

/**
 * Starts n8n with the bench workflow live. Returns the production webhook URL and a stop function.
 */
export async function startN8nRelay(receiverUrls, progress) {
  const h = await import('../../scripts/n8n/harness.mjs');
  const inst = await h.createN8nInstance();
  let t = performance.now();
  await h.importWorkflows(inst, [benchWorkflow(receiverUrls)]);
  progress(`n8n: workflow imported (${Math.round(performance.now() - t)} ms)`);
  t = performance.now();
  await h.publishWorkflow(inst, WORKFLOW_ID);
  progress(`n8n: workflow published (${Math.round(performance.now() - t)} ms)`);
  const n = await h.startN8n({ ...inst, logFile: path.join(inst.root, 'n8n.log') });
  progress(`n8n: ${h.N8N_VERSION} ready at ${n.baseUrl} in ${Math.round(n.startMs)} ms (log ${n.logFile})`);
  const url = `${n.baseUrl}/webhook/${WEBHOOK_PATH}`;
  return { url, pid: n.pid, root: inst.root, version: h.N8N_VERSION, rssMb: n.rssMb, stop: n.stop, logFile: n.logFile };
}

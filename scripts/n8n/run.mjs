#!/usr/bin/env node
// `npm run test:n8n`: the node pack proven inside a real n8n (issue 4).
//
// install n8n (cached) → npm run build → loopback receivers + dispatcher → fresh n8n user folder
// with the packed node pack installed as n8n's installer does → import credentials and the example
// workflows with n8n's CLI → publish two of them before start → start n8n → owner + API key →
// acceptance checks → stop everything (finally) → `N passed, M failed`.
//
// Flags: --skip-build (use the dist/ that is there), --keep (keep the temp folder with logs).
// Env:   N8N_CACHE_DIR (install cache root), N8N_HARNESS_LATENCY_EVENTS (default 10).

import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

import {
  N8N_VERSION,
  N8nClient,
  buildPackage,
  createN8nInstance,
  ensureN8nInstalled,
  fmtMs,
  httpRequest,
  importCredentials,
  importWorkflows,
  installPackage,
  loadExample,
  makeTempDir,
  missingBuildOutputs,
  publishWorkflow,
  sleep,
  startDispatcher,
  startN8n,
  startReceiver,
  stopAll,
  tail,
  trackedProcesses,
  verifyStandardSignature,
  waitFor,
} from './harness.mjs';
import { kib } from '../packages/tarball.mjs';

const args = new Set(process.argv.slice(2));
const SKIP_BUILD = args.has('--skip-build');
const KEEP = args.has('--keep') || process.env.N8N_HARNESS_KEEP === '1';
const LATENCY_EVENTS = Math.max(1, Number(process.env.N8N_HARNESS_LATENCY_EVENTS ?? 10) || 10);

const WF = {
  enrollment: { file: 'enrollment-to-slack', id: 'mdmEnrollSlack01', trigger: 'Device enrolled or unenrolled' },
  compliance: { file: 'compliance-to-teams', id: 'mdmComplyTeams01', trigger: 'Compliance violated' },
  verify: { file: 'verify-incoming', id: 'mdmVerifyMender1', path: 'mdm-mender-events' },
};
// Placeholders in the committed example files (importable by hand) and what the harness puts there.
const PLACEHOLDER = {
  slack: 'https://hooks.slack.com/services/T00000000/B00000000/REPLACE_WITH_YOUR_SLACK_WEBHOOK',
  teams: 'https://example.webhook.office.com/webhookb2/REPLACE_WITH_YOUR_TEAMS_WORKFLOW_URL',
  custom: 'https://mdm-receiver.example.com',
};
const PACK_NODES = ['mdmEventTrigger', 'sendWebhook', 'verifySignature', 'mdmVendorEvent'].map((n) => `n8n-nodes-mdm-webhooks.${n}`);
const PACK_CREDENTIALS = ['mdmDispatcherApi', 'webhookSigningSecretApi', 'destinationAuthApi'];

/** @param {string} s */
const out = (s) => process.stdout.write(`${s}\n`);

/** @type {Array<{name: string, ok: boolean, ms: number, detail: string}>} */
const results = [];

/**
 * Runs one acceptance check and prints it as one line.
 * @param {string} name
 * @param {() => Promise<string | void>} fn returns an optional detail for the PASS line
 * @param {string | null} [blockedBy] when set, the check is not run and counts as failed
 */
async function check(name, fn, blockedBy = null) {
  const t0 = performance.now();
  if (blockedBy) {
    results.push({ name, ok: false, ms: 0, detail: `not run: ${blockedBy}` });
    out(`FAIL ${name} (0ms) — not run: ${blockedBy}`);
    return false;
  }
  try {
    const detail = (await fn()) ?? '';
    const ms = performance.now() - t0;
    results.push({ name, ok: true, ms, detail });
    out(`PASS ${name} (${fmtMs(ms)})${detail ? ` — ${detail}` : ''}`);
    return true;
  } catch (e) {
    const ms = performance.now() - t0;
    const msg = e instanceof Error ? e.message : String(e);
    results.push({ name, ok: false, ms, detail: msg });
    out(`FAIL ${name} (${fmtMs(ms)}) — ${msg.split('\n')[0]}`);
    const rest = msg.split('\n').slice(1).join('\n').trim();
    if (rest) out(rest.replace(/^/gm, '     | '));
    return false;
  }
}

/**
 * Runs a phase and prints one progress line with its duration; rethrows on failure.
 * @template T
 * @param {string} name
 * @param {() => Promise<T>} fn
 * @param {(v: T) => string} [describe]
 * @returns {Promise<T>}
 */
async function phase(name, fn, describe) {
  const t0 = performance.now();
  try {
    const v = await fn();
    out(`[n8n] ${name}${describe ? `: ${describe(v)}` : ''} (${fmtMs(performance.now() - t0)})`);
    return v;
  } catch (e) {
    out(`[n8n] ${name}: FAILED (${fmtMs(performance.now() - t0)}): ${e instanceof Error ? e.message : e}`);
    throw e;
  }
}

/** @param {unknown} v */
function assert(v, /** @type {string} */ msg) {
  if (!v) throw new Error(msg);
}

/** @param {number[]} xs @param {number} p */
function percentile(xs, p) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}

async function main() {
  const tStart = performance.now();
  out(`[n8n] real-n8n proof: n8n ${N8N_VERSION}, package n8n-nodes-mdm-webhooks, node ${process.version}`);
  const root = makeTempDir('mdm-n8n-proof');
  out(`[n8n] work folder ${root}${KEEP ? ' (kept)' : ''}`);

  /** @type {import('./harness.mjs').RunningN8n | undefined} */
  let n8n;
  /** @type {import('./harness.mjs').RunningDispatcher | undefined} */
  let dispatcher;
  /** @type {import('./harness.mjs').Receiver[]} */
  const receivers = [];
  let blocked = /** @type {string | null} */ (null);
  /** @type {Record<string, number>} */
  const latency = {};

  try {
    // ---- install, build ------------------------------------------------------------------
    try {
      const inst = await ensureN8nInstalled();
      out(`[n8n] phase install: ${inst.cached ? 'cached' : 'fresh'} (${fmtMs(inst.durationMs)})`);
    } catch (e) {
      blocked = `install failed: ${e instanceof Error ? e.message : e}`;
    }

    if (!blocked) {
      try {
        if (SKIP_BUILD) out('[n8n] phase build: skipped (--skip-build)');
        else await phase('phase build: npm run build', async () => buildPackage({ logFile: path.join(root, 'build.log') }));
        const missing = missingBuildOutputs();
        if (missing) throw new Error(`build output missing: ${missing}`);
      } catch (e) {
        blocked = `build failed: ${e instanceof Error ? e.message.split('\n')[0] : e}`;
        if (e instanceof Error && e.message.includes('\n')) out(e.message.split('\n').slice(1).join('\n').replace(/^/gm, '     | '));
      }
    }

    // ---- receivers, dispatcher, n8n ------------------------------------------------------
    /** @type {Record<string, import('./harness.mjs').Receiver>} */
    const rcv = {};
    const secrets = {
      receiverToken: `rcv_${crypto.randomBytes(16).toString('hex')}`,
      receiverSigning: `whsec_${crypto.randomBytes(32).toString('base64')}`,
      // Mender secrets are hex (Mender keys its HMAC with the decoded bytes).
      mender: crypto.randomBytes(32).toString('hex'),
    };
    /** @type {N8nClient | undefined} */
    let client;
    /** @type {Awaited<ReturnType<typeof createN8nInstance>> | undefined} */
    let instance;
    /** @type {ReturnType<typeof installPackage> | undefined} */
    let installed;
    /** @type {Record<string, any>} */
    let samples = {};

    if (!blocked) {
      try {
        await phase('phase receivers', async () => {
          for (const name of ['slack', 'teams', 'custom']) {
            rcv[name] = await startReceiver(name);
            receivers.push(rcv[name]);
          }
        }, () => Object.values(rcv).map((r) => `${r.name} ${r.url}`).join(', '));

        dispatcher = await phase(
          'phase dispatcher start',
          () => startDispatcher({ dataFile: path.join(root, 'dispatcher', 'dispatcher.json') }),
          (d) => `${d.baseUrl} (data ${d.dataFile})`,
        );
        const d = dispatcher;
        samples = await phase('phase dispatcher catalog', async () => {
          const r = await d.api('GET', '/v1/event-types');
          assert(r.status === 200 && Array.isArray(r.json?.data), `GET /v1/event-types: ${r.status} ${r.text.slice(0, 200)}`);
          return Object.fromEntries(r.json.data.map((/** @type {any} */ t) => [t.type, t.sample]));
        }, (s) => `${Object.keys(s).length} event types`);

        instance = await createN8nInstance({ root: path.join(root, 'n8n') });
        const inst = instance;
        installed = await phase(
          'phase install package (npm pack, then as n8n\'s installer: unpacked, dev/peer/optional dependencies dropped, npm install with scripts off)',
          async () => installPackage(inst.userFolder),
          (i) =>
            `${path.basename(i.tarball)} (${kib(i.packedBytes)}) → ${i.dir}: ${kib(i.bytes)} in ${i.files} files, ${i.dependencies.length} dependencies${i.dependencies.length ? ` (${i.dependencies.join(', ')})` : ''}; dropped ${i.strippedFields.join(', ') || 'nothing'}`,
        );

        const credentials = [
          { id: 'mdmDispatcher001', name: 'MDM Dispatcher', type: 'mdmDispatcherApi', data: { baseUrl: d.baseUrl, apiKey: d.apiKey } },
          { id: 'receiverAuth0001', name: 'Receiver bearer token', type: 'destinationAuthApi', data: { authType: 'bearer', token: secrets.receiverToken } },
          {
            id: 'receiverSign0001',
            name: 'Receiver signing secret (Standard Webhooks)',
            type: 'webhookSigningSecretApi',
            data: { scheme: 'standard', secret: secrets.receiverSigning },
          },
          { id: 'menderSecret0001', name: 'Mender webhook secret', type: 'webhookSigningSecretApi', data: { scheme: 'mender', secret: secrets.mender } },
        ];
        await phase('phase import credentials (n8n import:credentials)', () => importCredentials(inst, credentials), () => `${credentials.length} credentials`);

        const replacements = {
          [PLACEHOLDER.slack]: `${rcv.slack.url}/services/provisioning`,
          [PLACEHOLDER.teams]: `${rcv.teams.url}/webhookb2/war-room`,
          [PLACEHOLDER.custom]: rcv.custom.url,
        };
        const workflows = Object.values(WF).map((w) => loadExample(w.file, replacements));
        await phase('phase import workflows (n8n import:workflow)', () => importWorkflows(inst, workflows), () => workflows.map((w) => w.id).join(', '));

        // compliance-to-teams and verify-incoming go live at start (n8n publish:workflow, n8n
        // stopped); enrollment-to-slack is activated later through the public API (a check).
        for (const w of [WF.compliance, WF.verify]) {
          await phase(`phase publish ${w.file} (n8n publish:workflow)`, () => publishWorkflow(inst, w.id));
        }

        n8n = await phase('phase n8n start', () => startN8n({ ...inst, logFile: path.join(root, 'n8n.log') }), (n) => `${n.baseUrl} ready, rss ${n.rssMb()} MB`);
        const started = n8n;
        client = new N8nClient(started.baseUrl);
        const c = client;
        await phase('phase owner setup + API key', async () => {
          await c.setupOwner();
          await c.createApiKey();
        });
      } catch (e) {
        blocked = `setup failed: ${e instanceof Error ? e.message.split('\n')[0] : e}`;
        if (e instanceof Error && e.message.includes('\n')) out(e.message.split('\n').slice(1).join('\n').replace(/^/gm, '     | '));
      }
    }

    // ---- checks ----------------------------------------------------------------------------
    const n = /** @type {import('./harness.mjs').RunningN8n} */ (n8n);
    const d = /** @type {import('./harness.mjs').RunningDispatcher} */ (dispatcher);
    const c = /** @type {N8nClient} */ (client);

    /** @returns {Promise<any[]>} */
    const dispatcherWebhooks = async () => {
      const r = await d.api('GET', '/v1/webhooks');
      assert(r.status === 200 && Array.isArray(r.json?.data), `GET /v1/webhooks: ${r.status} ${r.text.slice(0, 200)}`);
      return r.json.data;
    };
    /** @param {{file: string}} w */
    const triggerNode = (w) => loadExample(w.file).nodes.find((/** @type {any} */ x) => x.type.endsWith('.mdmEventTrigger'));
    /** @param {{file: string}} w */
    const productionUrl = (w) => `${n.baseUrl}/webhook/${triggerNode(w).webhookId}/webhook`;
    /**
     * Posts an event to the dispatcher.
     * @param {string} type
     * @param {(data: any) => void} [mutate]
     */
    const postEvent = async (type, mutate) => {
      const data = structuredClone(samples[type]);
      assert(data, `the dispatcher's catalog has no sample for ${type}`);
      if (mutate) mutate(data);
      const t0 = performance.now();
      const r = await d.api('POST', '/v1/events', { type, data });
      assert(r.status === 202, `POST /v1/events ${type}: ${r.status} ${r.text.slice(0, 300)}`);
      return { id: /** @type {string} */ (r.json.id), data, t0, deliveries: r.json.deliveries ?? [] };
    };
    /** @param {string} id */
    const byWebhookId = (id) => (/** @type {import('./harness.mjs').CapturedRequest} */ r) => r.headers['webhook-id'] === id;
    /** Executions of a workflow once the count is stable (nothing still arriving). */
    const settledExecutions = async (/** @type {string} */ wfId) => {
      let prev = -1;
      return waitFor(
        `executions of ${wfId} to settle`,
        async () => {
          const list = await c.executions(wfId);
          const running = list.some((x) => !x.finished && x.status === 'running');
          const same = list.length === prev && !running;
          prev = list.length;
          return same ? list : null;
        },
        { timeoutMs: 20_000, intervalMs: 700 },
      );
    };

    await check('n8n lists the pack\'s four nodes and three credential types', async () => {
      const types = await c.nodeTypes();
      const names = new Set(types.map((t) => t.name));
      const missing = PACK_NODES.filter((x) => !names.has(x));
      const creds = new Set((await c.credentialTypes()).map((t) => t.name));
      const missingCreds = PACK_CREDENTIALS.filter((x) => !creds.has(x));
      assert(!missing.length && !missingCreds.length, `missing nodes [${missing.join(', ')}] credentials [${missingCreds.join(', ')}]; log: ${tail(n.logFile, 8)}`);
      return `${PACK_NODES.join(', ')}; ${PACK_CREDENTIALS.join(', ')}`;
    }, blocked);

    await check('the pack as n8n installs it: 0 dependencies, under 1 MB', async () => {
      const i = /** @type {NonNullable<typeof installed>} */ (installed);
      assert(i.dependencies.length === 0, `installed dependencies: ${i.dependencies.join(', ')}`);
      assert(i.bytes < 1_000_000, `installed size ${i.bytes} bytes`);
      assert(!fs.lstatSync(i.dir).isSymbolicLink(), `${i.dir} is a symlink`);
      return `${kib(i.bytes)} (${i.bytes} bytes) in ${i.files} files, 0 dependencies, tarball ${kib(i.packedBytes)}`;
    }, blocked ?? (installed ? null : 'the package was not installed'));

    await check('publish:workflow before start activates compliance-to-teams and verify-incoming', async () => {
      const wfs = await Promise.all([c.workflow(WF.compliance.id), c.workflow(WF.verify.id)]);
      assert(wfs.every((w) => w.active), `active: ${wfs.map((w) => `${w.id}=${w.active}`).join(', ')}`);
      const url = productionUrl(WF.compliance);
      const hooks = await waitFor('compliance webhook at the dispatcher', async () => (await dispatcherWebhooks()).filter((h) => h.url === url), { timeoutMs: 20_000 });
      assert(hooks.length === 1, `expected 1 dispatcher webhook for ${url}, found ${hooks.length}`);
      assert(JSON.stringify(hooks[0].events) === JSON.stringify(['compliance.violated']), `events ${JSON.stringify(hooks[0].events)}`);
      return `dispatcher webhook ${hooks[0].id} → ${url}`;
    }, blocked);

    let enrollmentActive = false;
    /**
     * Waits (bounded) until the dispatcher holds `count` webhooks for `url`: n8n 2.x publishes
     * workflows asynchronously (an outbox), so activation lands shortly after the API answers.
     * @param {string} url @param {number} count
     */
    const waitWebhooks = (url, count) =>
      waitFor(
        `${count} dispatcher webhook(s) for ${url}`,
        async () => {
          const hooks = (await dispatcherWebhooks()).filter((h) => h.url === url);
          return hooks.length === count ? hooks : null;
        },
        {
          timeoutMs: 45_000,
          intervalMs: 100,
          onTimeout: () => `n8n log: ${tail(n.logFile, 6)}`,
        },
      );

    await check('activating enrollment-to-slack registers n8n\'s production URL at the dispatcher', async () => {
      const url = productionUrl(WF.enrollment);
      const before = (await dispatcherWebhooks()).filter((h) => h.url === url);
      assert(before.length === 0, `a webhook for ${url} existed before activation`);
      const t0 = performance.now();
      await c.activate(WF.enrollment.id);
      const hooks = /** @type {any[]} */ (await waitWebhooks(url, 1));
      const took = performance.now() - t0;
      enrollmentActive = true;
      const ev = [...hooks[0].events].sort();
      assert(JSON.stringify(ev) === JSON.stringify(['device.enrolled', 'device.unenrolled']), `events ${JSON.stringify(ev)}`);
      const sd = await waitFor(
        'the trigger\'s static data (webhook id + secret)',
        async () => {
          const s = (await c.workflow(WF.enrollment.id)).staticData?.[`node:${WF.enrollment.trigger}`];
          return s?.webhookId === hooks[0].id && /^whsec_/.test(s?.secret ?? '') ? s : null;
        },
        { timeoutMs: 10_000, intervalMs: 200 },
      );
      return `webhook ${sd.webhookId} → ${url}, registered ${fmtMs(took)} after the API call`;
    }, blocked);

    await check('deactivating enrollment-to-slack through n8n removes the dispatcher webhook', async () => {
      const url = productionUrl(WF.enrollment);
      const t0 = performance.now();
      await c.deactivate(WF.enrollment.id);
      enrollmentActive = false;
      await waitWebhooks(url, 0);
      const took = performance.now() - t0;
      // Back on for the delivery checks.
      await c.activate(WF.enrollment.id);
      const again = /** @type {any[]} */ (await waitWebhooks(url, 1));
      enrollmentActive = true;
      return `removed ${fmtMs(took)} after the API call; re-activated as ${again[0].id}`;
    }, blocked);
    const enrollBlocked = blocked ?? (enrollmentActive ? null : 'enrollment-to-slack is not active');

    await check('device.enrolled → dispatcher → n8n → Slack receiver with the JSONata-mapped text', async () => {
      rcv.slack.clear();
      const ev = await postEvent('device.enrolled', (data) => {
        data.device.name = 'Galaxy Note 8 (harness)';
        data.device.platform = 'android';
      });
      const got = await rcv.slack.waitFor(byWebhookId(ev.id), 30_000).catch(async (e) => {
        throw new Error(`${e.message}; slack got ${rcv.slack.requests.length}; n8n log: ${tail(n.logFile, 10)}`);
      });
      latency.first = got.receivedAt - ev.t0;
      const user = ev.data.user?.name ?? ev.data.device?.user?.name ?? 'no user';
      const expected = `:iphone: Device enrolled: Galaxy Note 8 (harness) (android) for ${user}`;
      assert(got.json?.text === expected, `text ${JSON.stringify(got.json?.text)} ≠ ${JSON.stringify(expected)}`);
      assert(got.json?.channel === '#provisioning', `channel ${JSON.stringify(got.json?.channel)}`);
      assert(Array.isArray(got.json?.blocks) && got.json.blocks.length > 0, 'no blocks');
      assert(got.method === 'POST' && got.url === '/services/provisioning', `${got.method} ${got.url}`);
      return `"${got.json.text}" in ${fmtMs(latency.first)}`;
    }, enrollBlocked);

    await check('the trigger answers deliveries in JSON ({received, id} in the dispatcher\'s log) and webhook.test without an execution', async () => {
      const hook = (await dispatcherWebhooks()).find((h) => h.url === productionUrl(WF.enrollment));
      assert(hook, 'no dispatcher webhook for enrollment-to-slack');
      const ev = await postEvent('device.enrolled');
      const ref = ev.deliveries.find((/** @type {any} */ x) => x.webhookId === hook.id);
      assert(ref, `event ${ev.id} has no delivery to ${hook.id}`);
      const detail = await waitFor(
        `delivery ${ref.id} to finish`,
        async () => {
          const r = await d.api('GET', `/v1/deliveries/${ref.id}`);
          return r.json?.status && r.json.status !== 'pending' ? r.json : null;
        },
        { timeoutMs: 20_000, intervalMs: 200 },
      );
      const last = detail.attempts?.at(-1);
      assert(detail.status === 'succeeded' && last?.statusCode === 200, `delivery ${detail.status}, last attempt ${JSON.stringify(last)}`);
      /** @type {any} */
      let answered;
      try {
        answered = JSON.parse(last.response);
      } catch {
        throw new Error(`the delivery log holds a non-JSON answer: ${JSON.stringify(last.response)}`);
      }
      assert(answered?.received === true && answered?.id === ev.id, `answer ${last.response}`);
      await rcv.slack.waitFor(byWebhookId(ev.id), 30_000);

      const before = await settledExecutions(WF.enrollment.id);
      const t = await d.api('POST', `/v1/webhooks/${hook.id}/test`, {});
      assert(t.status === 200 && t.json?.ok === true, `test send: ${t.status} ${t.text.slice(0, 300)}`);
      assert(JSON.parse(t.json.response)?.test === true, `test send answered ${t.json.response}`);
      await sleep(1_500);
      const after = await settledExecutions(WF.enrollment.id);
      assert(after.length === before.length, `webhook.test started an execution (${before.length} → ${after.length})`);
      return `delivery answered ${last.response}; webhook.test answered ${t.json.response}, executions stayed at ${after.length}`;
    }, enrollBlocked);

    await check('compliance.violated severity high → Teams receiver gets an Adaptive Card', async () => {
      rcv.teams.clear();
      rcv.custom.clear();
      const ev = await postEvent('compliance.violated', (data) => {
        data.severity = 'high';
      });
      const got = await rcv.teams.waitFor(byWebhookId(ev.id), 30_000).catch(async (e) => {
        throw new Error(`${e.message}; custom got ${rcv.custom.requests.length}; n8n log: ${tail(n.logFile, 10)}`);
      });
      latency.teams = got.receivedAt - ev.t0;
      const att = got.json?.attachments;
      assert(got.json?.type === 'message', `type ${JSON.stringify(got.json?.type)}`);
      assert(Array.isArray(att) && att.length === 1, `attachments ${JSON.stringify(att)?.slice(0, 200)}`);
      assert(att[0].contentType === 'application/vnd.microsoft.card.adaptive', `contentType ${att[0].contentType}`);
      assert(att[0].content?.type === 'AdaptiveCard', `content.type ${att[0].content?.type}`);
      await sleep(500);
      assert(!rcv.custom.requests.some(byWebhookId(ev.id)), 'the high event also reached the custom receiver');
      return `AdaptiveCard ${att[0].content.version ?? ''} in ${fmtMs(latency.teams)}`;
    }, blocked);

    await check('compliance.violated severity low → custom receiver (signed, bearer auth)', async () => {
      rcv.teams.clear();
      rcv.custom.clear();
      const ev = await postEvent('compliance.violated', (data) => {
        data.severity = 'low';
      });
      const got = await rcv.custom.waitFor(byWebhookId(ev.id), 30_000).catch(async (e) => {
        throw new Error(`${e.message}; teams got ${rcv.teams.requests.length}; n8n log: ${tail(n.logFile, 10)}`);
      });
      latency.custom = got.receivedAt - ev.t0;
      assert(got.url === '/compliance', `path ${got.url}`);
      assert(got.json?.type === 'compliance.violated' && got.json?.id === ev.id, `body ${got.body.slice(0, 200)}`);
      assert(got.json?.data?.severity === 'low', `severity ${got.json?.data?.severity}`);
      assert(got.headers.authorization === `Bearer ${secrets.receiverToken}`, `authorization ${got.headers.authorization}`);
      assert(got.headers['x-source'] === 'n8n-mdm-webhooks', `x-source ${got.headers['x-source']}`);
      const v = verifyStandardSignature(got, secrets.receiverSigning);
      assert(v.ok, `standard signature: ${v.reason}`);
      await sleep(500);
      assert(!rcv.teams.requests.some(byWebhookId(ev.id)), 'the low event also reached Teams');
      return `envelope ${ev.id} signed and authorised in ${fmtMs(latency.custom)}`;
    }, blocked);

    await check('tampered body at the trigger URL → 401 and no execution', async () => {
      const wf = await c.workflow(WF.enrollment.id);
      const secret = wf.staticData?.[`node:${WF.enrollment.trigger}`]?.secret;
      assert(typeof secret === 'string', 'the trigger holds no secret in static data');
      const before = await settledExecutions(WF.enrollment.id);
      const body = JSON.stringify({
        id: `evt_${crypto.randomBytes(8).toString('hex')}`,
        type: 'device.enrolled',
        timestamp: new Date().toISOString(),
        data: samples['device.enrolled'],
      });
      const msgId = `msg_${crypto.randomBytes(8).toString('hex')}`;
      const ts = Math.floor(Date.now() / 1000);
      const sig = signStandard(secret, msgId, ts, body);
      const tampered = body.replace('"device.enrolled"', '"device.unenrolled"');
      assert(tampered !== body, 'tampering changed nothing');
      const r = await httpRequest(productionUrl(WF.enrollment), {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'webhook-id': msgId, 'webhook-timestamp': String(ts), 'webhook-signature': sig },
        body: tampered,
      });
      assert(r.status === 401, `answered ${r.status} ${r.text.slice(0, 200)}`);
      await sleep(1_500);
      const after = await settledExecutions(WF.enrollment.id);
      assert(after.length === before.length, `executions went from ${before.length} to ${after.length}`);
      // Control: the same request untampered is accepted, so the 401 was the tampering's doing.
      rcv.slack.clear();
      const ok = await httpRequest(productionUrl(WF.enrollment), {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'webhook-id': msgId, 'webhook-timestamp': String(ts), 'webhook-signature': sig },
        body,
      });
      assert(ok.status === 200, `the untampered control answered ${ok.status} ${ok.text.slice(0, 200)}`);
      await rcv.slack.waitFor(() => true, 15_000);
      // …and it is recorded as an execution, so "no execution" above is not an artefact.
      await waitFor('the control execution to be recorded', async () => (await c.executions(WF.enrollment.id)).length === after.length + 1, {
        timeoutMs: 15_000,
        intervalMs: 300,
      });
      return `401 ${r.text.slice(0, 80)}; executions stayed at ${after.length}; untampered control → 200, Slack, 1 execution`;
    }, enrollBlocked);

    /**
     * A Mender device-status-changed event as Mender's server sends it (iot-manager WebhookEvent
     * {id, type, data, time}), signed as it signs: hex HMAC-SHA256 keyed with the hex-decoded secret.
     */
    const menderRequest = () => {
      const body = JSON.stringify({
        id: crypto.randomUUID(),
        type: 'device-status-changed',
        data: { id: crypto.randomUUID(), status: 'accepted' },
        time: new Date().toISOString(),
      });
      return { body, sig: crypto.createHmac('sha256', Buffer.from(secrets.mender, 'hex')).update(body).digest('hex') };
    };
    const verifyUrl = () => `${n.baseUrl}/webhook/${WF.verify.path}`;
    /** @param {string} body @param {string} sig */
    const postMender = async (body, sig) => {
      /** @type {Awaited<ReturnType<typeof httpRequest>> | undefined} */
      let r;
      // A production webhook can answer 404 for a moment after start: retry while it does.
      await waitFor('the verify-incoming webhook to answer other than 404', async () => {
        r = await httpRequest(verifyUrl(), {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-men-signature': sig, 'x-men-algorithm': 'MEN-HMAC-SHA256-Payload' },
          body,
          timeoutMs: 30_000,
        });
        return r.status !== 404;
      }, { timeoutMs: 30_000, intervalMs: 500 });
      return /** @type {Awaited<ReturnType<typeof httpRequest>>} */ (r);
    };

    await check('verify-incoming: Mender-signed POST → Valid → forwarded, signed, to the custom receiver', async () => {
      rcv.custom.clear();
      const { body, sig } = menderRequest();
      const t0 = performance.now();
      const r = await postMender(body, sig);
      assert(r.status === 202, `answered ${r.status} ${r.text.slice(0, 300)}`);
      const got = await rcv.custom.waitFor((x) => x.url === '/verified', 10_000);
      latency.verify = got.receivedAt - t0;
      assert(got.json?.verified === true && got.json?.event?.id === JSON.parse(body).id, `forwarded body ${got.body.slice(0, 200)}`);
      const v = verifyStandardSignature(got, secrets.receiverSigning);
      assert(v.ok, `forwarded request signature: ${v.reason}`);
      assert(r.json?.forwardedStatus === 200, `response ${r.text.slice(0, 200)}`);
      return `202 ${r.text.slice(0, 100)}`;
    }, blocked);

    await check('verify-incoming: tampered Mender POST → 401, nothing forwarded', async () => {
      rcv.custom.clear();
      const { body, sig } = menderRequest();
      const tampered = body.replace('"accepted"', '"rejected"');
      assert(tampered !== body, 'tampering changed nothing');
      const r = await postMender(tampered, sig);
      assert(r.status === 401, `answered ${r.status} ${r.text.slice(0, 300)}`);
      await sleep(1_000);
      assert(rcv.custom.requests.length === 0, `custom receiver got ${rcv.custom.requests.length} request(s)`);
      return `401 ${r.text.slice(0, 100)}`;
    }, blocked);

    await check(`latency: ${LATENCY_EVENTS} × device.enrolled → dispatcher → n8n → Slack receiver`, async () => {
      /** @type {number[]} */
      const ms = [];
      for (let i = 0; i < LATENCY_EVENTS; i++) {
        const ev = await postEvent('device.enrolled', (data) => {
          data.device.name = `Latency probe ${i}`;
        });
        const got = await rcv.slack.waitFor(byWebhookId(ev.id), 30_000);
        ms.push(got.receivedAt - ev.t0);
      }
      latency.p50 = percentile(ms, 50);
      latency.p95 = percentile(ms, 95);
      latency.max = Math.max(...ms);
      latency.min = Math.min(...ms);
      const dl = await d.api('GET', `/v1/deliveries?eventType=device.enrolled&limit=100`);
      const retried = (dl.json?.data ?? []).filter((/** @type {any} */ x) => (x.attemptCount ?? 1) > 1).length;
      return `${retried ? `${retried} deliveries needed a retry; ` : ''}min ${fmtMs(latency.min)}, p50 ${fmtMs(latency.p50)}, p95 ${fmtMs(latency.p95)}, max ${fmtMs(latency.max)}`;
    }, enrollBlocked);

    if (n) out(`[n8n] n8n main process rss ${n.rssMb()} MB`);
  } finally {
    const t0 = performance.now();
    // n8n first: on shutdown it may talk to the dispatcher.
    if (n8n) await n8n.stop().catch(() => {});
    if (dispatcher) await dispatcher.stop().catch(() => {});
    for (const r of receivers) await r.close().catch(() => {});
    await stopAll();
    const left = trackedProcesses();
    out(`[n8n] phase stop: everything stopped${left.length ? ` EXCEPT ${JSON.stringify(left)}` : ''} (${fmtMs(performance.now() - t0)})`);
  }

  const failed = results.filter((r) => !r.ok).length;
  const passed = results.length - failed;
  if (failed && !KEEP) {
    out(`[n8n] logs kept for the failure in ${root} (n8n.log, n8n/n8n-cli.log, dispatcher/dispatcher.log, build.log)`);
    if (fs.existsSync(path.join(root, 'n8n.log'))) out(`[n8n] n8n.log tail:\n${tail(path.join(root, 'n8n.log'), 25).replace(/^/gm, '     | ')}`);
    const cliLog = path.join(root, 'n8n', 'n8n-cli.log');
    if (fs.existsSync(cliLog) && !fs.existsSync(path.join(root, 'n8n.log'))) out(`[n8n] n8n-cli.log tail:\n${tail(cliLog, 25).replace(/^/gm, '     | ')}`);
    if (fs.existsSync(path.join(root, 'dispatcher', 'dispatcher.log'))) out(`[n8n] dispatcher.log tail:\n${tail(path.join(root, 'dispatcher', 'dispatcher.log'), 15).replace(/^/gm, '     | ')}`);
  } else if (!KEEP) {
    fs.rmSync(root, { recursive: true, force: true });
  }
  out(`[n8n] total ${fmtMs(performance.now() - tStart)}`);
  out(`${passed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

/**
 * Standard Webhooks signature `v1,<base64 HMAC-SHA256(id.timestamp.body)>`.
 * @param {string} secret whsec_…
 * @param {string} id
 * @param {number} ts
 * @param {string} body
 */
function signStandard(secret, id, ts, body) {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  return `v1,${crypto.createHmac('sha256', key).update(`${id}.${ts}.${body}`).digest('base64')}`;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  async (e) => {
    out(`[n8n] harness crashed: ${e instanceof Error ? e.stack : e}`);
    await stopAll().catch(() => {});
    out(`${results.filter((r) => r.ok).length} passed, ${Math.max(1, results.filter((r) => !r.ok).length)} failed`);
    process.exitCode = 1;
  },
);

// Load generation against a loopback HTTP endpoint with a pool of keep-alive clients (undici Pool).
// closedLoop: `clients` connections each post the next event as soon as the previous answer came.
// openLoop: a fixed offered rate; every send is timed from its *scheduled* instant (no coordinated
// omission: if the server falls behind, the queueing shows up in the latency).
import { Pool } from 'undici';

export const nowMs = () => Number(process.hrtime.bigint()) / 1e6;

/**
 * A keep-alive pool to the target; with `origins` (several dispatchers), requests go round-robin
 * to one pool per origin, the clients split between them.
 * @param {{origin: string, origins?: string[], path: string, headers: Record<string,string>, clients: number}} target
 */
export function makePool(target) {
  const origins = target.origins ?? [target.origin];
  const pools = origins.map(
    (origin) => new Pool(origin, { connections: Math.max(1, Math.ceil(target.clients / origins.length)), pipelining: 1, keepAliveTimeout: 60_000 }),
  );
  if (pools.length === 1) return pools[0];
  let next = 0;
  return {
    request: (options) => pools[next++ % pools.length].request(options),
    close: () => Promise.all(pools.map((pool) => pool.close())),
  };
}

async function post(pool, target, body, result) {
  try {
    const res = await pool.request({ path: target.path, method: 'POST', headers: target.headers, body });
    const text = await res.body.text();
    if (res.statusCode !== 202 && res.statusCode !== 200) {
      result.errors++;
      result.firstError ??= `${res.statusCode} ${text.slice(0, 200)}`;
      return false;
    }
    return true;
  } catch (error) {
    result.errors++;
    result.firstError ??= error instanceof Error ? error.message : String(error);
    return false;
  }
}

/**
 * @param {{origin: string, path: string, headers: Record<string,string>, clients: number}} target
 * @param {string[]} bodies one request body per event
 * @param {{acked: number}} [state] live count of answered requests
 * @param {number} [stopAtMs] no new request after this instant (nowMs clock)
 */
export async function closedLoop(pool, target, bodies, state = { acked: 0 }, stopAtMs = Infinity) {
  const result = { errors: 0, firstError: undefined, startMs: nowMs(), endMs: 0, sent: 0, ackMs: /** @type {number[]} */ ([]) };
  let next = 0;
  const worker = async () => {
    while (next < bodies.length && nowMs() < stopAtMs) {
      result.sent++;
      const body = bodies[next++];
      const t = nowMs();
      if (await post(pool, target, body, result)) result.ackMs.push(nowMs() - t);
      state.acked++;
    }
  };
  await Promise.all(Array.from({ length: target.clients }, worker));
  result.endMs = nowMs();
  return result;
}

/**
 * @param {{origin: string, path: string, headers: Record<string,string>, clients: number}} target
 * @param {string[]} bodies
 * @param {number} rate events per second
 * @returns {Promise<{errors: number, firstError?: string, scheduledMs: number[], ackMs: number[], startMs: number, endMs: number}>}
 */
export async function openLoop(pool, target, bodies, rate) {
  const result = { errors: 0, firstError: undefined, scheduledMs: new Array(bodies.length), ackMs: /** @type {number[]} */ ([]), ackOf: new Array(bodies.length), startMs: 0, endMs: 0 };
  const interval = 1000 / rate;
  const inFlight = new Set();
  const start = nowMs() + 5;
  result.startMs = start;
  let i = 0;
  await new Promise((resolve) => {
    const tick = () => {
      const now = nowMs();
      while (i < bodies.length && start + i * interval <= now) {
        const scheduled = start + i * interval;
        result.scheduledMs[i] = scheduled;
        const index = i;
        const p = post(pool, target, bodies[i], result).then((ok) => {
          if (ok) result.ackMs.push((result.ackOf[index] = nowMs() - scheduled));
          inFlight.delete(p);
        });
        inFlight.add(p);
        i++;
      }
      if (i >= bodies.length) resolve(undefined);
      else setTimeout(tick, Math.max(0, Math.min(1, start + i * interval - nowMs())));
    };
    tick();
  });
  await Promise.all([...inFlight]);
  result.endMs = nowMs();
  return result;
}

/** Nearest-rank percentile of an unsorted array. */
export function percentile(values, p) {
  if (values.length === 0) return NaN;
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

// Child processes of the benchmark: started, tracked and stopped by pid (never by name).
import { fork, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** @type {Set<import('node:child_process').ChildProcess>} */
const children = new Set();
let hooked = false;

function hook() {
  if (hooked) return;
  hooked = true;
  process.on('exit', () => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
}

export function track(child) {
  hook();
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

/** Resident set size of a process in MiB (Linux /proc), 0 when unknown. */
export function rssMiB(pid) {
  try {
    const m = /VmRSS:\s+(\d+)\s+kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

/**
 * A process's command name and [user, system] CPU seconds from /proc/<pid>/stat (utime and stime,
 * in clock ticks: USER_HZ = 100); null when it is gone.
 */
function procStat(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { comm: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')), cpu: [Number(fields[11]) / 100, Number(fields[12]) / 100] };
  } catch {
    return null;
  }
}

/** [user, system] CPU seconds of a process; [0, 0] when unknown. */
export function cpuSplit(pid) {
  return procStat(pid)?.cpu ?? [0, 0];
}

/** CPU time (user + system) of a process in seconds; 0 when unknown. */
export function cpuSeconds(pid) {
  const [user, system] = cpuSplit(pid);
  return user + system;
}

/** CPU seconds (user + system) of every live process whose command name is `comm` (e.g. the database's). */
export function cpuSecondsOfCommand(comm) {
  let total = 0;
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = procStat(entry);
    if (stat?.comm === comm) total += stat.cpu[0] + stat.cpu[1];
  }
  return total;
}

/** Waits for a child to exit, SIGKILL after `graceMs`. */
export async function stopChild(child, signal = 'SIGTERM', graceMs = 20_000) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/**
 * Spawns `node <script>` and resolves once a line of its stdout matches `ready` (bounded).
 * Output goes to `logFile` too.
 */
export function spawnNode(script, { args = [], nodeArgs = [], env, logFile, ready, timeoutMs = 60_000, cwd }) {
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  const log = fs.createWriteStream(logFile, { flags: 'a' });
  const child = track(spawn(process.execPath, [...nodeArgs, script, ...args], { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] }));
  return new Promise((resolve, reject) => {
    let buffered = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${path.basename(script)} not ready within ${timeoutMs} ms; see ${logFile}`));
    }, timeoutMs);
    child.stdout.on('data', (chunk) => {
      log.write(chunk);
      if (buffered === null) return;
      buffered += chunk.toString();
      const match = ready.exec(buffered);
      if (match) {
        buffered = null;
        clearTimeout(timer);
        resolve({ child, match });
      }
    });
    child.stderr.on('data', (chunk) => log.write(chunk));
    child.once('exit', (code, signal) => {
      log.end();
      if (buffered !== null) {
        clearTimeout(timer);
        reject(new Error(`${path.basename(script)} exited (${signal ?? code}) before it was ready; see ${logFile}`));
      }
    });
  });
}

/** Forks a module with an IPC channel; `request(cmd)` sends {cmd} and resolves with the reply. */
export async function forkWithIpc(script, env) {
  const child = track(fork(script, [], { env, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
  /** @type {Map<string, Array<(msg: any) => void>>} */
  const waiting = new Map();
  const first = new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`${path.basename(script)} exited (${code})`)));
    child.on('message', (msg) => {
      if (msg.reply === 'ready') return resolve(msg);
      const queue = waiting.get(msg.reply);
      queue?.shift()?.(msg);
    });
  });
  const ready = await first;
  return {
    child,
    ready,
    request(cmd) {
      return new Promise((resolve) => {
        if (!waiting.has(cmd)) waiting.set(cmd, []);
        waiting.get(cmd).push(resolve);
        child.send({ cmd });
      });
    },
    close() {
      child.disconnect();
      return new Promise((resolve) => (child.exitCode !== null ? resolve() : child.once('exit', resolve)));
    },
  };
}

/** Every descendant pid of `pid` (Linux /proc), deepest last. */
export function descendants(pid) {
  const parentOf = new Map();
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parentOf.set(Number(name), ppid);
    } catch {
      /* gone */
    }
  }
  const out = [];
  const walk = (p) => {
    for (const [child, parent] of parentOf) if (parent === p) {
      out.push(child);
      walk(child);
    }
  };
  walk(pid);
  return out;
}

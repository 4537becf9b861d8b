// The two packages as tarballs, and installing them the way their users do:
// - `packPackage()`: `npm pack` of the node pack (the repository root) or of the dispatcher
//   workspace, with npm's own file list;
// - `installLikeN8n()`: what n8n 2.x's community-package installer does with a tarball
//   (CommunityPackagesService.downloadPackage in n8n's cli): extract it into
//   `~/.n8n/nodes/node_modules/<name>`, drop devDependencies, peerDependencies and
//   optionalDependencies from its package.json, run `npm install` there with scripts off, and
//   record it in `~/.n8n/nodes/package.json`. No symlink to the repository.
// Used by `npm run scan`, `npm run test:packages` and the real-n8n harness (`npm run test:n8n`).

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { dirSize } from '../build/common.mjs';

export { dirSize };

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const NODE_PACK = 'n8n-nodes-mdm-webhooks';
export const DISPATCHER = 'mdm-webhook-dispatcher';

/**
 * Runs a command, bounded; throws with its output when it fails.
 * @param {string} cmd
 * @param {string[]} args
 * @param {{cwd: string, env?: NodeJS.ProcessEnv, timeoutMs?: number}} opts
 * @returns {string} stdout
 */
export function run(cmd, args, opts) {
  const r = spawnSync(cmd, args, {
    cwd: opts.cwd,
    env: opts.env ?? process.env,
    encoding: 'utf8',
    timeout: opts.timeoutMs ?? 300_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.status !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} failed (${r.signal ?? `exit ${r.status}`}) in ${opts.cwd}:\n${(r.stderr || r.stdout || '').trim().slice(-3000)}`);
  }
  return r.stdout;
}

/**
 * An environment for nested npm calls without what an outer `npm run` set about this repository.
 * @param {NodeJS.ProcessEnv} [env]
 * @returns {NodeJS.ProcessEnv}
 */
export function cleanNpmEnv(env = process.env) {
  /** @type {NodeJS.ProcessEnv} */
  const out = { ...env };
  for (const k of Object.keys(out)) {
    if (/^npm_(package_|lifecycle_|config_(local_prefix|prefix|global_prefix|user_agent|argv|workspace|workspaces|include_workspace_root)$)/i.test(k)) delete out[k];
  }
  return out;
}

/**
 * @typedef {object} PackResult
 * @property {string} file the tarball's path
 * @property {string} name
 * @property {string} version
 * @property {number} size tarball bytes
 * @property {number} unpackedSize
 * @property {string[]} files paths inside the package
 */

/**
 * `npm pack` of one of the two packages (built beforehand) into `outDir`.
 * @param {typeof NODE_PACK | typeof DISPATCHER} name
 * @param {string} outDir
 * @returns {PackResult}
 */
export function packPackage(name, outDir) {
  fs.mkdirSync(outDir, { recursive: true });
  const args = ['pack', '--json', '--pack-destination', outDir, '--ignore-scripts'];
  if (name === DISPATCHER) args.push('--workspace', DISPATCHER);
  const [info] = JSON.parse(run('npm', args, { cwd: REPO_ROOT, env: cleanNpmEnv() }));
  if (info.name !== name) throw new Error(`npm pack made ${info.name}, expected ${name}`);
  return {
    file: path.join(outDir, info.filename),
    name: info.name,
    version: info.version,
    size: info.size,
    unpackedSize: info.unpackedSize,
    files: info.files.map((/** @type {{path: string}} */ f) => f.path),
  };
}

/**
 * Unpacks a tarball into `dir` (its `package/` prefix stripped).
 * @param {string} tarball
 * @param {string} dir
 */
export function unpack(tarball, dir) {
  fs.mkdirSync(dir, { recursive: true });
  run('tar', ['-xzf', tarball, '-C', dir, '--strip-components=1'], { cwd: path.dirname(tarball) });
}

/**
 * @param {string} nodeModules
 * @returns {string[]} the packages installed in a node_modules folder (scoped ones as @s/n)
 */
export function installedPackages(nodeModules) {
  if (!fs.existsSync(nodeModules)) return [];
  return fs
    .readdirSync(nodeModules)
    .filter((n) => !n.startsWith('.'))
    .flatMap((n) => (n.startsWith('@') ? fs.readdirSync(path.join(nodeModules, n)).map((m) => `${n}/${m}`) : [n]));
}

/**
 * Installs a node-pack tarball into an n8n nodes folder (`<N8N_USER_FOLDER>/.n8n/nodes`) the way
 * n8n's community-package installer does.
 * @param {string} tarball
 * @param {string} nodesDir
 * @param {{env?: NodeJS.ProcessEnv}} [opts]
 * @returns {{dir: string, bytes: number, files: number, dependencies: string[], strippedFields: string[]}}
 */
export function installLikeN8n(tarball, nodesDir, opts = {}) {
  const name = NODE_PACK;
  const dir = path.join(nodesDir, 'node_modules', name);
  fs.rmSync(dir, { recursive: true, force: true });
  unpack(tarball, dir);

  const pkgFile = path.join(dir, 'package.json');
  const { devDependencies, peerDependencies, optionalDependencies, ...pkg } = JSON.parse(fs.readFileSync(pkgFile, 'utf8'));
  const strippedFields = Object.entries({ devDependencies, peerDependencies, optionalDependencies })
    .filter(([, v]) => v !== undefined)
    .map(([k]) => k);
  fs.writeFileSync(pkgFile, JSON.stringify(pkg, null, 2), 'utf8');
  run(
    'npm',
    ['install', '--audit=false', '--fund=false', '--bin-links=false', '--install-strategy=shallow', '--ignore-scripts=true', '--package-lock=false'],
    { cwd: dir, env: cleanNpmEnv(opts.env) },
  );

  // ~/.n8n/nodes/package.json records what is installed (n8n reinstalls from it on start).
  const nodesPkgFile = path.join(nodesDir, 'package.json');
  const nodesPkg = fs.existsSync(nodesPkgFile)
    ? JSON.parse(fs.readFileSync(nodesPkgFile, 'utf8'))
    : { name: 'installed-nodes', private: true, dependencies: {} };
  nodesPkg.dependencies = { ...(nodesPkg.dependencies ?? {}), [name]: pkg.version };
  fs.writeFileSync(nodesPkgFile, JSON.stringify(nodesPkg, null, 2), 'utf8');

  const { bytes, files } = dirSize(dir);
  return { dir, bytes, files, dependencies: installedPackages(path.join(dir, 'node_modules')), strippedFields };
}

/** @param {number} bytes */
export const kib = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;

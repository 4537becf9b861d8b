// What both builds share: where things are, the version written into the core, small file helpers.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * @param {string} file a package.json
 * @returns {Record<string, any>}
 */
export function readJson(file) {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

/**
 * The esbuild `define` that writes the release version into `core/version.ts` (both packages are
 * released with the root package.json's version).
 * @returns {Record<string, string>}
 */
export function versionDefine() {
  const { version } = readJson(path.join(REPO_ROOT, 'package.json'));
  return { __MDM_WEBHOOKS_VERSION__: JSON.stringify(version) };
}

/**
 * Every file under `dir` (relative to the repository) whose name passes `keep`, skipping
 * `node_modules` and `dist` folders.
 * @param {string} dir
 * @param {(file: string) => boolean} keep
 * @returns {string[]} repository-relative paths, sorted
 */
export function filesUnder(dir, keep) {
  /** @type {string[]} */
  const out = [];
  const walk = (/** @type {string} */ rel) => {
    for (const entry of fs.readdirSync(path.join(REPO_ROOT, rel), { withFileTypes: true })) {
      const child = path.join(rel, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules' && entry.name !== 'dist') walk(child);
      } else if (keep(child)) {
        out.push(child);
      }
    }
  };
  walk(dir);
  return out.sort();
}

/**
 * @param {string} dir
 * @returns {{bytes: number, files: number}} what is in `dir`, recursively
 */
export function dirSize(dir) {
  let bytes = 0;
  let files = 0;
  const walk = (/** @type {string} */ d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) {
        files++;
        bytes += fs.statSync(p).size;
      }
    }
  };
  if (fs.existsSync(dir)) walk(dir);
  return { bytes, files };
}

/** @param {string} s */
export const log = (s) => process.stdout.write(`${s}\n`);

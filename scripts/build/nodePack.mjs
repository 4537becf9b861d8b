#!/usr/bin/env node
// `npm run build:nodes`: the node pack's dist/, what `npm pack` ships and n8n loads.
//
//   dist/core/index.js                     the shared core, bundled with jsonata and the
//                                          precompiled event validators (no ajv, no `Function`)
//   dist/nodes/<X>/<X>.node.js             one bundle per node listed in package.json `n8n.nodes`
//   dist/credentials/<X>.credentials.js    one per credential in `n8n.credentials`
//   dist/**/*.svg|png, dist/nodes/**/*.node.json   icons and codex files, copied beside them
//
// Nodes and credentials are bundled with their own helpers; their imports of the core become
// `require("../../core")` of the one core bundle (nothing is shipped twice), and `n8n-workflow`
// stays external (a peer dependency n8n provides). The package has no runtime dependencies.
//
// What ships must pass n8n's community-package scanner, so the core bundle gets two stand-ins:
// - `ajv` / `ajv-formats` → precompiled standalone validators (scripts/build/precompiledAjv.mjs);
// - the free `global` that jsonata's browserify wrapper reads → a module-local object holding
//   `Buffer` (all jsonata uses it for, in $base64encode / $base64decode).

import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import * as esbuild from 'esbuild';

import { REPO_ROOT, dirSize, filesUnder, log, readJson, versionDefine } from './common.mjs';
import { writePrecompiledAjv } from './precompiledAjv.mjs';

const require = createRequire(import.meta.url);
const DIST = path.join(REPO_ROOT, 'dist');
const CORE_ENTRY = path.join(REPO_ROOT, 'core', 'index.ts');
const CORE_OUT = path.join(DIST, 'core', 'index.js');
const TARGET = 'node24';

/**
 * The node and credential entry points: package.json's `n8n` lists, each `dist/<p>.js` built from
 * `<p>.ts` (so a new node needs only its line in package.json).
 * @returns {Array<{source: string, outfile: string}>}
 */
export function packEntries() {
  const pkg = readJson(path.join(REPO_ROOT, 'package.json'));
  const listed = [...(pkg.n8n?.credentials ?? []), ...(pkg.n8n?.nodes ?? [])];
  return listed.map((/** @type {string} */ file) => {
    if (!/^dist\/.+\.js$/.test(file)) throw new Error(`package.json n8n entry ${file} is not dist/….js`);
    const source = path.join(REPO_ROOT, file.replace(/^dist\//, '').replace(/\.js$/, '.ts'));
    if (!fs.existsSync(source)) throw new Error(`package.json lists ${file} but ${path.relative(REPO_ROOT, source)} does not exist`);
    return { source, outfile: path.join(REPO_ROOT, file) };
  });
}

/**
 * Turns every import of the core (`../../core`) into a require of the core bundle, relative to
 * the output file. Only the core's index may be imported: it is what the bundle exports.
 * @param {string} outfile
 * @returns {esbuild.Plugin}
 */
function coreAsExternal(outfile) {
  const coreDir = path.join(REPO_ROOT, 'core');
  const rel = path.relative(path.dirname(outfile), path.dirname(CORE_OUT)).split(path.sep).join('/');
  const spec = rel.startsWith('.') ? rel : `./${rel}`;
  return {
    name: 'core-as-external',
    setup(build) {
      build.onResolve({ filter: /^\.\.?\// }, (args) => {
        const target = path.resolve(args.resolveDir, args.path);
        if (target !== coreDir && !target.startsWith(coreDir + path.sep)) return undefined;
        if (target !== coreDir && target !== path.join(coreDir, 'index') && target !== path.join(coreDir, 'index.ts')) {
          return {
            errors: [
              {
                text: `${path.relative(REPO_ROOT, args.importer)} imports ${args.path}: nodes and credentials import the core through its index (core/index.ts), which is what dist/core/index.js exports`,
              },
            ],
          };
        }
        return { path: spec, external: true };
      });
    },
  };
}

/**
 * Maps bare module names to files (the ajv stand-ins).
 * @param {Record<string, string>} map module name → file
 * @returns {esbuild.Plugin}
 */
function substitute(map) {
  const names = Object.keys(map).map((n) => n.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&'));
  return {
    name: 'substitute',
    setup(build) {
      build.onResolve({ filter: new RegExp(`^(${names.join('|')})$`) }, (args) => ({ path: map[args.path] }));
    },
  };
}

/** Fails the build when a bundle would pull in dispatcher code. */
function noServerCode(/** @type {esbuild.Metafile} */ meta, /** @type {string} */ what) {
  const server = Object.keys(meta.inputs).filter((f) => f.startsWith('server/'));
  if (server.length) throw new Error(`${what} pulls in dispatcher code: ${server.join(', ')}`);
}

/**
 * Loads the core for Node (real ajv) to read the schemas to precompile. The throwaway bundle is
 * written under node_modules/.cache so that it resolves jsonata, ajv, … from the repository.
 * @param {string} work
 */
async function loadCoreForBuild(work) {
  const outfile = path.join(work, 'core-for-build.cjs');
  await esbuild.build({
    entryPoints: [CORE_ENTRY],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: TARGET,
    packages: 'external',
    define: versionDefine(),
    logLevel: 'warning',
  });
  return require(outfile);
}

/** @returns {Promise<{files: number, bytes: number, validators: number}>} */
export async function buildNodePack() {
  const work = path.join(REPO_ROOT, 'node_modules', '.cache', 'mdm-webhooks', 'node-pack-build');
  fs.rmSync(work, { recursive: true, force: true });
  fs.mkdirSync(work, { recursive: true });
  try {
    fs.rmSync(DIST, { recursive: true, force: true });

    const core = await loadCoreForBuild(work);
    const stand = writePrecompiledAjv(core, path.join(work, 'ajv'));
    const globalShim = path.join(work, 'global-shim.js');
    fs.writeFileSync(
      globalShim,
      "// jsonata's browserify wrapper reads a free `global` (for Buffer); give it a local one.\nexport const __jsonataGlobal = { Buffer };\n",
    );

    const coreBuild = await esbuild.build({
      entryPoints: [CORE_ENTRY],
      outfile: CORE_OUT,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: TARGET,
      define: { ...versionDefine(), global: '__jsonataGlobal' },
      inject: [globalShim],
      plugins: [substitute({ ajv: stand.ajv, 'ajv-formats': stand.ajvFormats })],
      legalComments: 'inline',
      metafile: true,
      logLevel: 'warning',
    });
    noServerCode(coreBuild.metafile, 'dist/core/index.js');

    for (const entry of packEntries()) {
      const result = await esbuild.build({
        entryPoints: [entry.source],
        outfile: entry.outfile,
        bundle: true,
        platform: 'node',
        format: 'cjs',
        target: TARGET,
        external: ['n8n-workflow'],
        plugins: [coreAsExternal(entry.outfile)],
        metafile: true,
        logLevel: 'warning',
      });
      noServerCode(result.metafile, path.relative(REPO_ROOT, entry.outfile));
    }

    // Icons and codex files beside the compiled files, where n8n looks for them.
    const assets = [
      ...filesUnder('nodes', (f) => /\.(svg|png)$/.test(f) || f.endsWith('.node.json')),
      ...filesUnder('credentials', (f) => /\.(svg|png)$/.test(f)),
    ];
    for (const rel of assets) {
      const to = path.join(DIST, rel);
      fs.mkdirSync(path.dirname(to), { recursive: true });
      fs.copyFileSync(path.join(REPO_ROOT, rel), to);
    }

    const { files, bytes } = dirSize(DIST);
    return { files, bytes, validators: stand.count };
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const t0 = performance.now();
  buildNodePack().then(
    (r) =>
      log(
        `build:nodes: dist/ ${r.files} files, ${(r.bytes / 1024).toFixed(1)} KiB, ${r.validators} precompiled validators (${Math.round(performance.now() - t0)} ms)`,
      ),
    (e) => {
      process.stderr.write(`build:nodes failed: ${e instanceof Error ? e.message : e}\n`);
      process.exit(1);
    },
  );
}

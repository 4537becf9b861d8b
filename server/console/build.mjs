// `npm run build:console`: bundles server/console/src into server/dist/console, in the dispatcher
// package (what the dispatcher serves
// at `/`). Hashed file names under assets/ (served as immutable), an index.html that loads them
// with no inline script or style, so the page works under a strict Content-Security-Policy and offline.
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = path.dirname(fileURLToPath(import.meta.url));
const out = path.resolve(here, '../dist/console');
const assets = path.join(out, 'assets');
rmSync(out, { recursive: true, force: true });
mkdirSync(assets, { recursive: true });

const result = await build({
	entryPoints: { app: path.join(here, 'src/main.tsx') },
	bundle: true,
	minify: true,
	sourcemap: 'linked',
	format: 'esm',
	platform: 'browser',
	target: ['es2022', 'chrome110', 'firefox115', 'safari16'],
	outdir: assets,
	entryNames: '[name]-[hash]',
	loader: { '.css': 'css' },
	metafile: true,
	legalComments: 'none',
	logLevel: 'warning',
});

const outputs = Object.keys(result.metafile.outputs).map((file) => path.basename(file));
const script = outputs.find((file) => /^app-.*\.js$/.test(file));
const style = outputs.find((file) => /^app-.*\.css$/.test(file));
if (!script || !style) throw new Error(`esbuild wrote no app script or stylesheet: ${outputs.join(', ')}`);
copyFileSync(path.join(here, 'favicon.svg'), path.join(assets, 'favicon.svg'));

const template = readFileSync(path.join(here, 'index.html'), 'utf8');
writeFileSync(
	path.join(out, 'index.html'),
	template.replace('%STYLE%', `/assets/${style}`).replace('%SCRIPT%', `/assets/${script}`),
);
const bytes = (file) => readFileSync(path.join(assets, file)).length;
console.log(`build:console: server/dist/console (${script} ${bytes(script)} B, ${style} ${bytes(style)} B)`);

#!/usr/bin/env node
// Rewrites docs/performance.md and docs/performance.svg from bench/results/last.json (the last
// `npm run bench`), e.g. after editing bench/notes.md. Measures nothing.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeReport } from './lib/report.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const results = JSON.parse(fs.readFileSync(path.join(here, 'results', 'last.json'), 'utf8'));
for (const file of writeReport(results, path.resolve(here, '..'))) console.log(`wrote ${path.relative(process.cwd(), file)}`);

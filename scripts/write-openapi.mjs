// Writes docs/openapi.json from the same builder the dispatcher serves at GET /openapi.json.
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { buildOpenApiDocument } = require('../server/dist/server/openapi.js');
const target = new URL('../docs/openapi.json', import.meta.url);
writeFileSync(target, JSON.stringify(buildOpenApiDocument(), null, 2) + '\n');
console.log(`wrote ${target.pathname}`);

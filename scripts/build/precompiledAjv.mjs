// Ajv for the node pack, without the `Function` constructor.
//
// Ajv compiles a JSON Schema into JavaScript source and runs it with `new Function`, which n8n's
// community-package scanner (rightly) refuses. The node pack's bundle therefore gets a stand-in
// for the `ajv` module: every schema the core validates with is compiled here, at build time, with
// Ajv's standalone code generation (the same options as the core's `createAjv()`), and the
// stand-in's `compile(schema)` hands back the precompiled function for that schema. Core code is
// unchanged: `core/events/validate.ts` still does `new Ajv(…).compile(schema)`.
//
// Which schemas: every event type's `data` schema in the catalog, and every schema the core
// exports under a `…_SCHEMA` name (the envelope). A schema outside that set cannot be validated
// in the node pack and fails loudly ("not precompiled"), which the package tests would catch.
//
// The key is the SHA-256 of the schema's JSON text, computed the same way here and at run time.

import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);

/**
 * @param {unknown} schema
 * @returns {string}
 */
export function schemaKey(schema) {
  return crypto.createHash('sha256').update(JSON.stringify(schema)).digest('hex');
}

/**
 * The schemas the node pack must be able to validate with.
 * @param {Record<string, any>} core the core module (built for Node, with the real ajv)
 * @returns {Array<{name: string, schema: object}>}
 */
export function schemasOf(core) {
  /** @type {Array<{name: string, schema: object}>} */
  const out = [];
  for (const def of core.EVENT_CATALOG) out.push({ name: `event ${def.type}`, schema: def.schema });
  for (const [name, value] of Object.entries(core)) {
    if (name.endsWith('_SCHEMA') && value && typeof value === 'object') out.push({ name, schema: value });
  }
  return out;
}

/** Keywords whose value is one schema, an array of schemas, or a map of name → schema. */
const ONE = ['additionalProperties', 'unevaluatedProperties', 'unevaluatedItems', 'contains', 'propertyNames', 'if', 'then', 'else', 'not'];
const MANY = ['allOf', 'anyOf', 'oneOf', 'prefixItems'];
const MAP = ['properties', 'patternProperties', 'dependentSchemas', '$defs', 'definitions'];
/** Subschemas smaller than this (JSON text) stay inline: a call would not save anything. */
const MIN_SHARED_BYTES = 100;

/**
 * Calls `visit` on every subschema of `schema` (not on the schema itself), replacing each with
 * what `visit` returns; data-valued keywords (`enum`, `const`, `required`, …) are left alone.
 * @param {any} schema
 * @param {(sub: any) => any} visit
 * @returns {any} a copy
 */
function mapSubschemas(schema, visit) {
  if (!schema || typeof schema !== 'object' || Array.isArray(schema)) return schema;
  /** @type {Record<string, any>} */
  const out = { ...schema };
  for (const k of ONE) if (out[k] && typeof out[k] === 'object') out[k] = visit(out[k]);
  if (out.items && typeof out.items === 'object') out.items = Array.isArray(out.items) ? out.items.map(visit) : visit(out.items);
  for (const k of MANY) if (Array.isArray(out[k])) out[k] = out[k].map(visit);
  for (const k of MAP) {
    if (out[k] && typeof out[k] === 'object') out[k] = Object.fromEntries(Object.entries(out[k]).map(([n, v]) => [n, visit(v)]));
  }
  return out;
}

/**
 * Finds subschemas that occur (with equal JSON text) in more than one place, such as the device
 * object every event type carries, so that their validation code is generated once and called
 * through a `$ref` instead of repeated in every validator. Equal text means equal validation;
 * only the `schemaPath` of errors changes, which the core does not use.
 * @param {object[]} schemas
 * @returns {{shared: Map<string, {id: string, schema: object}>, rewrite: (schema: object) => object}}
 */
function shareRepeatedSubschemas(schemas) {
  /** @type {Map<string, number>} */
  const counts = new Map();
  const count = (/** @type {any} */ sub) => {
    const text = JSON.stringify(sub);
    counts.set(text, (counts.get(text) ?? 0) + 1);
    mapSubschemas(sub, (s) => (count(s), s));
    return sub;
  };
  for (const s of schemas) mapSubschemas(s, count);

  /** @type {Map<string, {id: string, schema: object}>} */
  const shared = new Map();
  const rewrite = (/** @type {any} */ schema) =>
    mapSubschemas(schema, (sub) => {
      const text = JSON.stringify(sub);
      if ((counts.get(text) ?? 0) < 2 || text.length < MIN_SHARED_BYTES || '$id' in sub) return rewrite(sub);
      let entry = shared.get(text);
      if (!entry) {
        entry = { id: `shared${shared.size}`, schema: {} };
        shared.set(text, entry);
        entry.schema = { ...rewrite(sub), $id: entry.id };
      }
      return { $ref: entry.id };
    });
  return { shared, rewrite };
}

/**
 * Writes the stand-in modules into `dir`: `validators.js` (every schema's standalone validator,
 * one module, shared subschemas generated once), `ajv.js` (the `ajv` module for the bundle) and
 * `ajv-formats.js` (a no-op: formats are compiled in).
 * @param {Record<string, any>} core
 * @param {string} dir
 * @returns {{ajv: string, ajvFormats: string, count: number, shared: number}} the stand-ins' files, how many
 *   schemas were compiled and how many repeated subschemas they share
 */
export function writePrecompiledAjv(core, dir) {
  const standaloneCode = require('ajv/dist/standalone').default;
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });

  /** @type {Map<string, {name: string, schema: object}>} */
  const byKey = new Map();
  for (const { name, schema } of schemasOf(core)) if (!byKey.has(schemaKey(schema))) byKey.set(schemaKey(schema), { name, schema });

  const { shared, rewrite } = shareRepeatedSubschemas([...byKey.values()].map((v) => v.schema));
  // One instance configured exactly like the core's own (formats included), all schemas in it.
  const ajv = core.createAjv({ code: { source: true, esm: false } });
  /** @type {Record<string, string>} export name → schema id */
  const exportsMap = {};
  const rewritten = [...byKey].map(([key, v]) => [key, v, rewrite(v.schema)]);
  for (const { id, schema } of shared.values()) ajv.addSchema(schema, id);
  for (const [key, , schema] of rewritten) {
    ajv.addSchema(schema, `v_${key}`);
    exportsMap[`v_${key}`] = `v_${key}`;
  }
  fs.writeFileSync(
    path.join(dir, 'validators.js'),
    `// Generated by scripts/build/precompiledAjv.mjs: Ajv standalone validators of
${[...byKey.values()].map((v) => `// - ${v.name}`).join('\n')}
${standaloneCode(ajv, exportsMap)}
`,
  );

  fs.writeFileSync(
    path.join(dir, 'ajv.js'),
    `'use strict';
// Generated by scripts/build/precompiledAjv.mjs: the node pack's stand-in for the ajv module.
const { createHash } = require('node:crypto');
const VALIDATORS = require('./validators.js');

class PrecompiledAjv {
  compile(schema) {
    const key = createHash('sha256').update(JSON.stringify(schema)).digest('hex');
    const validate = VALIDATORS['v_' + key];
    if (!validate) {
      throw new Error('This JSON Schema was not precompiled into the node pack (see scripts/build/precompiledAjv.mjs)');
    }
    return validate;
  }
}

module.exports = PrecompiledAjv;
module.exports.default = PrecompiledAjv;
`,
  );
  fs.writeFileSync(
    path.join(dir, 'ajv-formats.js'),
    `'use strict';
// Generated by scripts/build/precompiledAjv.mjs: formats are compiled into the validators.
function addFormats(ajv) {
  return ajv;
}
module.exports = addFormats;
module.exports.default = addFormats;
`,
  );
  return { ajv: path.join(dir, 'ajv.js'), ajvFormats: path.join(dir, 'ajv-formats.js'), count: byKey.size, shared: shared.size };
}

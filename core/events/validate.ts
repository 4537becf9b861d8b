/**
 * Validation of event data against the catalog schemas, and the one error formatting (ajv errors
 * → `FieldError` with JSON Pointers) that the dispatcher also uses for its API bodies.
 */
import Ajv, { type ErrorObject, type Options as AjvOptions, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { FieldError, JsonSchema } from '../types';
import { EVENT_CATALOG, getEventType } from './catalog';

/**
 * A new Ajv instance configured like the core's own (all errors, formats, union types allowed).
 * The dispatcher may use it for its API body schemas so that both report errors the same way.
 */
export function createAjv(options: AjvOptions = {}): Ajv {
	const ajv = new Ajv({ allErrors: true, allowUnionTypes: true, strict: true, strictRequired: false, ...options });
	addFormats(ajv);
	return ajv;
}

let sharedAjv: Ajv | undefined;
/** The single Ajv instance that validates event data (created lazily). */
export function getAjv(): Ajv {
	sharedAjv ??= createAjv();
	return sharedAjv;
}

const validators = new Map<string, ValidateFunction>();

function validatorFor(type: string): ValidateFunction | undefined {
	let fn = validators.get(type);
	if (fn) return fn;
	const def = getEventType(type);
	if (!def) return undefined;
	fn = getAjv().compile(def.schema);
	validators.set(type, fn);
	return fn;
}

/** Escapes one JSON Pointer reference token (RFC 6901). */
export function escapePointerToken(token: string): string {
	return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

function quoteList(values: unknown): string {
	return Array.isArray(values) ? values.map((v) => JSON.stringify(v)).join(', ') : String(values);
}

/**
 * Turns ajv errors into `FieldError`s whose `path` is a JSON Pointer prefixed with `prefix`:
 * - `required` → the path of the missing property, `must have required property 'x'`;
 * - `additionalProperties` → the path of the unknown property, `unknown field`;
 * - `enum` / `const` → the allowed values are listed;
 * - everything else → ajv's message at the failing value's path.
 * Noise from combinators (`if`, `anyOf`, `oneOf` summaries when more specific errors exist) is
 * dropped and duplicates are removed.
 */
export function formatAjvErrors(errors: readonly ErrorObject[] | null | undefined, prefix = ''): FieldError[] {
	if (!errors?.length) return [];
	const out: FieldError[] = [];
	const seen = new Set<string>();
	const push = (path: string, message: string) => {
		const key = `${path}\u0000${message}`;
		if (seen.has(key)) return;
		seen.add(key);
		out.push({ path, message });
	};
	const hasSpecific = errors.some((e) => !['if', 'anyOf', 'oneOf', 'not'].includes(e.keyword));
	for (const e of errors) {
		const base = `${prefix}${e.instancePath}`;
		const params = e.params as Record<string, unknown>;
		switch (e.keyword) {
			case 'required': {
				const missing = String(params.missingProperty);
				push(`${base}/${escapePointerToken(missing)}`, `must have required property '${missing}'`);
				break;
			}
			case 'discriminator': {
				// An unknown or missing tag (e.g. auth.type): point at the tag itself.
				const tag = String(params.tag);
				push(`${base}/${escapePointerToken(tag)}`, `must be one of the allowed values of '${tag}'`);
				break;
			}
			case 'additionalProperties': {
				push(`${base}/${escapePointerToken(String(params.additionalProperty))}`, 'unknown field');
				break;
			}
			case 'unevaluatedProperties': {
				push(`${base}/${escapePointerToken(String(params.unevaluatedProperty))}`, 'unknown field');
				break;
			}
			case 'enum':
				push(base || '/', `must be one of: ${quoteList(params.allowedValues)}`);
				break;
			case 'const':
				push(base || '/', `must be ${JSON.stringify(params.allowedValue)}`);
				break;
			case 'pattern': {
				// A schema whose description starts with "must" says in words what its pattern
				// means (ajv's `verbose` option provides the schema); otherwise ajv's message.
				const description = (e.parentSchema as { description?: unknown } | undefined)?.description;
				push(base || '/', typeof description === 'string' && /^must /.test(description) ? description : (e.message ?? 'failed pattern'));
				break;
			}
			case 'if':
				break;
			case 'anyOf':
			case 'oneOf':
				if (!hasSpecific) push(base || '/', e.message ?? `failed ${e.keyword}`);
				break;
			default:
				push(base || '/', e.message ?? `failed ${e.keyword}`);
		}
	}
	return out;
}

/**
 * Compiles every catalog validator now (ajv compilation costs ~20 ms per type); call at startup
 * to keep that off the first requests. Returns the number of validators ready.
 */
export function precompileEventValidators(): number {
	let n = 0;
	for (const def of EVENT_CATALOG) if (validatorFor(def.type)) n++;
	return n;
}

/**
 * Validates an event's `data` against its type's schema. Paths are prefixed `/data`.
 * An unknown type gives `[{ path: '/type', message: 'unknown event type "x"' }]`.
 */
export function validateEventData(type: string, data: unknown): FieldError[] {
	const validate = validatorFor(type);
	if (!validate) return [{ path: '/type', message: `unknown event type ${JSON.stringify(type)}` }];
	if (validate(data)) return [];
	return formatAjvErrors(validate.errors, '/data');
}

const compiledBySchema = new WeakMap<object, ValidateFunction>();

/** Validates any value against any schema with the shared instance (compiled once per schema object). */
export function validateAgainstSchema(schema: JsonSchema, value: unknown, prefix = ''): FieldError[] {
	let validate = compiledBySchema.get(schema);
	if (!validate) {
		validate = getAjv().compile(schema);
		compiledBySchema.set(schema, validate);
	}
	if (validate(value)) return [];
	return formatAjvErrors(validate.errors, prefix);
}

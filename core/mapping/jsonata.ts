/**
 * JSONata for alert-profile conditions and payload mappings, with guard rails: compiled
 * expressions are cached by source (bounded), and every evaluation is time-boxed and
 * depth-limited through JSONata's `__evaluate_entry` / `__evaluate_exit` hooks (the technique of
 * the JSONata exerciser's `timeboxExpression`), so an infinite loop or runaway recursion in a
 * user's expression fails with a clear error.
 *
 * The time box is a `Date.now()` check between evaluation steps, with no timer: this file runs
 * inside n8n too, where the core may not use timers. It cannot interrupt one long step (a
 * backtracking regex, `$pad` of 50 million characters): the dispatcher therefore evaluates in a
 * worker thread it terminates at a hard deadline (`server/mapping/jsonataPool.ts`).
 */
import jsonata from 'jsonata';

export const DEFAULT_JSONATA_TIMEOUT_MS = 1000;
export const DEFAULT_JSONATA_MAX_DEPTH = 500;
export const JSONATA_CACHE_SIZE = 500;

export interface JsonataEvaluateOptions {
	/** Wall-clock limit for one evaluation. Default 1000 ms. */
	timeoutMs?: number;
	/** Maximum nesting of evaluation steps (recursion). Default 500. */
	maxDepth?: number;
	/** Variables available as `$name` in the expression. */
	bindings?: Record<string, unknown>;
}

export interface CompiledJsonata {
	readonly source: string;
	evaluate(input: unknown, options?: JsonataEvaluateOptions): Promise<unknown>;
	/** JSONata's syntax tree of the expression (for static checks such as `findUnsafeRegex`). */
	ast(): unknown;
}

interface JsonataErrorLike {
	code?: string;
	position?: number;
	token?: string;
	message?: string;
}

function asJsonataError(err: unknown): JsonataErrorLike {
	return typeof err === 'object' && err !== null ? (err as JsonataErrorLike) : { message: String(err) };
}

/** A JSONata expression that does not compile. `position` is the character offset (1-based end of the bad token as JSONata reports it). */
export class JsonataCompileError extends Error {
	readonly position: number;
	readonly token?: string;
	readonly code?: string;
	constructor(message: string, details: { position: number; token?: string; code?: string }) {
		super(message);
		this.name = 'JsonataCompileError';
		this.position = details.position;
		this.token = details.token;
		this.code = details.code;
	}
}

/** An evaluation failed: a JSONata runtime error, a timeout or the depth limit. */
export class JsonataEvaluationError extends Error {
	readonly code?: string;
	readonly position?: number;
	readonly token?: string;
	constructor(message: string, details: { code?: string; position?: number; token?: string } = {}) {
		super(message);
		this.name = 'JsonataEvaluationError';
		this.code = details.code;
		this.position = details.position;
		this.token = details.token;
	}
}

// ---------------------------------------------------------------------------------------------
// Guard rails
// ---------------------------------------------------------------------------------------------

interface Guard {
	start: number;
	timeoutMs: number;
	maxDepth: number;
	depth: number;
}

/** The execution environment JSONata creates per evaluation (`environment.base`). */
interface JsonataFrame {
	base?: object;
}

const ENTRY = Symbol.for('jsonata.__evaluate_entry');
const EXIT = Symbol.for('jsonata.__evaluate_exit');

/** Guards of running evaluations, keyed by their execution environment. */
const activeGuards = new WeakMap<object, Guard>();
/**
 * The guard of the evaluation being started. JSONata calls the entry hook synchronously inside
 * `expression.evaluate()` (before its first `await` settles), which is where the hook claims it.
 */
let pendingGuard: Guard | undefined;

function guardOf(environment: JsonataFrame): Guard | undefined {
	const base = environment.base;
	if (!base) return undefined;
	let guard = activeGuards.get(base);
	if (!guard && pendingGuard) {
		guard = pendingGuard;
		pendingGuard = undefined;
		activeGuards.set(base, guard);
	}
	return guard;
}

function check(guard: Guard): void {
	if (guard.depth > guard.maxDepth) {
		throw new JsonataEvaluationError(
			`JSONata evaluation exceeded the maximum depth of ${guard.maxDepth} (non-terminating recursion?)`,
			{ code: 'MDM_DEPTH' },
		);
	}
	if (Date.now() - guard.start > guard.timeoutMs) {
		throw new JsonataEvaluationError(`JSONata evaluation timed out after ${guard.timeoutMs} ms (infinite loop?)`, {
			code: 'MDM_TIMEOUT',
		});
	}
}

function onEntry(_expr: unknown, _input: unknown, environment: JsonataFrame): void {
	const guard = guardOf(environment);
	if (!guard) return;
	guard.depth++;
	check(guard);
}

function onExit(_expr: unknown, _input: unknown, environment: JsonataFrame): void {
	const guard = guardOf(environment);
	if (!guard) return;
	guard.depth--;
	check(guard);
}

// ---------------------------------------------------------------------------------------------
// Compile + cache
// ---------------------------------------------------------------------------------------------

const cache = new Map<string, CompiledJsonata>();

function positiveOr(value: number | undefined, fallback: number): number {
	return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : fallback;
}

function wrapEvaluationError(err: unknown, guard: Guard): JsonataEvaluationError {
	if (err instanceof JsonataEvaluationError) return err;
	const e = asJsonataError(err);
	if (e.code === 'D1012') {
		return new JsonataEvaluationError(`JSONata evaluation timed out after ${guard.timeoutMs} ms (infinite loop?)`, {
			code: 'MDM_TIMEOUT',
		});
	}
	const where = typeof e.position === 'number' ? ` at position ${e.position}` : '';
	const message = e.message ?? 'unknown error';
	return new JsonataEvaluationError(`JSONata evaluation error${where}: ${message}`, {
		code: e.code,
		position: e.position,
		token: e.token,
	});
}

function compileUncached(source: string): CompiledJsonata {
	let expression: jsonata.Expression | undefined;
	let failure: ReturnType<typeof asJsonataError> | undefined;
	try {
		expression = jsonata(source);
	} catch (err) {
		failure = asJsonataError(err);
	}
	// Thrown outside the catch: n8n's lint (`require-node-api-error`) reads any throw inside a
	// catch block as a node error that should be NodeApiError; this one is the core's own.
	if (expression === undefined) {
		const position = typeof failure?.position === 'number' ? failure.position : 0;
		throw new JsonataCompileError(`JSONata syntax error at position ${position}: ${failure?.message ?? 'invalid expression'}`, {
			position,
			token: failure?.token,
			code: failure?.code,
		});
	}
	// The hook names are symbols in JSONata 2.x; `assign` binds any key on the expression's frame.
	const assign = expression.assign as (name: string | symbol, value: unknown) => void;
	assign(ENTRY, onEntry);
	assign(EXIT, onExit);

	return {
		source,
		ast: () => expression.ast(),
		async evaluate(input: unknown, options: JsonataEvaluateOptions = {}): Promise<unknown> {
			const guard: Guard = {
				start: Date.now(),
				timeoutMs: positiveOr(options.timeoutMs, DEFAULT_JSONATA_TIMEOUT_MS),
				maxDepth: positiveOr(options.maxDepth, DEFAULT_JSONATA_MAX_DEPTH),
				depth: 0,
			};
			let running: Promise<unknown>;
			pendingGuard = guard;
			try {
				running = expression.evaluate(input, options.bindings);
			} finally {
				pendingGuard = undefined;
			}
			try {
				return await running;
			} catch (err) {
				throw wrapEvaluationError(err, guard);
			}
		},
	};
}

/**
 * Compiles (or returns the cached compilation of) a JSONata expression. Throws
 * `JsonataCompileError` with the position of the syntax error.
 */
export function compileJsonata(source: string): CompiledJsonata {
	if (typeof source !== 'string') throw new TypeError('JSONata expression must be a string');
	const hit = cache.get(source);
	if (hit) {
		// refresh recency (Map keeps insertion order: oldest first)
		cache.delete(source);
		cache.set(source, hit);
		return hit;
	}
	const compiled = compileUncached(source);
	cache.set(source, compiled);
	if (cache.size > JSONATA_CACHE_SIZE) {
		const oldest = cache.keys().next().value;
		if (oldest !== undefined) cache.delete(oldest);
	}
	return compiled;
}

/** Number of cached compilations (for tests and metrics). */
export function jsonataCacheSize(): number {
	return cache.size;
}

/** Compile check for API validation: `undefined` if fine, else `{ position, message }`. */
export function checkJsonata(source: string): { position: number; message: string } | undefined {
	try {
		compileJsonata(source);
		return undefined;
	} catch (err) {
		if (err instanceof JsonataCompileError) return { position: err.position, message: err.message };
		return { position: 0, message: (err as Error).message };
	}
}

/** JSONata's `$boolean()` casting rules. */
export function jsonataTruthy(value: unknown): boolean {
	if (value === undefined || value === null) return false;
	if (typeof value === 'boolean') return value;
	if (typeof value === 'number') return value !== 0 && !Number.isNaN(value);
	if (typeof value === 'string') return value.length > 0;
	if (typeof value === 'function') return false;
	if (Array.isArray(value)) return value.some((v) => jsonataTruthy(v));
	if (typeof value === 'object') return Object.keys(value).length > 0;
	return false;
}

/**
 * Evaluates an alert-profile condition: true when the result is truthy in JSONata's sense (not
 * empty/undefined, false, null, 0, '' or an empty array/object).
 */
export async function evaluateCondition(
	expr: string | CompiledJsonata,
	input: unknown,
	options?: JsonataEvaluateOptions,
): Promise<boolean> {
	const compiled = typeof expr === 'string' ? compileJsonata(expr) : expr;
	return jsonataTruthy(await compiled.evaluate(input, options));
}

/**
 * Evaluates a payload mapping and returns plain JSON (JSONata sequences become arrays,
 * functions and `undefined` members are dropped). `undefined` when the expression yields nothing.
 */
export async function evaluateMapping(
	expr: string | CompiledJsonata,
	input: unknown,
	options?: JsonataEvaluateOptions,
): Promise<unknown> {
	const compiled = typeof expr === 'string' ? compileJsonata(expr) : expr;
	const result = await compiled.evaluate(input, options);
	if (result === undefined) return undefined;
	const json = JSON.stringify(result);
	return json === undefined ? undefined : (JSON.parse(json) as unknown);
}

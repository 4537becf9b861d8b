/**
 * JSON-Schema validation of API input. Schemas are compiled once; errors name the field (JSON
 * Pointer) and say why, in the same format as the core's event validation.
 */
import type { ValidateFunction } from 'ajv';
import { createAjv, formatAjvErrors } from '../../core';
import type { JsonSchema } from '../../core/types';
import { validationFailed } from './errors';

const ajv = createAjv({ useDefaults: true, coerceTypes: false, discriminator: true, verbose: true });

export type Validator<T> = (input: unknown) => T;

/** Returns a function that validates (and fills defaults into) its input, or throws a 422. */
export function compileValidator<T>(schema: JsonSchema, status = 422): Validator<T> {
	const validate: ValidateFunction = ajv.compile(schema);
	return (input: unknown): T => {
		if (!validate(input)) throw validationFailed(formatAjvErrors(validate.errors), status);
		return input as T;
	};
}

/** Query strings arrive as text: coerce numbers and booleans against the schema. */
const queryAjv = createAjv({ useDefaults: true, coerceTypes: true, discriminator: true, verbose: true });

export function compileQueryValidator<T>(schema: JsonSchema): Validator<T> {
	const validate: ValidateFunction = queryAjv.compile(schema);
	return (input: unknown): T => {
		const copy = { ...(input as Record<string, unknown>) };
		if (!validate(copy)) throw validationFailed(formatAjvErrors(validate.errors), 400);
		return copy as T;
	};
}

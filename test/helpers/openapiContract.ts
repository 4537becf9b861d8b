/**
 * Checks real answers against the OpenAPI document the dispatcher serves: each answer's body is
 * validated (ajv, the core's configuration) against the schema the document gives for that
 * operation and status, and the operations seen are counted, so a test can demand that every
 * operation was exercised.
 */
import type { ValidateFunction } from 'ajv';
import { createAjv, formatAjvErrors } from '../../core';

type Json = Record<string, unknown>;

interface OperationEntry {
	operationId: string;
	method: string;
	path: string;
	/** Status → media type → validator. */
	answers: Map<string, { mediaType: string; validate: ValidateFunction | null }>;
}

/** `{"$ref": "#/components/schemas/X"}` → `{"$ref": "X"}`, the id each component is added under. */
function localRefs(value: unknown): unknown {
	if (Array.isArray(value)) return value.map(localRefs);
	if (value === null || typeof value !== 'object') return value;
	return Object.fromEntries(
		Object.entries(value).map(([key, item]) => [
			key,
			key === '$ref' && typeof item === 'string' ? item.replace('#/components/schemas/', '') : localRefs(item),
		]),
	);
}

export class OpenApiContract {
	readonly operations: OperationEntry[] = [];
	readonly checked = new Map<string, Set<string>>();

	constructor(readonly document: Json) {
		const ajv = createAjv({ discriminator: true });
		const schemas = ((document.components as Json).schemas ?? {}) as Record<string, Json>;
		for (const [name, schema] of Object.entries(schemas)) ajv.addSchema(localRefs(schema) as Json, name);
		for (const [path, item] of Object.entries(document.paths as Record<string, Json>)) {
			for (const [method, operation] of Object.entries(item as Record<string, Json>)) {
				if (method === 'parameters') continue;
				const answers = new Map<string, { mediaType: string; validate: ValidateFunction | null }>();
				for (const [status, response] of Object.entries(operation.responses as Record<string, Json>)) {
					const content = (response.content ?? {}) as Record<string, Json>;
					const [mediaType, media] = Object.entries(content)[0] ?? ['', undefined];
					answers.set(status, {
						mediaType,
						validate: media && mediaType === 'application/json' ? ajv.compile(localRefs(media.schema) as Json) : null,
					});
				}
				this.operations.push({ operationId: String(operation.operationId), method: method.toUpperCase(), path, answers });
			}
		}
	}

	/** The operation a request goes to (`/v1/webhooks/wh_1` → `/v1/webhooks/{id}`); literal paths win. */
	find(method: string, url: string): OperationEntry {
		const pathname = new URL(url, 'http://x').pathname;
		const candidates = this.operations.filter((op) => {
			if (op.method !== method) return false;
			const pattern = new RegExp(`^${op.path.replace(/\{[^}]+\}/g, '[^/]+')}$`);
			return pattern.test(pathname);
		});
		candidates.sort((a, b) => (a.path.match(/\{/g)?.length ?? 0) - (b.path.match(/\{/g)?.length ?? 0));
		const found = candidates[0];
		if (!found) throw new Error(`the document has no operation for ${method} ${pathname}`);
		return found;
	}

	/**
	 * Validates one answer. Returns the problems (empty when it fits); an answer whose status the
	 * document does not list is a problem too.
	 */
	check(method: string, url: string, status: number, contentType: string | null, body: unknown): string[] {
		const operation = this.find(method, url);
		const answer = operation.answers.get(String(status)) ?? operation.answers.get(`${String(status)[0]}XX`);
		if (!answer) return [`${operation.operationId}: status ${status} is not in the document`];
		const problems: string[] = [];
		if (answer.mediaType && !(contentType ?? '').startsWith(answer.mediaType)) {
			problems.push(`${operation.operationId} ${status}: content-type ${contentType} is not ${answer.mediaType}`);
		}
		if (answer.validate && !answer.validate(body)) {
			for (const error of formatAjvErrors(answer.validate.errors)) problems.push(`${operation.operationId} ${status}: ${error.path} ${error.message}`);
		}
		if (problems.length === 0) {
			const statuses = this.checked.get(operation.operationId) ?? new Set<string>();
			statuses.add(String(status));
			this.checked.set(operation.operationId, statuses);
		}
		return problems;
	}
}

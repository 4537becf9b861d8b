/**
 * The OpenAPI document: valid OpenAPI 3.1 (@readme/openapi-parser), an operationId and a tag on
 * every operation and a schema on every answer with a body, the outgoing payload of every event
 * type under `webhooks` with a sample that fits it, the server URL of the request; the committed
 * copies (docs/openapi.json and the openapi-typescript client types) are what the builder makes.
 */
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { validate } from '@readme/openapi-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENT_CATALOG, createAjv, validateAgainstSchema } from '../../core';
import { DEFAULT_SERVER_URL, buildOpenApiDocument } from '../../server/openapi';
import { type Json, type TestDispatcher, startTestDispatcher } from '../helpers/dispatcher';

const ROOT = path.resolve(__dirname, '../..');
let dispatcher: TestDispatcher;
let served: Json;
beforeAll(async () => {
	dispatcher = await startTestDispatcher();
	served = await (await fetch(`${dispatcher.baseUrl}/openapi.json`)).json();
});
afterAll(async () => {
	await dispatcher.close();
});

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];
function operations(document: Json): [string, string, Json][] {
	return Object.entries(document.paths as Record<string, Json>).flatMap(([route, item]) =>
		Object.entries(item).filter(([method]) => METHODS.includes(method)).map(([method, op]) => [route, method, op as Json] as [string, string, Json]),
	);
}

describe('GET /openapi.json', () => {
	it('is open, passes the OpenAPI validator, and is docs/openapi.json with this server URL (run `npm run docs:openapi` after API changes)', async () => {
		expect(served.openapi).toBe('3.1.0');
		const result = await validate(structuredClone(served));
		expect(result.valid, JSON.stringify(result)).toBe(true);
		expect(served.servers).toEqual([{ url: dispatcher.baseUrl }]);
		const committed = JSON.parse(fs.readFileSync(path.join(ROOT, 'docs/openapi.json'), 'utf8'));
		expect(committed.servers).toEqual([{ url: DEFAULT_SERVER_URL }]);
		expect({ ...served, servers: committed.servers }).toEqual(committed);
	});

	it('gives every operation a unique operationId, a known tag and a schema for every answer with a body', () => {
		const ops = operations(served);
		expect(ops.length).toBeGreaterThanOrEqual(37);
		const ids = ops.map(([, , op]) => op.operationId);
		expect(new Set(ids).size).toBe(ids.length);
		const tags = new Set((served.tags as Json[]).map((tag) => tag.name));
		for (const [route, method, op] of ops) {
			const where = `${method.toUpperCase()} ${route}`;
			expect(op.operationId, where).toMatch(/^[a-z][A-Za-z]+$/);
			expect(op.tags, where).toHaveLength(1);
			expect(tags.has(op.tags[0]), where).toBe(true);
			const responses = Object.entries(op.responses as Record<string, Json>);
			expect(responses.some(([status]) => status.startsWith('2')), where).toBe(true);
			for (const [status, response] of responses) {
				if (status === '204') {
					expect(response.content, `${where} ${status}`).toBeUndefined();
					continue;
				}
				const [media] = Object.values((response.content ?? {}) as Record<string, Json>);
				expect(media?.schema, `${where} ${status}`).toBeDefined();
			}
		}
		for (const route of ['/v1/events/{id}', '/metrics', '/docs', '/v1/deliveries/summary', '/v1/webhooks/{id}/secret/rotate']) {
			expect(Object.keys(served.paths)).toContain(route);
		}
		const listQuery = (served.paths['/v1/deliveries'].get.parameters as Json[]).map((parameter) => parameter.name);
		expect(listQuery).toContain('eventId');
	});

	it('lists the outgoing payload of every event type under webhooks, with a sample that fits its schema', () => {
		const webhooks = served.webhooks as Record<string, Json>;
		expect(Object.keys(webhooks).sort()).toEqual(EVENT_CATALOG.map((def) => def.type).sort());
		for (const def of EVENT_CATALOG) {
			const media = webhooks[def.type].post.requestBody.content['application/json'];
			expect(media.schema.properties.type).toEqual({ const: def.type });
			expect(validateAgainstSchema(media.schema, media.examples.sample.value)).toEqual([]);
			expect(webhooks[def.type].post.parameters.map((p: Json) => p.name)).toEqual(['webhook-id', 'webhook-timestamp', 'webhook-signature']);
		}
		expect(webhooks['webhook.disabled'].post.tags).toEqual(['operational']);
	});

	it('gives request bodies examples that the request schemas accept', async () => {
		const ajv = createAjv({ discriminator: true, useDefaults: true });
		let examples = 0;
		for (const [route, method, op] of operations(served)) {
			const media = op.requestBody?.content?.['application/json'];
			if (!media?.examples) continue;
			const schema = media.schema.$ref ? served.components.schemas[media.schema.$ref.split('/').pop()] : media.schema;
			const check = ajv.compile(schema);
			for (const [name, example] of Object.entries(media.examples as Record<string, Json>)) {
				examples++;
				expect(check(structuredClone(example.value)), `${method} ${route} example ${name}: ${JSON.stringify(check.errors)}`).toBe(true);
			}
		}
		expect(examples).toBeGreaterThanOrEqual(8);
	});

	it('takes the server URL from DISPATCHER_PUBLIC_URL when set', async () => {
		const behindProxy = await startTestDispatcher({ publicUrl: 'https://mdm.example.com/dispatcher' });
		try {
			const document = (await (await fetch(`${behindProxy.baseUrl}/openapi.json`)).json()) as Json;
			expect(document.servers).toEqual([{ url: 'https://mdm.example.com/dispatcher' }]);
		} finally {
			await behindProxy.close();
		}
	});

	it('test/generated/openapi.ts is what openapi-typescript makes of the document', async () => {
		const script = pathToFileURL(path.join(ROOT, 'scripts/write-openapi.mjs')).href;
		const { clientTypes } = (await import(script)) as { clientTypes: (document: unknown) => Promise<string> };
		const committed = fs.readFileSync(path.join(ROOT, 'test/generated/openapi.ts'), 'utf8');
		expect(await clientTypes(buildOpenApiDocument())).toBe(committed);
	});
});

/** The OpenAPI document is built from the validation schemas; docs/openapi.json must match it. */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestDispatcher, startTestDispatcher } from '../helpers/dispatcher';

let dispatcher: TestDispatcher;
beforeAll(async () => {
	dispatcher = await startTestDispatcher();
});
afterAll(async () => {
	await dispatcher.close();
});

describe('GET /openapi.json', () => {
	it('is open, OpenAPI 3.1, and equal to docs/openapi.json (run `npm run docs:openapi` after API changes)', async () => {
		const response = await fetch(`${dispatcher.baseUrl}/openapi.json`);
		expect(response.status).toBe(200);
		const served = (await response.json()) as { openapi: string; paths: Record<string, unknown>; info: { version: string } };
		expect(served.openapi).toBe('3.1.0');
		const committed = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../docs/openapi.json'), 'utf8'));
		expect(served).toEqual(committed);
		for (const route of ['/v1/events', '/v1/webhooks/{id}/secret/rotate', '/v1/profiles/{id}/preview', '/v1/deliveries/summary']) {
			expect(Object.keys(served.paths)).toContain(route);
		}
	});
});

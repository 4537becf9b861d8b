/**
 * An ingest source's counters are not worth failing a vendor's request for: with the disk full
 * the refusal still gets its own answer (not a 5xx), and the dispatcher's structured log (pino,
 * JSON) says which source's counters were not saved. Once the disk has room again, requests
 * count again.
 */
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../../server/observability/logger';
import { type Json, type TestDispatcher, startTestDispatcher } from '../../helpers/dispatcher';
import { FaultyFiles } from '../../helpers/faultyFiles';
import { KOBITON_SEED_BODY } from '../../helpers/vendorBodies';

const open: TestDispatcher[] = [];
afterEach(async () => {
	for (const dispatcher of open.splice(0)) await dispatcher.close().catch(() => undefined);
});

function capturedLogger() {
	const lines: Json[] = [];
	const destination = new Writable({
		write(chunk: Buffer, _encoding, done) {
			for (const line of chunk.toString('utf8').split('\n')) if (line.startsWith('{')) lines.push(JSON.parse(line));
			done();
		},
	});
	return { logger: createLogger({ level: 'warn', destination }), lines };
}

describe('ingest source counters on a full disk', () => {
	it('the refusal keeps its answer; "counters not saved" is logged with the source id; counting resumes', async () => {
		const faults = new FaultyFiles();
		const { logger, lines } = capturedLogger();
		const dispatcher = await startTestDispatcher({ storeFiles: faults, logger });
		open.push(dispatcher);
		const created = await dispatcher.api.post('/v1/sources', { name: 'Paused Kobiton', vendor: 'kobiton', enabled: false });
		expect(created.status, created.text).toBe(201);
		const source = created.body;
		const send = () => fetch(source.ingestUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: KOBITON_SEED_BODY });

		faults.fillDisk(0);
		const refused = await send();
		expect(refused.status).toBe(404);
		expect(((await refused.json()) as Json).error).toEqual({ code: 'source_disabled', message: 'this ingest source is disabled' });
		const logged = lines.find((line) => line.event === 'source.counters_not_saved');
		expect(logged).toMatchObject({ level: 'warn', sourceId: source.id, service: 'mdm-dispatcher' });
		expect(logged.msg).toMatch(new RegExp(`^source ${source.id}: counters not saved: `));
		// The line names the source, never its URL token.
		expect(JSON.stringify(lines)).not.toContain(source.ingestUrl.split('/').pop());

		faults.freeSpace();
		expect((await send()).status).toBe(404);
		const stats = (await dispatcher.api.get(`/v1/sources/${source.id}`)).body.stats;
		expect(stats).toMatchObject({ received: 1, rejected: 1, lastError: { status: 404, code: 'source_disabled' } });
	});
});

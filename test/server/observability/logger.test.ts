/**
 * The logger removes secrets itself: credential-named fields at any of the first levels, signing
 * secrets and keys by their prefixes, Bearer/Basic credentials and configured secret values inside
 * any string, error messages and stacks included; levels and formats as configured.
 */
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, logSettingsFromEnv, scrubSecrets } from '../../../server/observability/logger';

function capture(level: Parameters<typeof createLogger>[0]['level'] = 'info', knownSecrets: string[] = []) {
	const lines: string[] = [];
	const destination = new Writable({
		write(chunk: Buffer, _encoding, done) {
			lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
			done();
		},
	});
	return { log: createLogger({ level, destination, knownSecrets }), lines };
}

describe('logger', () => {
	it('censors credential fields and scrubs secrets out of every string', () => {
		const { log, lines } = capture('info', ['the-admin-key-123456']);
		log.warn(
			{
				webhook: { id: 'wh_1', signing: { secret: 'whsec_c2VjcmV0LWtleS1ieXRlcw==' } },
				auth: { type: 'basic', username: 'ana', password: 'p4ssw0rd!' },
				token: 'ingest-token',
				note: 'sent Authorization: Bearer abc.def-123 with whsk_QUJDREVGR0g= and key the-admin-key-123456',
				err: new Error('failed with mdk_AbC-123_xyz inside'),
			},
			'message with whsec_dGhlLXNlY3JldA== and Basic YW5hOnA0c3N3MHJkIQ==',
		);
		const [line] = lines;
		for (const secret of ['c2VjcmV0LWtleS1ieXRlcw', 'p4ssw0rd!', 'ingest-token', 'abc.def-123', 'QUJDREVGR0g', 'the-admin-key-123456', 'AbC-123_xyz', 'dGhlLXNlY3JldA', 'YW5hOnA0c3N3MHJkIQ']) {
			expect(line).not.toContain(secret);
		}
		const parsed = JSON.parse(line);
		expect(parsed).toMatchObject({
			level: 'warn',
			service: 'mdm-dispatcher',
			webhook: { id: 'wh_1', signing: { secret: '********' } },
			auth: { type: 'basic', username: 'ana', password: '********' },
			token: '********',
			msg: 'message with whsec_******** and Basic ********',
		});
		expect(parsed.note).toBe('sent Authorization: Bearer ******** with whsk_******** and key ********');
		expect(parsed.err.message).toBe('failed with mdk_******** inside');
		expect(parsed.err.stack).toContain('mdk_********');
	});

	it('keeps to its level and reads DISPATCHER_LOG_LEVEL / DISPATCHER_LOG_FORMAT', () => {
		const { log, lines } = capture('warn');
		log.info('hidden');
		log.error('shown');
		expect(lines.map((line) => JSON.parse(line).msg)).toEqual(['shown']);
		expect(logSettingsFromEnv({})).toEqual({ level: 'info' });
		expect(logSettingsFromEnv({ DISPATCHER_LOG_LEVEL: 'DEBUG', DISPATCHER_LOG_FORMAT: 'pretty' })).toEqual({ level: 'debug', format: 'pretty' });
		expect(() => logSettingsFromEnv({ DISPATCHER_LOG_LEVEL: 'loud' })).toThrow(/DISPATCHER_LOG_LEVEL/);
		expect(() => logSettingsFromEnv({ DISPATCHER_LOG_FORMAT: 'xml' })).toThrow(/DISPATCHER_LOG_FORMAT/);
	});

	it('scrubSecrets leaves ordinary text alone', () => {
		expect(scrubSecrets('delivery msg_01 to webhook "Slack" failed: HTTP 503')).toBe('delivery msg_01 to webhook "Slack" failed: HTTP 503');
	});
});

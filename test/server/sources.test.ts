/** /v1/sources: per-vendor rules, masking, rotation with a 24-hour overlap, persistence. */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Json, type TestDispatcher, startTestDispatcher } from '../helpers/dispatcher';
import { menderEvent, menderHeaders, menderWebhookBody } from '../helpers/mender';
import { KOBITON_SEED_BODY } from '../helpers/vendorBodies';

let dispatcher: TestDispatcher;
beforeAll(async () => {
	dispatcher = await startTestDispatcher({ publicUrl: 'https://mdm.example.com/hooks/' });
});
afterAll(async () => {
	await dispatcher.close();
});

const ingestPath = (url: string) => new URL(url).pathname.replace(/^\/hooks/, '');
const post = (url: string, body: string, headers: Record<string, string> = {}) =>
	fetch(`${dispatcher.baseUrl}${ingestPath(url)}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

async function create(body: Record<string, unknown>, status = 201): Promise<Json> {
	const answer = await dispatcher.api.post('/v1/sources', body);
	expect(answer.status, answer.text).toBe(status);
	return answer.body;
}

describe('/v1/sources', () => {
	it('shows the ingest URL and secret once; every later answer masks them', async () => {
		const created = await create({ name: 'Mender EU', vendor: 'mender', description: 'Hosted Mender' });
		expect(created).toMatchObject({
			vendor: 'mender',
			enabled: true,
			description: 'Hosted Mender',
			auth: { type: 'none' },
			mapping: null,
			stats: { received: 0, accepted: 0, duplicates: 0, rejected: 0, events: 0, lastReceivedAt: null, lastError: null },
		});
		// DISPATCHER_PUBLIC_URL is the origin of ingest URLs.
		expect(created.ingestUrl).toMatch(new RegExp(`^https://mdm\\.example\\.com/hooks/ingest/${created.id}/[A-Za-z0-9_-]{43}$`));
		expect(created.secret).toMatch(/^[0-9a-f]{64}$/);
		expect(created.setup).toMatch(/Settings → Integrations → Webhooks/);
		const token = created.ingestUrl.split('/').pop();
		for (const answer of [await dispatcher.api.get(`/v1/sources/${created.id}`), await dispatcher.api.get('/v1/sources')]) {
			expect(answer.text).not.toContain(token);
			expect(answer.text).not.toContain(created.secret);
		}
		const shown = (await dispatcher.api.get(`/v1/sources/${created.id}`)).body;
		expect(shown.ingestUrl).toBe(`https://mdm.example.com/hooks/ingest/${created.id}/********`);
		expect(shown.secret).toBe('********');
		// Only the token's hash is stored.
		expect(JSON.stringify(await dispatcher.context.backend.config.getSource(created.id))).not.toContain(token);
	});

	it('refuses what a vendor does not have, naming the field', async () => {
		const paths = async (body: Record<string, unknown>) => (await create(body, 422)).error.details.map((d: { path: string }) => d.path);
		expect(await paths({ name: 'm1', vendor: 'mender', secret: 'not-a-hex-secret' })).toEqual(['/secret']);
		expect(await paths({ name: 'm2', vendor: 'mender', secret: 'ab'.repeat(40) })).toEqual(['/secret']);
		expect(await paths({ name: 'm3', vendor: 'mender', auth: { type: 'bearer', token: 'x' } })).toEqual(['/auth']);
		expect(await paths({ name: 'k1', vendor: 'kobiton', secret: 'some secret value' })).toEqual(['/secret']);
		expect(await paths({ name: 'h1', vendor: 'hexnode', auth: { type: 'none' } })).toEqual(['/auth']);
		expect(await paths({ name: 'g1', vendor: 'generic' })).toEqual(['/mapping']);
		expect(await paths({ name: 'g2', vendor: 'generic', mapping: '{ "type": ' })).toEqual(['/mapping']);
		// A mapping that does not compile is refused with its position, as profiles' JSONata is.
		const broken = (await create({ name: 'g3', vendor: 'generic', mapping: '{ "type": "device." & }' }, 422)).error.details[0];
		expect(broken).toMatchObject({ path: '/mapping', position: expect.any(Number) });
		expect(broken.position).toBeGreaterThan(0);
		expect(await paths({ name: 's1', vendor: 'scalefusion', hmac: { header: 'x-sig' } })).toEqual(['/hmac']);
		expect(await paths({ name: 'x1', vendor: 'airwatch' })).toEqual(['/vendor']);
		expect(await paths({ name: 'x2', vendor: 'kobiton', token: 'mine' })).toEqual(['/token']);
		await create({ name: 'Same name', vendor: 'kobiton' });
		expect(await paths({ name: 'same NAME', vendor: 'kobiton' })).toEqual(['/name']);
		const secret = 'cafe'.repeat(8);
		const ok = await create({ name: 'm-own', vendor: 'mender', secret });
		expect(ok.secret).toBe(secret);
		const generic = await create({ name: 'g-patch', vendor: 'generic', mapping: '{"type": "device.locked", "data": {"device": {"id": id}}}' });
		const noSecret = await dispatcher.api.patch(`/v1/sources/${generic.id}`, { hmac: { header: 'x-signature' } });
		expect(noSecret.status).toBe(422);
		expect(noSecret.body.error.details[0].path).toBe('/secret');
		const withSecret = await dispatcher.api.patch(`/v1/sources/${generic.id}`, { hmac: { header: 'x-signature' }, secret: 'an hmac secret' });
		expect(withSecret.status, withSecret.text).toBe(200);
		expect(withSecret.body).toMatchObject({ secret: '********', hmac: { header: 'x-signature', algorithm: 'sha256', encoding: 'hex', prefix: '' } });
	});

	it('rotate: a new token and secret, the old ones still accepted for 24 hours', async () => {
		const source = await create({ name: 'Mender rotating', vendor: 'mender' });
		const rotated = (await dispatcher.api.post(`/v1/sources/${source.id}/rotate`, {})).body;
		expect(rotated.ingestUrl).not.toBe(source.ingestUrl);
		expect(rotated.secret).toMatch(/^[0-9a-f]{64}$/);
		expect(rotated.secret).not.toBe(source.secret);
		expect(Date.parse(rotated.previousCredentialsExpireAt) - Date.now()).toBeGreaterThan(23.9 * 3600 * 1000);
		const send = async (url: string, secret: string) => {
			const body = menderWebhookBody(menderEvent('device-decommissioned', { id: randomBytes(8).toString('hex') }));
			return (await post(url, body, menderHeaders(body, secret))).status;
		};
		expect(await send(source.ingestUrl, source.secret)).toBe(202);
		expect(await send(rotated.ingestUrl, rotated.secret)).toBe(202);
		expect(await send(rotated.ingestUrl, source.secret)).toBe(202);
		// Once the overlap is over, the old ones are refused.
		const stored = await dispatcher.context.backend.config.getSource(source.id);
		if (!stored) throw new Error('source gone');
		const past = new Date(Date.now() - 1000).toISOString();
		await dispatcher.context.backend.config.putSource({ ...stored, previousTokenExpiresAt: past, previousSecretExpiresAt: past });
		expect(await send(source.ingestUrl, rotated.secret)).toBe(401);
		expect(await send(rotated.ingestUrl, source.secret)).toBe(401);
		const bad = await dispatcher.api.post(`/v1/sources/${source.id}/rotate`, { secret: 'plain text, not hex' });
		expect(bad.status).toBe(422);
		const kobiton = await create({ name: 'Kobiton rotating', vendor: 'kobiton' });
		const rotatedKobiton = await dispatcher.api.post(`/v1/sources/${kobiton.id}/rotate`, {});
		expect(rotatedKobiton.body.secret).toBeUndefined();
		expect((await dispatcher.api.post(`/v1/sources/${kobiton.id}/rotate`, { secret: 'abcdefgh12' })).status).toBe(422);
	});

	it('patch keeps masked credentials, disables and re-enables; delete; 404s', async () => {
		const source = await create({ name: 'Hexnode patch', vendor: 'hexnode', auth: { type: 'basic', username: 'hx', password: 'pw-1' } });
		const masked = await dispatcher.api.patch(`/v1/sources/${source.id}`, { auth: { type: 'basic', username: 'hx2', password: '********' }, enabled: false });
		expect(masked.status, masked.text).toBe(200);
		expect((await dispatcher.context.backend.config.getSource(source.id))?.auth).toEqual({ type: 'basic', username: 'hx2', password: 'pw-1' });
		const basic = `Basic ${Buffer.from('hx2:pw-1').toString('base64')}`;
		const body = JSON.stringify({ event: 'Device Locked', device: { id: 'd1' } });
		expect((await post(source.ingestUrl, body, { authorization: basic })).status).toBe(404);
		await dispatcher.api.patch(`/v1/sources/${source.id}`, { enabled: true });
		expect((await post(source.ingestUrl, body, { authorization: basic })).status).toBe(202);
		expect((await dispatcher.api.patch(`/v1/sources/${source.id}`, { vendor: 'mender' })).status).toBe(422);
		expect((await dispatcher.api.patch(`/v1/sources/${source.id}`, { mapping: 'broken (' })).status).toBe(422);
		expect((await dispatcher.api.delete(`/v1/sources/${source.id}`)).status).toBe(204);
		expect((await dispatcher.api.get(`/v1/sources/${source.id}`)).status).toBe(404);
		expect((await post(source.ingestUrl, body, { authorization: basic })).status).toBe(404);
		expect((await dispatcher.api.delete(`/v1/sources/${source.id}`)).status).toBe(404);
	});

	it('needs the admin key; the ingest URL does not', async () => {
		expect((await fetch(`${dispatcher.baseUrl}/v1/sources`)).status).toBe(401);
		const source = await create({ name: 'Kobiton open', vendor: 'kobiton' });
		expect((await post(source.ingestUrl, KOBITON_SEED_BODY)).status).toBe(202);
	});

	it('sources, counters and device statuses survive a restart', async () => {
		const dataFile = dispatcher.dataFile;
		const source = await create({ name: 'Mender restart', vendor: 'mender' });
		const device = randomBytes(8).toString('hex');
		const body = menderWebhookBody(menderEvent('device-status-changed', { id: device, status: 'pending' }));
		expect((await post(source.ingestUrl, body, menderHeaders(body, source.secret))).status).toBe(202);
		await new Promise((resolve) => setTimeout(resolve, 50));
		await dispatcher.close();
		dispatcher = await startTestDispatcher({ dataFile, publicUrl: 'https://mdm.example.com/hooks' });
		const after = (await dispatcher.api.get(`/v1/sources/${source.id}`)).body;
		expect(after.stats).toMatchObject({ received: 1, accepted: 1, events: 1 });
		expect((await dispatcher.context.backend.config.getDeviceStatus(`mender:${device}`))?.status).toBe('pending');
		const next = menderWebhookBody(menderEvent('device-status-changed', { id: device, status: 'accepted' }));
		expect((await post(source.ingestUrl, next, menderHeaders(next, source.secret))).status).toBe(202);
	});
});

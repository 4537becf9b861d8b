/**
 * MDM Vendor Event, run in n8n-core's WorkflowExecute: vendor bodies as the n8n Webhook node
 * emits them (Raw Body on) become the same canonical events the dispatcher makes, through the
 * same core mappers; behind Verify Signature, a real Mender request is checked and mapped.
 */
import { randomBytes } from 'node:crypto';
import type { IConnections, IDataObject, INodeExecutionData } from 'n8n-workflow';
import { describe, expect, it } from 'vitest';

import { mapVendorBody } from '../../core';
import { menderEvent, menderHeaders, menderWebhookBody } from '../helpers/mender';
import { KOBITON_SEED_BODY, scalefusionLockedBody } from '../helpers/vendorBodies';
import { executeNode, executeWorkflow, makeNode } from './helpers/n8n';

/** An item as n8n's Webhook node emits it with the Raw Body option. */
function webhookItem(raw: string, headers: Record<string, string> = {}, withBinary = true): INodeExecutionData {
	const bytes = Buffer.from(raw, 'utf8');
	return {
		json: { headers: { 'content-type': 'application/json', ...headers }, params: {}, query: {}, body: JSON.parse(raw) as IDataObject },
		...(withBinary ? { binary: { data: { data: bytes.toString('base64'), mimeType: 'application/json', fileSize: String(bytes.length) } } } : {}),
	};
}

async function normalize(vendor: string, items: INodeExecutionData[], extra: IDataObject = {}, onError?: 'continueRegularOutput') {
	return executeNode(
		{ type: 'mdmVendorEvent', parameters: { vendor, binaryPropertyName: 'data', ...extra } as IDataObject as never, onError },
		items,
	);
}

describe('MDM Vendor Event', () => {
	it('Mender: the same canonical event as the dispatcher makes', async () => {
		const event = menderEvent('device-provisioned', {
			id: 'c4d8a0f6-9e21-4c3a-b7d5-61f0e2a8c3b4',
			status: 'accepted',
			auth_sets: [{ id: 'as-1', device_id: 'c4d8a0f6-9e21-4c3a-b7d5-61f0e2a8c3b4', identity_data: { mac: '52:54:00:12:34:56' }, pubkey: 'KEY', status: 'accepted' }],
		});
		const body = menderWebhookBody(event);
		const { outputs, task } = await normalize('mender', [webhookItem(body)]);
		expect(task.error).toBeUndefined();
		const expected = await mapVendorBody('mender', JSON.parse(body));
		if (!expected.ok) throw new Error('the core does not map it');
		expect(outputs[0].map((i) => i.json)).toEqual(expected.events);
		expect(outputs[0][0].json).toMatchObject({ id: `mender_${event.id}`, type: 'device.provisioned', data: { device: { id: event.data.id } } });
		expect(outputs[0][0].pairedItem).toEqual({ item: 0 });
	});

	it('Kobiton from json.body (no binary) and Scalefusion with two devices: one item per event', async () => {
		const kobiton = await normalize('kobiton', [webhookItem(KOBITON_SEED_BODY, {}, false)]);
		expect(kobiton.outputs[0].map((i) => [i.json.type, (i.json.data as IDataObject & { device: IDataObject }).device.id])).toEqual([
			['device.utilizing', 'ce0917198075440c057e'],
		]);
		const sf = await normalize('scalefusion', [webhookItem(scalefusionLockedBody())]);
		expect(sf.outputs[0].map((i) => [i.json.type, (i.json.data as IDataObject & { device: IDataObject }).device.id, i.pairedItem])).toEqual([
			['device.locked', '112233', { item: 0 }],
			['device.locked', '112234', { item: 0 }],
		]);
	});

	it('generic: the JSONata mapping; an unmappable body is a node error naming the field, or an error item with continue-on-fail', async () => {
		const generic = await normalize('generic', [webhookItem('{"serial":"SN1"}')], {
			mapping: '{ "type": "device.offline", "data": { "device": { "id": serial } } }',
		});
		expect(generic.outputs[0][0].json).toMatchObject({ type: 'device.offline', data: { device: { id: 'SN1' }, source: 'generic' } });
		const bad = await normalize('kobiton', [webhookItem('{"eventActivity":"device.status.sleeping","deviceUdid":"u"}')]);
		expect(bad.task.error?.message).toMatch(/Kobiton body does not map/);
		expect(String((bad.task.error as { description?: string } | undefined)?.description)).toMatch(/\/eventActivity: unknown Kobiton eventActivity/);
		const tolerated = await normalize('kobiton', [webhookItem('{"nothing":true}')], {}, 'continueRegularOutput');
		expect(tolerated.task.error).toBeUndefined();
		expect(String(tolerated.outputs[0][0].json.error)).toMatch(/does not map/);
	});

	it('behind Verify Signature: a Mender request signed with its hex secret is verified, then mapped', async () => {
		const secret = randomBytes(32).toString('hex');
		const body = menderWebhookBody(menderEvent('device-status-changed', { id: 'dev-9', status: 'rejected' }));
		const verify = makeNode({
			type: 'verifySignature',
			name: 'Verify Signature',
			parameters: { scheme: 'mender', binaryPropertyName: 'data' } as IDataObject as never,
			credentials: { webhookSigningSecretApi: { id: 'cred', name: 'Mender secret' } },
		});
		const normalizeNode = makeNode({ type: 'mdmVendorEvent', name: 'MDM Vendor Event', parameters: { vendor: 'mender' } as IDataObject as never });
		const connections: IConnections = {
			'Verify Signature': { main: [[{ node: 'MDM Vendor Event', type: 'main', index: 0 }], []] },
		};
		const run = await executeWorkflow(
			[verify, normalizeNode],
			connections,
			verify,
			[webhookItem(body, menderHeaders(body, secret)), webhookItem(body, menderHeaders(body, 'ab'.repeat(32)))],
			{ credentials: { webhookSigningSecretApi: { scheme: 'mender', secret } } },
		);
		const mapped = run.data.resultData.runData['MDM Vendor Event']?.[0]?.data?.main?.[0] ?? [];
		expect(mapped.map((i) => [i.json.type, (i.json.data as IDataObject).status])).toEqual([['device.status_changed', 'rejected']]);
		const invalid = run.data.resultData.runData['Verify Signature']?.[0]?.data?.main?.[1] ?? [];
		expect(invalid).toHaveLength(1);
	});
});

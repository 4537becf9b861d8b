/**
 * Nexthink webhooks (Administration → Outbound connectors → Webhooks). Nexthink sends whatever
 * payload template the admin writes, with `{{variables}}` it fills from the NQL condition's
 * results, so the source hands the admin a template to paste (`nexthinkTemplate`) and this module
 * reads that template's fields: `type` (a catalog type), `device {id, name, platform}` (the
 * name stands in for an empty id), `triggeredAt`, `severity`, `monitor`; the rest goes under
 * `data.vendor`. Nexthink's "Send test" does not replace variables: a body whose device still
 * reads `{{…}}` becomes a `webhook.test` event.
 */
import type { JsonObject } from '../types';
import { readDevice } from './device';
import { compact, isObject, lookupEventType, pickObject, pickText, readTimestamp, rest, stableHash } from './fields';
import { typeFields } from './typeFields';
import type { VendorDraftResult, VendorModule } from './types';

const PLACEHOLDER = /\{\{[^}]*\}\}/;

/**
 * The JSON payload template to paste into Nexthink's webhook "Payload" field. The variables are
 * Nexthink data-model fields of an alert; use those its payload editor offers for your NQL
 * condition. The dispatcher reads the JSON field names, not the variables.
 */
export function nexthinkTemplate(type = 'compliance.violated'): string {
	return JSON.stringify(
		{
			type,
			monitor: '{{alert.monitor.name}}',
			severity: 'high',
			status: '{{alert.status}}',
			triggeredAt: '{{alert.trigger_time}}',
			device: {
				id: '{{device.uid}}',
				name: '{{device.name}}',
				platform: '{{device.operating_system.platform}}',
			},
		},
		null,
		2,
	);
}

function hasPlaceholder(value: JsonObject): boolean {
	return Object.values(value).some((member) => typeof member === 'string' && PLACEHOLDER.test(member));
}

function read(body: unknown): VendorDraftResult {
	if (!isObject(body)) return { ok: false, errors: [{ path: '/', message: 'a Nexthink payload is a JSON object (paste the template from the source)' }] };
	const deviceObject = pickObject(body, ['device']);
	if (deviceObject && hasPlaceholder(deviceObject)) {
		return {
			ok: true,
			events: [
				{
					key: `test:${stableHash(body)}`,
					type: 'webhook.test',
					data: {
						test: true,
						device: { id: 'nexthink-send-test' },
						message: 'Nexthink "Send test": variables are sent as written, so this is a test, not a device event.',
					},
				},
			],
		};
	}
	const name = pickText(body, ['type', 'event', 'eventType']);
	const type = name ? lookupEventType(name) : undefined;
	if (!type) {
		return {
			ok: false,
			errors: [{ path: '/type', message: name ? `unknown event type ${JSON.stringify(name)}` : 'missing "type" (a type from the catalog)' }],
		};
	}
	if (!deviceObject) return { ok: false, errors: [{ path: '/device', message: 'missing "device" (an object with id or name)' }] };
	const { device, unmapped } = readDevice(deviceObject);
	if (!device.id && typeof device.name === 'string') device.id = device.name;
	if (!device.id) return { ok: false, errors: [{ path: '/device/id', message: 'missing the device id (or name)' }] };

	const used = new Set(['type', 'event', 'eventType', 'device', 'triggeredAt', 'time', 'timestamp', 'id']);
	const timestamp = readTimestamp(body.triggeredAt ?? body.time ?? body.timestamp);
	const monitor = pickText(body, ['monitor', 'alert', 'name']);
	const vendor = compact({ ...(rest(body, used) ?? {}), ...(unmapped ? { device: unmapped } : {}) });
	return {
		ok: true,
		events: [
			{
				key: pickText(body, ['id']) ?? stableHash(body),
				type,
				timestamp,
				data: compact({
					device,
					...typeFields(type, [body], monitor),
					occurredAt: timestamp,
					vendor: Object.keys(vendor).length > 0 ? vendor : undefined,
				}),
			},
		],
	};
}

export const nexthink: VendorModule = { vendor: 'nexthink', title: 'Nexthink', read };

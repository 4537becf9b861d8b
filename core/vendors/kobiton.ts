/**
 * Kobiton device status callbacks (its "Execute a webhook" body): `{creationTime, eventType,
 * eventActivity, eventDescription, deviceUdid, deviceName, orgId, webhookId, webhookName}`.
 * `eventActivity` `device.status.online|offline` and `device.state.utilizing|unplugged` become
 * `device.online|offline|utilizing|unplugged`. Kobiton sends no event id: the id is derived from
 * `webhookId + deviceUdid + eventActivity + creationTime`, so a repeated callback dedupes.
 * Kobiton cannot sign or authenticate callbacks: the ingest URL's token is the credential.
 */
import type { FieldError } from '../types';
import { compact, isObject, readTimestamp, stableHash, text } from './fields';
import type { VendorDraftResult, VendorModule } from './types';

export const KOBITON_ACTIVITIES: Readonly<Record<string, string>> = {
	'device.status.online': 'device.online',
	'device.status.offline': 'device.offline',
	'device.state.utilizing': 'device.utilizing',
	'device.state.unplugged': 'device.unplugged',
};

function read(body: unknown): VendorDraftResult {
	if (!isObject(body)) return { ok: false, errors: [{ path: '/', message: 'a Kobiton callback is a JSON object' }] };
	const errors: FieldError[] = [];
	const activity = typeof body.eventActivity === 'string' ? body.eventActivity.trim() : '';
	const type = KOBITON_ACTIVITIES[activity.toLowerCase()];
	if (!type) {
		errors.push({
			path: '/eventActivity',
			message: `unknown Kobiton eventActivity ${JSON.stringify(body.eventActivity ?? null)} (expected ${Object.keys(KOBITON_ACTIVITIES).join(', ')})`,
		});
	}
	const udid = text(body.deviceUdid);
	if (!udid) errors.push({ path: '/deviceUdid', message: 'missing the device UDID' });
	const timestamp = readTimestamp(body.creationTime);
	if (body.creationTime !== undefined && !timestamp) errors.push({ path: '/creationTime', message: 'not a date-time' });
	if (errors.length > 0 || !type || !udid) return { ok: false, errors };

	const key = stableHash([text(body.webhookId) ?? '', udid, activity, text(body.creationTime) ?? ''].join('\n'));
	const vendor = compact({
		eventType: text(body.eventType),
		eventDescription: text(body.eventDescription),
		orgId: text(body.orgId),
		webhookId: text(body.webhookId),
		webhookName: text(body.webhookName),
	});
	return {
		ok: true,
		events: [
			{
				key,
				type,
				timestamp,
				data: compact({
					device: compact({ id: udid, udid, name: text(body.deviceName) }),
					state: type.slice('device.'.length),
					activity,
					since: timestamp,
					occurredAt: timestamp,
					vendor: Object.keys(vendor).length > 0 ? vendor : undefined,
				}),
			},
		],
	};
}

export const kobiton: VendorModule = { vendor: 'kobiton', title: 'Kobiton', read };

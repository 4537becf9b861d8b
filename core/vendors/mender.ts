/**
 * Mender (mendersoftware/iot-manager, `model.WebhookEvent`): `{id, type, data, time}` where `id`
 * is a UUID (the dedupe key), `time` RFC 3339 with nanoseconds, and `data` a `DeviceEvent`
 * `{id, status?, auth_sets?, created_ts?}`:
 * - `device-provisioned` → `device.provisioned`: the whole device, its auth sets
 *   `{id, device_id, identity_data, pubkey, status, ts}` as `authSets` `{id, identityData, pubkey,
 *   status, createdAt}`, `created_ts` as `createdAt`;
 * - `device-decommissioned` → `device.decommissioned`: only the device id;
 * - `device-status-changed` → `device.status_changed`: `status`, and `previousStatus` from the
 *   last status seen for that device (Mender sends none), or left out.
 * Mender devices run Linux (the Mender client is a Linux agent), so `platform` is `linux`.
 */
import { AUTH_STATUSES } from '../events/catalog';
import type { FieldError, JsonObject, JsonValue } from '../types';
import { compact, isObject, readTimestamp, text } from './fields';
import type { VendorDraftResult, VendorMapContext, VendorModule } from './types';

export const MENDER_EVENT_TYPES: Readonly<Record<string, string>> = {
	'device-provisioned': 'device.provisioned',
	'device-decommissioned': 'device.decommissioned',
	'device-status-changed': 'device.status_changed',
};

const STATUSES: readonly string[] = AUTH_STATUSES;
const PROVISIONED_STATUSES = ['accepted', 'preauthorized'];

function authSet(value: JsonValue): JsonObject | undefined {
	if (!isObject(value)) return undefined;
	const id = text(value.id);
	if (!id) return undefined;
	const status = text(value.status);
	return compact({
		id,
		identityData: isObject(value.identity_data) ? value.identity_data : undefined,
		pubkey: typeof value.pubkey === 'string' && value.pubkey !== '' ? value.pubkey : undefined,
		status: status && STATUSES.includes(status) && status !== 'decommissioned' ? status : undefined,
		createdAt: readTimestamp(value.ts),
	});
}

function read(body: unknown, context: VendorMapContext): VendorDraftResult {
	const errors: FieldError[] = [];
	if (!isObject(body)) return { ok: false, errors: [{ path: '/', message: 'a Mender event is a JSON object {id, type, data, time}' }] };
	const eventId = text(body.id);
	if (!eventId) errors.push({ path: '/id', message: 'missing the Mender event id' });
	const vendorType = typeof body.type === 'string' ? body.type : '';
	const type = MENDER_EVENT_TYPES[vendorType];
	if (!type) {
		errors.push({
			path: '/type',
			message: `unknown Mender event type ${JSON.stringify(body.type ?? null)} (expected ${Object.keys(MENDER_EVENT_TYPES).join(', ')})`,
		});
	}
	const data = isObject(body.data) ? body.data : undefined;
	const deviceId = data ? text(data.id) : undefined;
	if (!deviceId) errors.push({ path: '/data/id', message: 'missing the device id' });
	const timestamp = readTimestamp(body.time);
	if (body.time !== undefined && !timestamp) errors.push({ path: '/time', message: 'not an RFC 3339 time' });
	if (errors.length > 0 || !data || !deviceId || !type || !eventId) return { ok: false, errors };

	const status = text(data.status);
	if (type === 'device.status_changed' && !(status && STATUSES.includes(status))) {
		return {
			ok: false,
			errors: [{ path: '/data/status', message: `missing or unknown status (expected one of ${STATUSES.join(', ')})` }],
		};
	}
	const device: JsonObject = { id: deviceId, platform: 'linux' };
	let fields: JsonObject = {};
	if (type === 'device.provisioned') {
		const sets = Array.isArray(data.auth_sets) ? data.auth_sets : [];
		fields = compact({
			status: status && PROVISIONED_STATUSES.includes(status) ? status : undefined,
			authSets: sets.length > 0 ? sets.slice(0, 100).map(authSet).filter((s): s is JsonObject => s !== undefined) : undefined,
			createdAt: readTimestamp(data.created_ts),
		});
	} else if (type === 'device.status_changed' && status) {
		const previous = context.lastStatus?.(deviceId);
		fields = compact({ status, previousStatus: previous && STATUSES.includes(previous) ? previous : undefined });
	}
	return {
		ok: true,
		events: [{ key: eventId, type, timestamp, data: { device, ...fields, ...(timestamp ? { occurredAt: timestamp } : {}) } }],
	};
}

export const mender: VendorModule = { vendor: 'mender', title: 'Mender', read };

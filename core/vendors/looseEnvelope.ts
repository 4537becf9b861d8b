/**
 * Events from a vendor body whose exact shape is not published (Scalefusion, Hexnode), read
 * defensively: the event name under any of the usual keys, matched against the vendor's names
 * and the catalog's written any way; an event id if there is one, else a stable hash of the body;
 * the devices wherever they are listed (`devices[]`, `device`, `data.devices[]`, `data.device`,
 * `data`, or the body itself): one canonical event per device. Fields not mapped go under
 * `data.vendor` (`data.vendor.device` for the device's own).
 */
import type { FieldError, JsonObject } from '../types';
import { readDevice } from './device';
import { compact, isObject, lookupEventType, pickObject, pickText, readTimestamp, rest, stableHash } from './fields';
import { typeFields } from './typeFields';
import type { VendorDraftResult, VendorEventDraft } from './types';

const NAME_KEYS = ['event', 'event_type', 'eventType', 'event_name', 'eventName', 'type', 'name', 'alert_name', 'alertName', 'alert', 'trigger'];
const ID_KEYS = ['event_id', 'eventId', 'id', 'request_id', 'requestId', 'uuid'];
const TIME_KEYS = ['timestamp', 'time', 'event_time', 'eventTime', 'created_at', 'createdAt', 'triggered_at', 'triggeredAt', 'occurred_at', 'occurredAt', 'date'];
const CONTAINER_KEYS = ['data', 'payload', 'details'];

export interface LooseEnvelopeOptions {
	/** The product's name, for messages. */
	title: string;
	/** Normalised vendor event names (see `normalizeName`) → catalog types, beyond the catalog's own names. */
	aliases: Readonly<Record<string, string>>;
}

function devicesOf(body: JsonObject, container: JsonObject | undefined, used: Set<string>): JsonObject[] {
	for (const [source, key] of [[body, 'devices'], [container, 'devices']] as const) {
		const list = source?.[key];
		if (Array.isArray(list)) {
			if (source === body) used.add(key);
			return list.filter(isObject);
		}
	}
	const single = pickObject(body, ['device'], used) ?? (container ? pickObject(container, ['device']) : undefined);
	if (single) return [single];
	if (container && readDevice(container).device.id) return [container];
	return [];
}

export function readLooseEnvelope(body: unknown, options: LooseEnvelopeOptions): VendorDraftResult {
	if (!isObject(body)) return { ok: false, errors: [{ path: '/', message: `a ${options.title} webhook body is a JSON object` }] };
	const used = new Set<string>();
	const nameKey = NAME_KEYS.find((key) => typeof body[key] === 'string' && body[key] !== '');
	const name = nameKey ? String(body[nameKey]).trim() : undefined;
	if (nameKey) used.add(nameKey);
	const type = name ? lookupEventType(name, options.aliases) : undefined;
	const errors: FieldError[] = [];
	if (!type) {
		errors.push({
			path: `/${nameKey ?? 'event'}`,
			message: name
				? `unknown ${options.title} event ${JSON.stringify(name)}`
				: `no event name (looked for ${NAME_KEYS.slice(0, 5).join(', ')})`,
		});
	}
	const eventKey = pickText(body, ID_KEYS, used);
	const timeKey = TIME_KEYS.find((key) => body[key] !== undefined);
	if (timeKey) used.add(timeKey);
	const timestamp = timeKey ? readTimestamp(body[timeKey]) : undefined;
	const container = pickObject(body, CONTAINER_KEYS, used);
	let sources = devicesOf(body, container, used);
	let flat = false;
	if (sources.length === 0 && readDevice(body, true).device.id) {
		sources = [body];
		flat = true;
	}
	const devices = sources.map((source) => readDevice(source, flat));
	const missing = devices.findIndex((d) => !d.device.id);
	if (devices.length === 0 || missing >= 0) {
		errors.push({
			path: devices.length === 0 ? '/devices' : `/devices/${missing}`,
			message: 'no device id (looked for devices[].id, device.id, data.device.id, device_id, udid, serial_no)',
		});
	}
	if (errors.length > 0 || !type) return { ok: false, errors };

	const baseKey = eventKey ?? stableHash(body);
	const vendorRest = flat ? undefined : rest(body, used);
	const events: VendorEventDraft[] = devices.map(({ device, unmapped }, index) => {
		const fields = typeFields(type, [body, ...(container ? [container] : []), sources[index]], name);
		const vendor = flat
			? (rest(unmapped ?? {}, used) ?? {})
			: compact({ ...(vendorRest ?? {}), ...(unmapped ? { device: unmapped } : {}) });
		return {
			key: devices.length > 1 ? `${baseKey}:${device.id}` : baseKey,
			type,
			timestamp,
			data: compact({
				device,
				...fields,
				occurredAt: timestamp,
				vendor: Object.keys(vendor).length > 0 ? vendor : undefined,
			}),
		};
	});
	return { ok: true, events };
}

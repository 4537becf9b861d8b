/**
 * The device of a loosely documented vendor body (Scalefusion, Hexnode, Nexthink templates) as
 * the catalog's `device`: the usual spellings of each field (`device_name`, `deviceName`, `name`,
 * …) are read, values that would not validate are left out, and the fields not mapped are
 * returned so they can go under `data.vendor`.
 */
import type { JsonObject } from '../types';
import { compact, isObject, normalizePlatform, pickText, readTimestamp, rest } from './fields';

/** Keys that hold a device's id inside a device object. */
const DEVICE_ID_KEYS = ['id', 'device_id', 'deviceId', 'uuid', 'udid', 'device_udid', 'serial_no', 'serial_number', 'serialNumber'];
/** Outside a device object `id` is the event's: only explicit device keys count. */
const FLAT_DEVICE_ID_KEYS = DEVICE_ID_KEYS.filter((key) => key !== 'id' && key !== 'uuid');

const IMEI = /^[0-9]{14,16}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const MAC = /^[0-9A-Fa-f]{2}([:-]?[0-9A-Fa-f]{2}){5}$/;

export interface ReadDevice {
	/** The catalog device; `id` is empty when none was found. */
	device: JsonObject & { id: string };
	/** Fields of the source object that were not mapped. */
	unmapped?: JsonObject;
}

/**
 * Reads a device from `source`. `flat`: `source` is the event body itself (a device's fields
 * directly in it), where `id` names the event, not the device.
 */
export function readDevice(source: JsonObject, flat = false): ReadDevice {
	const used = new Set<string>();
	const id = pickText(source, flat ? FLAT_DEVICE_ID_KEYS : DEVICE_ID_KEYS, used) ?? '';
	const platformText = pickText(source, ['platform', 'os', 'os_type', 'osType', 'platform_type', 'device_type', 'deviceType'], used);
	const imei = pickText(source, ['imei', 'imei_no', 'imei_number', 'imeiNumber'], used);
	const mac = pickText(source, ['mac_address', 'macAddress', 'wifi_mac', 'wifi_mac_address'], used);
	const userName = pickText(source, ['user_name', 'userName', 'username', 'user'], used);
	const userEmail = pickText(source, ['user_email', 'userEmail', 'email'], used);
	const userId = pickText(source, ['user_id', 'userId'], used);
	const group = pickText(source, ['group', 'group_name', 'groupName', 'device_group', 'deviceGroup'], used);
	const device = compact({
		id,
		name: pickText(source, ['name', 'device_name', 'deviceName', 'title'], used),
		platform: platformText ? normalizePlatform(platformText) : undefined,
		model: pickText(source, ['model', 'device_model', 'deviceModel', 'model_name'], used),
		manufacturer: pickText(source, ['manufacturer', 'make', 'brand', 'vendor'], used),
		osVersion: pickText(source, ['os_version', 'osVersion', 'version'], used),
		serialNumber: pickText(source, ['serial_no', 'serial_number', 'serialNumber'], used),
		imei: imei && IMEI.test(imei) ? imei : undefined,
		udid: pickText(source, ['udid', 'device_udid'], used),
		macAddress: mac && MAC.test(mac) ? mac : undefined,
		user:
			userName || userEmail || userId
				? compact({ id: userId, name: userName, email: userEmail && EMAIL.test(userEmail) ? userEmail : undefined })
				: undefined,
		groups: group ? [group] : undefined,
		lastSeenAt: readTimestamp(source.last_seen_at ?? source.lastSeenAt ?? source.last_connected_at),
	}) as JsonObject & { id: string };
	for (const key of ['last_seen_at', 'lastSeenAt', 'last_connected_at']) if (source[key] !== undefined) used.add(key);
	if (isObject(source.user)) {
		used.add('user');
		const user = source.user;
		device.user = compact({
			id: pickText(user, ['id', 'user_id']),
			name: pickText(user, ['name', 'user_name', 'username']),
			email: pickText(user, ['email', 'user_email']),
		});
	}
	return { device, unmapped: rest(source, used) };
}

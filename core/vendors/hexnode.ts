/**
 * Hexnode UEM webhooks (Integrations → Webhooks, triggered by Alert Profiles). Hexnode documents
 * the configuration (Custom template, Basic or Bearer auth) and its alert names ("New Device
 * Enrolled", "Device Disenrolled", "Compliance Violated" …) but not the JSON of a payload, so the
 * body is read like Scalefusion's (`looseEnvelope.ts`); and a body that already is a canonical
 * event (`{type: "device.enrolled", data: {device: {id}}}`, what a Custom template can be set to
 * send) is taken as it is.
 */
import { isKnownEventType } from '../events/catalog';
import { isObject, stableHash, text } from './fields';
import { readLooseEnvelope } from './looseEnvelope';
import type { VendorDraftResult, VendorModule } from './types';

/** Hexnode alert names (normalised) that differ from the catalog's. */
const ALIASES: Readonly<Record<string, string>> = {
	newdeviceenrolled: 'device.enrolled',
	deviceenrollment: 'device.enrolled',
	devicedisenrolled: 'device.unenrolled',
	disenrolled: 'device.unenrolled',
	deviceremoved: 'device.deleted',
	complianceviolation: 'compliance.violated',
	devicenoncompliant: 'compliance.violated',
	noncompliant: 'compliance.violated',
	devicecompliant: 'compliance.restored',
	compliant: 'compliance.restored',
	lostmodeenabled: 'device.lost',
	lostmodedisabled: 'device.found',
	simchanged: 'device.sim_swap',
	simcardchanged: 'device.sim_swap',
	devicerebooted: 'device.reboot',
	devicerestarted: 'device.reboot',
	deviceturnedoff: 'device.shutdown',
	deviceoffline: 'device.offline',
	deviceonline: 'device.online',
};

function read(body: unknown): VendorDraftResult {
	if (isObject(body) && typeof body.type === 'string' && isKnownEventType(body.type) && isObject(body.data)) {
		const data = body.data;
		const deviceId = isObject(data.device) ? text(data.device.id) : undefined;
		if (!deviceId) return { ok: false, errors: [{ path: '/data/device/id', message: 'missing the device id' }] };
		return {
			ok: true,
			events: [
				{
					key: text(body.id) ?? stableHash(body),
					type: body.type,
					timestamp: text(body.timestamp),
					data,
				},
			],
		};
	}
	return readLooseEnvelope(body, { title: 'Hexnode', aliases: ALIASES });
}

export const hexnode: VendorModule = { vendor: 'hexnode', title: 'Hexnode', read };

/**
 * Scalefusion webhooks. Scalefusion documents its events (Device Enrolled … Device Sim Swap,
 * "Events supported") and its `X-SF-Signature`, but not the exact JSON of a payload, so the body
 * is read defensively (`looseEnvelope.ts`): the event name under `event`/`event_type`/`type`/…,
 * matched as written (`Device Enrolled`, `device_enrolled`, `DEVICE_ENROLLED` …); one canonical
 * event per listed device; unknown fields under `data.vendor`. docs/vendors.md lists what is assumed.
 */
import { readLooseEnvelope } from './looseEnvelope';
import type { VendorModule } from './types';

/**
 * Scalefusion's 14 events map to the catalog type of the same name (`Device Custom Properties
 * Updated` → `device.custom_properties_updated`); these are other spellings seen for them.
 */
const ALIASES: Readonly<Record<string, string>> = {
	deviceenrollment: 'device.enrolled',
	deviceactivation: 'device.activated',
	deviceunenrollment: 'device.unenrolled',
	devicedeletion: 'device.deleted',
	devicelock: 'device.locked',
	deviceunlock: 'device.unlocked',
	devicesimchange: 'device.sim_swap',
	devicesimchanged: 'device.sim_swap',
	devicecustompropertyupdated: 'device.custom_properties_updated',
	devicesignedin: 'device.user_signed_in',
	devicesignedout: 'device.user_signed_out',
	devicerebooted: 'device.reboot',
};

export const scalefusion: VendorModule = {
	vendor: 'scalefusion',
	title: 'Scalefusion',
	read: (body) => readLooseEnvelope(body, { title: 'Scalefusion', aliases: ALIASES }),
};

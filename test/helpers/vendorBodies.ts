/**
 * Vendor webhook bodies as the vendors send them, for tests: Kobiton's from its docs (the seed),
 * Scalefusion's in the envelope docs/vendors.md assumes (Scalefusion publishes none), signed as
 * Scalefusion's reference code does (hex HMAC-SHA256 of the raw body, keyed with the secret as
 * typed). Signatures are made with node:crypto, not with `core/`.
 */
import { createHmac, randomUUID } from 'node:crypto';

/** Kobiton's docs: "The body of the callback will be similar to the below". */
export const KOBITON_SEED_BODY = `{
  "creationTime": "2023-01-06T04:52:36.963Z",
  "eventType": "DEVICE",
  "eventActivity": "device.state.utilizing",
  "eventDescription": "Utilizing",
  "deviceUdid": "ce0917198075440c057e",
  "deviceName": "Galaxy Note 8",
  "orgId": 2,
  "webhookId": 129,
  "webhookName": "Webhook for All events"
}`;

/** A Scalefusion "Device Locked" for two devices, pretty-printed as a Rails app would render it. */
export function scalefusionLockedBody(requestId: string = randomUUID()): string {
	return JSON.stringify(
		{
			event: 'Device Locked',
			event_id: requestId,
			timestamp: '2026-11-22T10:31:02Z',
			account_id: 40917,
			devices: [
				{
					device_id: 112233,
					device_name: 'Field Tablet 07',
					platform: 'Android',
					make: 'Samsung',
					model: 'SM-T505',
					os_version: '13',
					serial_no: 'R9WN80ABCDE',
					imei_no: '356938035643809',
					group_name: 'Field Sales',
					battery_level: 81,
				},
				{ device_id: 112234, device_name: 'Field Tablet 08', platform: 'Android', battery_level: 44 },
			],
		},
		null,
		2,
	);
}

/** `X-SF-Signature` as Scalefusion's reference code computes it: `hmac_256(secret, body)` in hex. */
export function scalefusionSignature(body: string, secret: string): string {
	return createHmac('sha256', secret).update(body).digest('hex');
}

/**
 * Mender, as its server signs (mendersoftware/iot-manager `client.NewSignedRequest`):
 * `X-Men-Signature: <hex HMAC-SHA256 of the body>` with `X-Men-Algorithm: MEN-HMAC-SHA256-Payload`,
 * keyed with the **hex-decoded** secret (see `menderSecret.ts`; a secret that is not hex is
 * refused). Mender's published docs name the header `X-Men-Signature-Payload`; its code sends
 * `X-Men-Signature`, which we send, and we accept both on verification (and forbid both as custom
 * headers).
 */
import { bodyHmacScheme } from './bodyHmac';
import { decodeMenderSecret } from './menderSecret';

export const MENDER_SIGNATURE_HEADER = 'x-men-signature';
export const MENDER_ALGORITHM_HEADER = 'x-men-algorithm';
export const MENDER_ALGORITHM = 'MEN-HMAC-SHA256-Payload';

export const menderScheme = bodyHmacScheme({
	name: 'mender',
	signatureHeader: MENDER_SIGNATURE_HEADER,
	signatureHeaderAliases: ['x-men-signature-payload'],
	staticHeaders: { [MENDER_ALGORITHM_HEADER]: MENDER_ALGORITHM },
	key: decodeMenderSecret,
});

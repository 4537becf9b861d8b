/**
 * Mender: `X-Men-Signature: <hex HMAC-SHA256 of the body>` with
 * `X-Men-Algorithm: MEN-HMAC-SHA256-Payload`, keyed with the secret string as UTF-8 bytes
 * (see `bodyHmacScheme`). Mender's published docs name the header `X-Men-Signature-Payload`;
 * we send `X-Men-Signature` as the product spec says and accept both on verification (and
 * forbid both as custom headers).
 */
import { bodyHmacScheme } from './bodyHmac';

export const MENDER_SIGNATURE_HEADER = 'x-men-signature';
export const MENDER_ALGORITHM_HEADER = 'x-men-algorithm';
export const MENDER_ALGORITHM = 'MEN-HMAC-SHA256-Payload';

export const menderScheme = bodyHmacScheme({
	name: 'mender',
	signatureHeader: MENDER_SIGNATURE_HEADER,
	signatureHeaderAliases: ['x-men-signature-payload'],
	staticHeaders: { [MENDER_ALGORITHM_HEADER]: MENDER_ALGORITHM },
});

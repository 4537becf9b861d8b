/**
 * Scalefusion: `X-SF-Signature: <hex HMAC-SHA256 of the body>`, keyed with the secret string as
 * UTF-8 bytes, exactly as typed (a `whsec_` secret is NOT base64-decoded), as Scalefusion's
 * reference code does.
 */
import { bodyHmacScheme } from './bodyHmac';

export const SCALEFUSION_SIGNATURE_HEADER = 'x-sf-signature';

export const scalefusionScheme = bodyHmacScheme({
	name: 'scalefusion',
	signatureHeader: SCALEFUSION_SIGNATURE_HEADER,
	key: (secret) => Buffer.from(secret, 'utf8'),
});

/** Field schemas more than one resource uses. */
import type { JsonSchema } from '../../../core/types';

/** No CR, LF or NUL: credentials and secrets end up in HTTP headers or HMAC keys, where those break. */
export const NO_LINE_BREAK_OR_NUL = '^[^\\r\\n\\u0000]*$';

/** The name of a webhook or a profile: one line of printable text with a visible character. */
export const RESOURCE_NAME: JsonSchema = {
	type: 'string',
	minLength: 1,
	maxLength: 50,
	pattern: '^(?=.*\\S)[^\\u0000-\\u001f\\u007f]*$',
	description: 'must be one line of printable text (unique, 1–50 characters)',
};

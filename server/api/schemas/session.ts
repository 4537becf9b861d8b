/** JSON Schema of the console's sign-in body. */
import type { JsonSchema } from '../../../core/types';

export const sessionCreateSchema: JsonSchema = {
	type: 'object',
	additionalProperties: false,
	required: ['apiKey'],
	properties: {
		apiKey: { type: 'string', minLength: 1, maxLength: 4096, description: 'The admin API key; never stored by the browser.' },
	},
};

export interface SessionCreateBody {
	apiKey: string;
}

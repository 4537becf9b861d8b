/** JSON Schemas of ingest-source bodies (`/v1/sources`); the OpenAPI document is built from these too. */
import { HMAC_ALGORITHMS, HMAC_ENCODINGS, VENDOR_NAMES } from '../../../core';
import type { JsonSchema } from '../../../core/types';
import type { SourcePatch, SourceInput, SourceRotation } from '../../domain/inputs';
import { RESOURCE_NAME } from './common';
import { authSchema } from './webhook';

const hmac: JsonSchema = {
	type: 'object',
	description: 'generic only: check an HMAC of the raw body in this header, keyed with `secret` (as the Verify Signature node\'s generic HMAC).',
	additionalProperties: false,
	required: ['header'],
	properties: {
		header: { type: 'string', minLength: 1, maxLength: 100, pattern: "^[!#$%&'*+.^_`|~0-9A-Za-z-]+$" },
		algorithm: { enum: [...HMAC_ALGORITHMS], default: 'sha256' },
		encoding: { enum: [...HMAC_ENCODINGS], default: 'hex' },
		prefix: { type: 'string', maxLength: 32, default: '', description: 'Text before the digest, e.g. `sha256=`.' },
	},
};

export const sourceProperties: Record<string, JsonSchema> = {
	name: RESOURCE_NAME,
	description: { type: 'string', maxLength: 512 },
	enabled: { type: 'boolean', description: 'false: the ingest URL answers 404 `source_disabled` (counted), nothing is stored.' },
	secret: {
		type: 'string',
		minLength: 8,
		maxLength: 256,
		description:
			'The HMAC secret the vendor signs with: mender (hex, at most 64 characters; generated: 32 random bytes in hex), scalefusion (its Secret Key, as typed; generated when absent), generic with `hmac`. Shown in full only when created or rotated.',
	},
	auth: {
		...authSchema,
		description:
			'Basic or Bearer auth the sender presents: hexnode and nexthink (a Bearer token is generated when absent), generic (default none). Shown in full only when created.',
	},
	hmac,
	mapping: {
		type: ['string', 'null'],
		maxLength: 16384,
		description: 'JSONata from the vendor body to `{type, id?, timestamp?, data}` (or a list); required for generic, replaces the built-in mapping otherwise.',
	},
};

export const sourceCreateSchema: JsonSchema = {
	type: 'object',
	additionalProperties: false,
	required: ['name', 'vendor'],
	properties: {
		...sourceProperties,
		vendor: { enum: [...VENDOR_NAMES], description: 'Whose webhooks this source takes; fixed once created.' },
		description: { ...sourceProperties.description, default: '' },
		enabled: { ...sourceProperties.enabled, default: true },
	},
};

export const sourceUpdateSchema: JsonSchema = {
	type: 'object',
	additionalProperties: false,
	minProperties: 1,
	properties: sourceProperties,
};

export const sourceRotateSchema: JsonSchema = {
	type: 'object',
	additionalProperties: false,
	properties: { secret: { ...sourceProperties.secret, description: 'The new HMAC secret (generated when absent).' } },
};

/** The bodies these schemas accept, once validated and defaulted: the service's own input types. */
export type SourceCreateBody = SourceInput;

export type SourceUpdateBody = SourcePatch;

export type SourceRotateBody = SourceRotation;

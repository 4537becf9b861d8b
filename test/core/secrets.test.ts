/** The header masking rule and the scrubbing of secret values from free text. */
import { describe, expect, it } from 'vitest';
import { MASK, maskHeaders, scrubSecrets } from '../../core';

describe('maskHeaders with a webhook rule', () => {
	it('masks the listed secret names, keeps the plain ones (even secret-looking), keeps the auth scheme', () => {
		const headers = { 'x-tenant': 'acme', 'x-custom': 'value', 'x-api-key': 'k', authorization: 'Bearer t', 'content-type': 'application/json' };
		expect(maskHeaders(headers, { secret: new Set(['x-custom']), plain: new Set(['x-tenant', 'x-api-key']) })).toEqual({
			'x-tenant': 'acme',
			'x-custom': MASK,
			'x-api-key': 'k',
			authorization: `Bearer ${MASK}`,
			'content-type': 'application/json',
		});
		// Without a rule, names alone decide.
		expect(maskHeaders({ 'X-Custom': 'value', 'X-Api-Key': 'k' })).toEqual({ 'X-Custom': 'value', 'X-Api-Key': MASK });
	});
});

describe('scrubSecrets', () => {
	it('replaces every occurrence, JSON-escaped forms too', () => {
		const text = '{"authorization":"Basic YWRtaW46aHVudGVyMg==","echo":"pa\\"ss","again":"YWRtaW46aHVudGVyMg=="}';
		expect(scrubSecrets(text, ['YWRtaW46aHVudGVyMg==', 'pa"ss'])).toBe(`{"authorization":"Basic ${MASK}","echo":"${MASK}","again":"${MASK}"}`);
	});

	it('masks the start of a secret cut off at the end of the text', () => {
		expect(scrubSecrets('token=tok_abcd', ['tok_abcdefgh'])).toBe(`token=${MASK}`);
		expect(scrubSecrets('ends with tok', ['tok_abcdefgh'])).toBe('ends with tok'); // 3 characters say nothing
	});

	it('leaves short values alone (they would mask ordinary words)', () => {
		expect(scrubSecrets('abc abc', ['abc'])).toBe('abc abc');
	});
});

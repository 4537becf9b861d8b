/** Regex literals with nested quantifiers are found in JSONata, with their position. */
import { describe, expect, it } from 'vitest';
import { findUnsafeRegex, nestedQuantifierIndex } from '../../core';

describe('nestedQuantifierIndex', () => {
	it.each([
		['^(a+)+$', 5],
		['(a*)*', 4],
		['(\\w+\\s?)*', 8],
		['^(?:[a-z]+\\.)+[a-z]+$', 13],
		['((ab)+c){2,}', 8],
		['(x+)+?', 4],
	])('refuses %s (quantifier at %i)', (pattern, index) => {
		expect(nestedQuantifierIndex(pattern)).toBe(index);
	});

	it.each([
		'^a+$',
		'(a|b)+',
		'(a+)?',
		'(ab)+',
		'^[(+*)]+$',
		'\\(a+\\)+',
		'(a+){1}',
		'(a+){0,1}',
		'a{2,}b*',
		'^\\d{4}-\\d{2}$',
		'literal{brace',
	])('accepts %s', (pattern) => {
		expect(nestedQuantifierIndex(pattern)).toBe(-1);
	});
});

describe('findUnsafeRegex', () => {
	it('names the regex and JSONata position of the first unsafe literal', () => {
		const source = '$contains(data.device.name, /^G/) and $contains(data.device.name, /^(a+)+$/i)';
		const found = findUnsafeRegex(source);
		expect(found).toMatchObject({ pattern: '^(a+)+$', position: source.indexOf('/i') + 2 });
		expect(found?.message).toContain(`at position ${found?.position}`);
	});

	it('finds literals anywhere in the tree and ignores safe ones and strings', () => {
		expect(findUnsafeRegex('{"x": $replace(data.device.name, /(\\s+)*$/, "")}')?.pattern).toBe('(\\s+)*$');
		expect(findUnsafeRegex('$match(data.device.name, /^[A-Z][a-z]+$/)')).toBeUndefined();
		expect(findUnsafeRegex('data.device.name = "(a+)+"')).toBeUndefined();
		expect(findUnsafeRegex('data.device.{ "name": }')).toBeUndefined(); // does not compile: reported elsewhere
	});
});

/**
 * Regex literals in JSONata that can backtrack exponentially. `/^(a+)+$/` against 27 `a`s and a
 * `!` takes seconds, and no time box between evaluation steps can interrupt one `RegExp` call.
 * The test is the classic star-height rule (as in the `safe-regex` package): a repeated group
 * that itself contains a repetition (`(a+)+`, `(\w+\s?)*`, `(a*){2,}`) is refused. It does not
 * catch every slow pattern (overlapping alternatives such as `(a|a)*` pass), so the dispatcher
 * also evaluates under a hard deadline; this check turns the common case into a clear answer at
 * save time instead of a skipped profile at run time.
 */
import { compileJsonata } from './jsonata';

export interface UnsafeRegex {
	/** JSONata's position of the regex literal (the end of the token, as in compile errors). */
	position: number;
	/** The regex source, e.g. `^(a+)+$`. */
	pattern: string;
	message: string;
}

interface Group {
	/** Whether anything inside the group (nested groups included) is repeated. */
	repeats: boolean;
}

/** Index of a quantifier that repeats a group which already repeats, or -1. */
export function nestedQuantifierIndex(pattern: string): number {
	const stack: Group[] = [{ repeats: false }];
	/** What the next quantifier applies to: a group (and whether it repeats), a single atom, or nothing. */
	let last: Group | 'atom' | null = null;
	for (let i = 0; i < pattern.length; i++) {
		const c = pattern[i];
		const top = stack[stack.length - 1] as Group;
		if (c === '\\') {
			i++;
			last = 'atom';
		} else if (c === '[') {
			let j = i + 1;
			if (pattern[j] === '^') j++;
			while (j < pattern.length && pattern[j] !== ']') j += pattern[j] === '\\' ? 2 : 1;
			i = j;
			last = 'atom';
		} else if (c === '(') {
			stack.push({ repeats: false });
			last = null;
		} else if (c === ')') {
			const group = stack.length > 1 ? (stack.pop() as Group) : { repeats: false };
			const parent = stack[stack.length - 1] as Group;
			parent.repeats ||= group.repeats;
			last = group;
		} else if (c === '|') {
			last = null;
		} else if (c === '*' || c === '+' || c === '?' || c === '{') {
			const quantifier = c === '{' ? /^\{(\d+)(,(\d*))?\}/.exec(pattern.slice(i)) : null;
			if (c === '{' && !quantifier) {
				last = 'atom'; // a literal brace
				continue;
			}
			const repeating =
				c === '*' ||
				c === '+' ||
				(quantifier !== null && (quantifier[2] !== undefined && (quantifier[3] === '' || Number(quantifier[3]) > 1)));
			if (repeating && last !== null && last !== 'atom' && last.repeats) return i;
			if (repeating) top.repeats = true;
			if (quantifier) i += quantifier[0].length - 1;
			if (pattern[i + 1] === '?') i++; // lazy
			last = null;
		} else {
			last = 'atom';
		}
	}
	return -1;
}

interface RegexNode {
	type: 'regex';
	value: RegExp;
	position?: number;
}

function isRegexNode(node: unknown): node is RegexNode {
	return typeof node === 'object' && node !== null && (node as RegexNode).type === 'regex' && (node as RegexNode).value instanceof RegExp;
}

/** Every regex literal of a compiled expression's syntax tree, in source order. */
function regexLiterals(ast: unknown): RegexNode[] {
	const found: RegexNode[] = [];
	const seen = new Set<object>();
	const stack: unknown[] = [ast];
	while (stack.length > 0) {
		const node = stack.pop();
		if (typeof node !== 'object' || node === null || node instanceof RegExp || seen.has(node)) continue;
		seen.add(node);
		if (isRegexNode(node)) found.push(node);
		for (const child of Object.values(node)) stack.push(child);
	}
	return found.sort((a, b) => (a.position ?? 0) - (b.position ?? 0));
}

/**
 * The first regex literal of a JSONata expression that can backtrack exponentially, or
 * undefined. An expression that does not compile has none (compile errors are reported apart).
 */
export function findUnsafeRegex(source: string): UnsafeRegex | undefined {
	let ast: unknown;
	try {
		ast = compileJsonata(source).ast();
	} catch {
		return undefined;
	}
	for (const node of regexLiterals(ast)) {
		const pattern = node.value.source;
		const at = nestedQuantifierIndex(pattern);
		if (at < 0) continue;
		const position = node.position ?? 0;
		return {
			position,
			pattern,
			message:
				`regex /${pattern}/ at position ${position} can take exponential time: the quantifier at offset ${at} ` +
				'repeats a group that is already repeated; rewrite it without nested quantifiers (e.g. (a+)+ as a+)',
		};
	}
	return undefined;
}

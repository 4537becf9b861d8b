/**
 * The JSON text of records the journal has written, kept until the same records go to the
 * archive at the next compaction, so that each event and each request sent is serialised once
 * instead of twice (the profile of a loaded dispatcher had the two serialisations at ~9 % of its
 * time). Records are never changed in place (see LowdbStore.apply), so a cached text stays true.
 */
export class JsonText {
	readonly #texts = new WeakMap<object, string>();

	/**
	 * The text of `value`, serialised now or earlier; kept for a later `take`. Throws what
	 * `JSON.stringify` throws (a `RangeError` for a value nested too deeply): used when a record
	 * is committed, which must then fail.
	 */
	of(value: object): string {
		let text = this.#texts.get(value);
		if (text === undefined) {
			text = JSON.stringify(value);
			this.#texts.set(value, text);
		}
		return text;
	}

	/** The text of `value`, and forgets it (the archive is its last use). Never throws. */
	take(value: object): string {
		const text = this.#texts.get(value);
		if (text === undefined) return stringifyAtAnyDepth(value);
		this.#texts.delete(value);
		return text;
	}

	/** The text of `value`, cached or made now (not kept). Never throws. */
	peek(value: object): string {
		return this.#texts.get(value) ?? stringifyAtAnyDepth(value);
	}
}

/**
 * `JSON.stringify(value)`, also for a value nested deeper than `JSON.stringify`'s recursion
 * can go (it throws "Maximum call stack size exceeded" at a few thousand levels): then an
 * iterative serialiser gives the same text. A compaction writes every record it holds, so it
 * must not fail on one that was committed from a shallower stack; `JSON.parse` reads any depth.
 */
export function stringifyAtAnyDepth(value: object): string {
	try {
		return JSON.stringify(value);
	} catch (error) {
		if (!(error instanceof RangeError)) throw error;
		return stringifyIteratively(value);
	}
}

type Frame =
	| { array: readonly unknown[]; index: number }
	| { object: Record<string, unknown>; keys: string[]; index: number; first: boolean };

/** JSON.stringify of JSON-shaped data (no replacer, no indent) with a heap stack instead of recursion. */
export function stringifyIteratively(root: object): string {
	const out: string[] = [];
	const stack: Frame[] = [];
	const open = new Set<object>();
	/** Writes a value or starts a container; false when the value is not JSON (undefined, a function). */
	const begin = (input: unknown, key: string): boolean => {
		let value = input;
		if (value !== null && typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
			value = (value as { toJSON(key: string): unknown }).toJSON(key);
		}
		if (value === undefined || typeof value === 'function' || typeof value === 'symbol') return false;
		if (value === null || typeof value !== 'object') {
			out.push(JSON.stringify(value));
			return true;
		}
		if (open.has(value)) throw new TypeError('Converting circular structure to JSON');
		open.add(value);
		if (Array.isArray(value)) {
			out.push('[');
			stack.push({ array: value, index: 0 });
		} else {
			out.push('{');
			stack.push({ object: value as Record<string, unknown>, keys: Object.keys(value), index: 0, first: true });
		}
		return true;
	};
	if (!begin(root, '')) return 'null';
	while (stack.length > 0) {
		const frame = stack[stack.length - 1];
		if ('array' in frame) {
			if (frame.index === frame.array.length) {
				out.push(']');
				open.delete(frame.array);
				stack.pop();
				continue;
			}
			const index = frame.index++;
			if (index > 0) out.push(',');
			if (!begin(frame.array[index], String(index))) out.push('null');
		} else {
			if (frame.index === frame.keys.length) {
				out.push('}');
				open.delete(frame.object);
				stack.pop();
				continue;
			}
			const key = frame.keys[frame.index++];
			const mark = out.length;
			out.push(frame.first ? '' : ',', JSON.stringify(key), ':');
			if (begin(frame.object[key], key)) frame.first = false;
			else out.length = mark;
		}
	}
	return out.join('');
}

/**
 * `JSON.stringify(object)` where the member `key` (the object's last) is replaced by the text
 * `memberText`. Used to splice a cached text into its record's line.
 */
export function stringifyWithLast(object: Record<string, unknown>, key: string, memberText: string): string {
	// Destructuring keeps `rest` a fast-properties object (`delete` would not: slower to serialise).
	const { [key]: _member, ...rest } = object;
	const head = JSON.stringify(rest);
	return `${head.length > 2 ? `${head.slice(0, -1)},` : '{'}${JSON.stringify(key)}:${memberText}}`;
}

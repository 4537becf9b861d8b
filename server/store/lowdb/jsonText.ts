/**
 * The JSON text of records the journal has written, kept until the same records go to the
 * archive at the next compaction, so that each event and each request sent is serialised once
 * instead of twice (the profile of a loaded dispatcher had the two serialisations at ~9 % of its
 * time). Records are never changed in place (see LowdbStore.apply), so a cached text stays true.
 */
export class JsonText {
	readonly #texts = new WeakMap<object, string>();

	/** The text of `value`, serialised now or earlier; kept for a later `take`. */
	of(value: object): string {
		let text = this.#texts.get(value);
		if (text === undefined) {
			text = JSON.stringify(value);
			this.#texts.set(value, text);
		}
		return text;
	}

	/** The text of `value`, and forgets it (the archive is its last use). */
	take(value: object): string {
		const text = this.#texts.get(value);
		if (text === undefined) return JSON.stringify(value);
		this.#texts.delete(value);
		return text;
	}
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

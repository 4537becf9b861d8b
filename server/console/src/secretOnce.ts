/**
 * What the API showed in full once (a webhook's signing secret; a source's ingest URL token,
 * secret and generated credentials, on create) travels from one screen to the next here, in
 * memory only, and is shown once: never written to storage, gone on reload. Keyed by the record's
 * id (`wh_…`, `src_…`), whose prefix says what the value is.
 */
const pending = new Map<string, unknown>();

export function handOverSecret<T>(recordId: string, secret: T): void {
	pending.set(recordId, secret);
}

export function takeSecret<T>(recordId: string): T | null {
	const secret = (pending.get(recordId) as T | undefined) ?? null;
	pending.delete(recordId);
	return secret;
}

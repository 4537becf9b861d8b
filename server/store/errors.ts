/**
 * What a store throws when it cannot keep a promise. Any backend throws these, so the API can
 * answer each clearly (`server/http/errors.ts`): nothing was stored, and the caller may retry.
 */

const FULL_CODES = new Set(['ENOSPC', 'EDQUOT', 'EFBIG']);

/** A write did not reach the disk: the operation was not stored and is not visible. */
export class StorageError extends Error {
	/** True when the disk (or a quota) is full: retry once space is freed. */
	readonly full: boolean;

	constructor(message: string, cause: unknown) {
		super(message, { cause });
		const code = (cause as NodeJS.ErrnoException | undefined)?.code;
		this.full = code !== undefined && FULL_CODES.has(code);
	}
}

/** The file name, the operation and the system's reason, e.g. `writing x: ENOSPC: no space left`. */
export function storageError(action: string, cause: unknown): StorageError {
	if (cause instanceof StorageError) return cause;
	const reason = cause instanceof Error ? cause.message : String(cause);
	return new StorageError(`${action}: ${reason}`, cause);
}

/** A record the store cannot serialise (nested too deeply): rejected, nothing stored. */
export class UnstorableRecordError extends Error {}

/** The data folder holds files the store cannot read: it refuses to open rather than start empty. */
export class StoreCorruptError extends Error {}

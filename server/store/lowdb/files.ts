/**
 * The store's file layer: the few file operations the journal, the snapshot and the archive use,
 * behind one small interface. `diskFiles` is the real one. Tests pass another `StoreFiles` that
 * wraps it to make real writes fail part-way (a short write, `ENOSPC`, `EIO`), the faults a full
 * or failing disk produces, without touching the code that must survive them.
 *
 * Every file the store creates is private to its user (0600): webhook secrets live in them.
 */
import { promises as fs } from 'node:fs';

export const FILE_MODE = 0o600;
export const DIR_MODE = 0o700;

export interface StoreFile {
	/** Writes up to `length` bytes of `data` from `offset`; returns how many were written. */
	write(data: Uint8Array, offset: number, length: number): Promise<number>;
	/** fdatasync: the data and the size, not every metadata change. */
	datasync(): Promise<void>;
	/** fsync. */
	sync(): Promise<void>;
	truncate(length: number): Promise<void>;
	size(): Promise<number>;
	close(): Promise<void>;
}

export interface StoreFiles {
	/** `a`: append, created if missing; `w`: truncated or created. New files get mode 0600. */
	open(file: string, flags: 'a' | 'w'): Promise<StoreFile>;
	/** The file's bytes, or null when it does not exist. */
	read(file: string): Promise<Buffer | null>;
	/** Names in `dir`, or an empty list when it does not exist. */
	list(dir: string): Promise<string[]>;
	mkdir(dir: string): Promise<void>;
	rename(from: string, to: string): Promise<void>;
	/** Deletes the file; a missing file is not an error. */
	remove(file: string): Promise<void>;
	/** fsync of a directory, so that a rename or a new file in it survives a power loss. */
	syncDir(dir: string): Promise<void>;
	/** Permission bits of a file or directory (`mode & 0o777`). */
	mode(file: string): Promise<number>;
}

class DiskFile implements StoreFile {
	constructor(private readonly handle: fs.FileHandle) {}

	async write(data: Uint8Array, offset: number, length: number): Promise<number> {
		return (await this.handle.write(data, offset, length)).bytesWritten;
	}

	datasync(): Promise<void> {
		return this.handle.datasync();
	}

	sync(): Promise<void> {
		return this.handle.sync();
	}

	truncate(length: number): Promise<void> {
		return this.handle.truncate(length);
	}

	async size(): Promise<number> {
		return (await this.handle.stat()).size;
	}

	close(): Promise<void> {
		return this.handle.close();
	}
}

export const diskFiles: StoreFiles = {
	async open(file, flags) {
		return new DiskFile(await fs.open(file, flags, FILE_MODE));
	},
	async read(file) {
		try {
			return await fs.readFile(file);
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
			throw error;
		}
	},
	async list(dir) {
		try {
			return await fs.readdir(dir);
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
			throw error;
		}
	},
	async mkdir(dir) {
		await fs.mkdir(dir, { recursive: true, mode: DIR_MODE });
	},
	rename(from, to) {
		return fs.rename(from, to);
	},
	remove(file) {
		return fs.rm(file, { force: true });
	},
	async syncDir(dir) {
		const handle = await fs.open(dir, 'r');
		try {
			await handle.sync();
		} finally {
			await handle.close();
		}
	},
	async mode(file) {
		return (await fs.stat(file)).mode & 0o777;
	},
};

/**
 * Writes all of `data`, going on after a short write (a write may take fewer bytes than asked,
 * e.g. when the disk has less room left). Throws when a write takes nothing at all.
 */
export async function writeFully(file: StoreFile, data: Uint8Array): Promise<void> {
	let offset = 0;
	while (offset < data.length) {
		const written = await file.write(data, offset, data.length - offset);
		if (written <= 0) {
			throw Object.assign(new Error(`short write: ${offset} of ${data.length} bytes written`), { code: 'ENOSPC' });
		}
		offset += written;
	}
}

/** Truncates `file` to `length` bytes and syncs it, before anything is appended after that point. */
export async function cutFile(files: StoreFiles, file: string, length: number): Promise<void> {
	const handle = await files.open(file, 'a');
	try {
		await handle.truncate(length);
		await handle.sync();
	} finally {
		await handle.close();
	}
}

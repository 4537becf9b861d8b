/**
 * A store file layer (`StoreFiles`) that fails like a full or failing disk, for fault tests. It
 * wraps the real disk layer: what it lets through is really written, so after a fault the files
 * on disk hold exactly what a real disk would hold (the first part of a short write included).
 *  - `fillDisk(bytes)`: only `bytes` more can be written; a write that needs more writes what
 *    fits and returns a short count, the next one fails with `ENOSPC` (as a full filesystem
 *    does). Truncating gives the space back. `freeSpace()` ends it.
 *  - `shortWrites(n)`: the next `n` writes take only half of what they are given (a disk may do
 *    that with room left, e.g. on a signal); the rest must be written by the caller.
 *  - `failSyncs(n)`: the next `n` fsync/fdatasync calls fail with `EIO` (a failing disk).
 *  - `failTruncates(n)`: the next `n` truncations fail with `EIO`.
 */
import { type StoreFile, type StoreFiles, diskFiles } from '../../server/store/lowdb/files';

function errno(code: string, message: string): NodeJS.ErrnoException {
	return Object.assign(new Error(`${code}: ${message}`), { code });
}

export class FaultyFiles implements StoreFiles {
	private spaceLeft: number | null = null;
	private halfWrites = 0;
	private syncFailures = 0;
	private truncateFailures = 0;
	/** Faults produced so far, by kind. */
	readonly produced = { shortWrites: 0, enospc: 0, eio: 0 };

	constructor(private readonly disk: StoreFiles = diskFiles) {}

	fillDisk(bytesLeft = 0): void {
		this.spaceLeft = bytesLeft;
	}

	freeSpace(): void {
		this.spaceLeft = null;
	}

	shortWrites(count: number): void {
		this.halfWrites = count;
	}

	failSyncs(count: number): void {
		this.syncFailures = count;
	}

	failTruncates(count: number): void {
		this.truncateFailures = count;
	}

	async open(file: string, flags: 'a' | 'w'): Promise<StoreFile> {
		const real = await this.disk.open(file, flags);
		const self = this;
		const failSync = () => {
			if (self.syncFailures === 0) return;
			self.syncFailures--;
			self.produced.eio++;
			throw errno('EIO', `i/o error syncing ${file}`);
		};
		return {
			async write(data, offset, length) {
				let allowed = length;
				if (self.halfWrites > 0 && length > 1) {
					self.halfWrites--;
					allowed = Math.floor(length / 2);
				}
				if (self.spaceLeft !== null) {
					if (self.spaceLeft === 0) {
						self.produced.enospc++;
						throw errno('ENOSPC', `no space left on device, write ${file}`);
					}
					allowed = Math.min(allowed, self.spaceLeft);
				}
				const written = await real.write(data, offset, allowed);
				if (self.spaceLeft !== null) self.spaceLeft -= written;
				if (written < length) self.produced.shortWrites++;
				return written;
			},
			async datasync() {
				failSync();
				await real.datasync();
			},
			async sync() {
				failSync();
				await real.sync();
			},
			async truncate(length) {
				if (self.truncateFailures > 0) {
					self.truncateFailures--;
					self.produced.eio++;
					throw errno('EIO', `i/o error truncating ${file}`);
				}
				const before = await real.size();
				await real.truncate(length);
				if (self.spaceLeft !== null && before > length) self.spaceLeft += before - length;
			},
			size: () => real.size(),
			close: () => real.close(),
		};
	}

	read(file: string) {
		return this.disk.read(file);
	}
	list(dir: string) {
		return this.disk.list(dir);
	}
	mkdir(dir: string) {
		return this.disk.mkdir(dir);
	}
	rename(from: string, to: string) {
		return this.disk.rename(from, to);
	}
	remove(file: string) {
		return this.disk.remove(file);
	}
	syncDir(dir: string) {
		return this.disk.syncDir(dir);
	}
	mode(file: string) {
		return this.disk.mode(file);
	}
}

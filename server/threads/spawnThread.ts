/**
 * Starts a worker thread on a module beside its caller: `.js` in the build, `.ts` under the test
 * runner (where the thread is taught to resolve the extensionless relative imports TypeScript
 * writes; Node's type stripping does the rest). Used by the JSONata pool and the send threads.
 */
import path from 'node:path';
import { Worker } from 'node:worker_threads';

const RESOLVE_TS_SOURCES = `
	require('node:module').registerHooks({
		resolve(specifier, context, next) {
			try {
				return next(specifier, context);
			} catch (error) {
				if (!/^\\.\\.?\\//.test(specifier)) throw error;
				for (const suffix of ['.ts', '/index.ts']) {
					try { return next(specifier + suffix, context); } catch {}
				}
				throw error;
			}
		},
	});
`;

export interface SpawnThreadOptions {
	/** The folder of the entry module (the caller's `__dirname`). */
	dir: string;
	/** The entry module's name without extension. */
	name: string;
	/** Data the entry reads as `workerData.data`. */
	data?: unknown;
	/**
	 * Lower the thread's CPU priority before it loads anything (on Linux the nice value is per
	 * thread): for work that may spin, which must not compete with the thread that answers HTTP.
	 */
	belowNormalPriority?: boolean;
}

export function spawnThread(options: SpawnThreadOptions): Worker {
	const fromSource = __filename.endsWith('.ts');
	const entry = path.join(options.dir, `${options.name}${fromSource ? '.ts' : '.js'}`);
	const bootstrap = `
		${options.belowNormalPriority ? "try { const os = require('node:os'); os.setPriority(os.constants.priority.PRIORITY_BELOW_NORMAL); } catch {}" : ''}
		${fromSource ? RESOLVE_TS_SOURCES : ''}
		require(require('node:worker_threads').workerData.entry);
	`;
	return new Worker(bootstrap, { eval: true, workerData: { entry, data: options.data } });
}

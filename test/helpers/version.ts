/**
 * vitest setup: the release version that `core/version.ts` reads. The builds write it in at
 * compile time (esbuild `define`, scripts/build/common.mjs); under vitest the same identifier is
 * a global holding package.json's version. (Not Vite's `define`: with it set,
 * test/server/faults/diskFaults.test.ts found the store's StorageError failing `instanceof`.)
 */
import pkg from '../../package.json';

(globalThis as { __MDM_WEBHOOKS_VERSION__?: string }).__MDM_WEBHOOKS_VERSION__ = pkg.version;

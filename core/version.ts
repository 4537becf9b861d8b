/** The package version, read from our package.json at runtime (source under vitest or dist/). */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export const PACKAGE_NAME = 'n8n-nodes-mdm-webhooks';

function readVersion(): string {
	let dir = __dirname;
	for (let i = 0; i < 10; i++) {
		try {
			const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: unknown; version?: unknown };
			if (pkg.name === PACKAGE_NAME && typeof pkg.version === 'string') return pkg.version;
		} catch {
			// no (readable) package.json here: keep walking up
		}
		const parent = dirname(dir);
		if (parent === dir) break;
		dir = parent;
	}
	return '0.0.0';
}

export const PACKAGE_VERSION: string = readVersion();

export const USER_AGENT = `${PACKAGE_NAME}/${PACKAGE_VERSION}`;

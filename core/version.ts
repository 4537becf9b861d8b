/**
 * The project's name and version, as sent in `user-agent` by the dispatcher and by Send Webhook.
 *
 * The version is written in at build time (esbuild `define`, see `scripts/build/`; vitest defines
 * it the same way in `vitest.config.mts`) from package.json, so nothing is read from disk at run
 * time: n8n's community-package scanner forbids `fs` and `__dirname` in a node pack. Both
 * packages (the node pack and the dispatcher) are released with the same version.
 */
declare const __MDM_WEBHOOKS_VERSION__: string | undefined;

export const PACKAGE_NAME = 'n8n-nodes-mdm-webhooks';

export const PACKAGE_VERSION: string =
	typeof __MDM_WEBHOOKS_VERSION__ === 'string' ? __MDM_WEBHOOKS_VERSION__ : '0.0.0-dev';

export const USER_AGENT = `${PACKAGE_NAME}/${PACKAGE_VERSION}`;

// Lint config for the n8n node pack (`npm run lint` = `eslint nodes credentials`).
// It stacks the rules n8n applies to community nodes:
//   - typescript-eslint's recommended rules,
//   - @n8n/eslint-plugin-community-nodes `recommended` (the rules @n8n/node-cli and the
//     verified-community-node scanner use),
//   - eslint-plugin-n8n-nodes-base's `credentials` / `nodes` / `community` presets, as the
//     @n8n/node-cli template wires them.
// A rule is turned off only where it forbids something this product needs; each says why.
import { n8nCommunityNodesPlugin } from '@n8n/eslint-plugin-community-nodes';
import n8nNodesBase from 'eslint-plugin-n8n-nodes-base';
import tseslint from 'typescript-eslint';

export default tseslint.config(
	{ ignores: ['dist/**', 'node_modules/**', 'coverage/**'] },
	{
		files: ['**/*.ts'],
		extends: [tseslint.configs.recommended],
	},
	{
		files: ['**/*.ts'],
		...n8nCommunityNodesPlugin.configs.recommended,
	},
	{
		files: ['credentials/**/*.ts'],
		plugins: { 'n8n-nodes-base': n8nNodesBase },
		rules: {
			...n8nNodesBase.configs.credentials.rules,
			// Same exception as @n8n/node-cli: this rule expects n8n's own docs slugs.
			'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'off',
		},
	},
	{
		// Off for the two credentials that are not API credentials: a signing secret and the
		// destination's basic/bearer auth. Their names `webhookSigningSecret` /
		// `destinationAuth` and display names are part of the package's contract (example
		// workflows and the real-n8n harness reference them), and an "API" suffix would
		// mislabel them.
		files: [
			'credentials/WebhookSigningSecret.credentials.ts',
			'credentials/DestinationAuth.credentials.ts',
		],
		rules: {
			'n8n-nodes-base/cred-class-name-unsuffixed': 'off',
			'n8n-nodes-base/cred-class-field-name-unsuffixed': 'off',
			'n8n-nodes-base/cred-class-field-display-name-missing-api': 'off',
		},
	},
	{
		files: ['nodes/**/*.ts'],
		plugins: { 'n8n-nodes-base': n8nNodesBase },
		rules: {
			...n8nNodesBase.configs.nodes.rules,
			// Same exceptions as @n8n/node-cli's shipped config (these rules predate
			// NodeConnectionTypes and two-output nodes such as If / Verify Signature).
			'n8n-nodes-base/node-class-description-inputs-wrong-regular-node': 'off',
			'n8n-nodes-base/node-class-description-outputs-wrong': 'off',
			'n8n-nodes-base/node-param-type-options-max-value-present': 'off',
			// Off: the nodes reference the package's own `webhookSigningSecret` and
			// `destinationAuth` credentials, whose names are fixed (see the credentials block).
			'n8n-nodes-base/node-class-description-credentials-name-unsuffixed': 'off',
		},
	},
	{
		// package.json is not in `npm run lint` (which lints nodes/ and credentials/), but
		// `npx eslint package.json` checks it with n8n's package rules.
		files: ['package.json'],
		languageOptions: {
			parser: tseslint.parser,
			parserOptions: { extraFileExtensions: ['.json'] },
		},
		plugins: {
			'@n8n/community-nodes': n8nCommunityNodesPlugin,
			'n8n-nodes-base': n8nNodesBase,
		},
		rules: {
			...n8nNodesBase.configs.community.rules,
			// The package.json rules of the community plugin's `recommended` set.
			...Object.fromEntries(
				[
					'ai-node-package-json',
					'n8n-object-validation',
					'no-forbidden-lifecycle-scripts',
					'no-overrides-field',
					'no-template-placeholders',
					'package-name-convention',
					'require-files-array',
					'require-homepage',
					'require-version',
					'valid-author',
					'valid-description',
					'valid-peer-dependencies',
				].map((rule) => [
					`@n8n/community-nodes/${rule}`,
					n8nCommunityNodesPlugin.configs.recommended.rules[`@n8n/community-nodes/${rule}`],
				]),
			),
			// Off: this package is deliberately a self-hosted product with runtime
			// dependencies. The shared core (used by the nodes *and* the dispatcher) evaluates
			// JSONata (jsonata) and validates event schemas (ajv); the dispatcher needs express,
			// lowdb and undici. n8n Cloud's "no runtime dependencies" policy cannot be met without
			// writing the core twice, which the spec forbids. Installs on self-hosted n8n only.
			'@n8n/community-nodes/no-runtime-dependencies': 'off',
		},
	},
);

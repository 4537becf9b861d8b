'use strict';

/**
 * `npm run build` = `tsc -p tsconfig.build.json && gulp build:icons`.
 * tsc emits the JavaScript; `build:icons` copies what n8n reads beside it, keeping paths:
 * - node and credential icons (nodes/X/x.svg -> dist/nodes/X/x.svg), where n8n resolves
 *   `file:` icons;
 * - each node's codex (nodes/X/X.node.json -> dist/nodes/X/X.node.json), which n8n's loader
 *   reads from beside the compiled X.node.js (tsc does not copy JSON it does not import).
 */
const { src, dest, parallel } = require('gulp');

function copyIcons() {
	return src(['nodes/**/*.{png,svg}', 'credentials/**/*.{png,svg}'], {
		base: '.',
		// Gulp 5 decodes files as UTF-8 by default; keep PNG bytes intact.
		encoding: false,
	}).pipe(dest('dist'));
}

function copyCodex() {
	return src(['nodes/**/*.node.json'], { base: '.' }).pipe(dest('dist'));
}

exports['build:icons'] = parallel(copyIcons, copyCodex);
exports['build:codex'] = copyCodex;

'use strict';

/**
 * `npm run build` = `tsc -p tsconfig.build.json && gulp build:icons`.
 * tsc emits the JavaScript; this copies the node and credential icons beside it, keeping their
 * paths (nodes/X/x.svg -> dist/nodes/X/x.svg), which is where n8n resolves `file:` icons.
 */
const { src, dest } = require('gulp');

function buildIcons() {
	return src(['nodes/**/*.{png,svg}', 'credentials/**/*.{png,svg}'], {
		base: '.',
		// Gulp 5 decodes files as UTF-8 by default; keep PNG bytes intact.
		encoding: false,
	}).pipe(dest('dist'));
}

exports['build:icons'] = buildIcons;

#!/usr/bin/env node
// The dispatcher's command: `mdm-dispatcher` (settings from the environment, see the README).
// Written in plain old JavaScript so that an older Node can read it and say what is wrong,
// before the dispatcher's own code (and undici, which needs Node 24) is loaded.
'use strict';

var REQUIRED_MAJOR = 24;
var major = Number(String(process.versions.node).split('.')[0]);

if (!(major >= REQUIRED_MAJOR)) {
  process.stderr.write(
    'mdm-dispatcher needs Node \u2265 ' + REQUIRED_MAJOR + '; this is Node ' + process.versions.node +
      ' (' + process.execPath + ').\n' +
      'Install Node ' + REQUIRED_MAJOR + ' (https://nodejs.org, or your package manager) and run it again.\n'
  );
  process.exit(1);
}

// Stack traces in terms of the TypeScript sources (the build writes source maps).
process.setSourceMapsEnabled(true);
require('../dist/server/main.js');

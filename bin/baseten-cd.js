#!/usr/bin/env -S node --
// Runs the TypeScript sources directly (tsx), so the CLI never goes stale against a build.
require('tsx/cjs');
require('../src/cli/main.ts');

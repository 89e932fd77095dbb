#!/usr/bin/env node
// `node scripts/release.mjs OUT_DIR`: the production build of the service, as
// the Dockerfile's build stage runs it and as the tests run it without Docker.
// OUT_DIR gets dist/ and the server's production dependencies only; start it
// with `node OUT_DIR/dist/cli.js serve`.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pnpm } from './pnpm.mjs';

const out = process.argv[2];
if (!out) {
  console.error('usage: node scripts/release.mjs OUT_DIR');
  process.exit(2);
}
if (existsSync(out)) {
  console.error(`${out} already exists: give a new directory`);
  process.exit(2);
}

for (const [name, args] of [
  ['install', ['install', '--frozen-lockfile']],
  ['build', ['run', 'build']],
  ['deploy', ['--filter', '@clawdforge/server', 'deploy', '--prod', resolve(out)]],
]) {
  const status = pnpm(args);
  if (status !== 0) {
    console.error(`release: ${name} failed (exit ${status})`);
    process.exit(status);
  }
}
console.log(`release: ${resolve(out)} (start it with: node ${resolve(out)}/dist/cli.js serve)`);

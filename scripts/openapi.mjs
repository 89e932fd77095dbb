#!/usr/bin/env node
// `npm run openapi`: regenerates openapi/openapi.json from the router and the
// Python client from that document. Both are committed; CI regenerates them
// and fails when they differ.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { pnpm } from './pnpm.mjs';
import { ensurePythonEnv, root, run, venvBin, venvEnv } from './python-env.mjs';

const status = pnpm(['--filter', '@clawdforge/server', 'run', 'openapi']);
if (status !== 0) process.exit(status);

ensurePythonEnv();
run(join(venvBin, 'openapi-python-client'), [
  'generate',
  '--path', 'openapi/openapi.json',
  '--config', 'openapi/python/config.yml',
  '--output-path', 'openapi/python/clawdforge-client',
  '--meta', 'setup',
  '--overwrite',
], { env: venvEnv, cwd: root });
// ruff's cache is not part of the client, and differs run to run.
rmSync(join(root, 'openapi/python/clawdforge-client/.ruff_cache'), { recursive: true, force: true });
console.log('wrote openapi/python/clawdforge-client');

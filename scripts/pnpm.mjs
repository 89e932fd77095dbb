#!/usr/bin/env node
// Runs the pinned pnpm through npx (corepack fails against this registry), with
// the environment better-sqlite3's native build needs: node-gyp cannot download
// Node's headers here, so point it at the headers installed beside node itself.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The pnpm version pinned in the root package.json's `packageManager`. */
export function pinnedPnpm() {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  return pkg.packageManager.replace(/^pnpm@/, '');
}

/** Environment for pnpm: adds npm_config_nodedir when node's headers are local. */
export function pnpmEnv(env = process.env) {
  if (env.npm_config_nodedir) return env;
  const prefix = dirname(dirname(process.execPath));
  const headers = join(prefix, 'include', 'node', 'node.h');
  return existsSync(headers) ? { ...env, npm_config_nodedir: prefix } : env;
}

/** Runs pnpm with the given arguments in the repo root; returns the exit status. */
export function pnpm(args, { env = process.env } = {}) {
  const result = spawnSync('npx', ['-y', `pnpm@${pinnedPnpm()}`, ...args], {
    cwd: root,
    stdio: 'inherit',
    env: pnpmEnv(env),
  });
  if (result.error) throw result.error;
  return result.status ?? 1;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  process.exit(pnpm(process.argv.slice(2)));
}

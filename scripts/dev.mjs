#!/usr/bin/env node
// The README's commands: `npm start` and `npm test` (and `npm run bench`).
// Each installs the workspace from the frozen lockfile first, through the
// pinned pnpm, so a fresh clone needs nothing but Node.js (and Python 3 for
// the Python client's tests).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pnpm } from './pnpm.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const [command, ...rest] = process.argv.slice(2);

function step(name, status) {
  if (status !== 0) {
    console.error(`\n${name} failed (exit ${status})`);
    process.exit(status || 1);
  }
}

function run(bin, args, env = process.env) {
  const result = spawnSync(bin, args, { cwd: root, stdio: 'inherit', env });
  if (result.error) throw result.error;
  return result.status ?? (result.signal ? 128 : 1);
}

/** One plain closing line, `tests: N passed, N failed, N skipped`, whatever reporter is on screen. */
function printSummary(reportPath) {
  if (!existsSync(reportPath)) return;
  const report = JSON.parse(readFileSync(reportPath, 'utf8'));
  const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  console.log(`\ntests: ${report.numPassedTests} passed, ${report.numFailedTests} failed, ${skipped} skipped`);
}

function install() {
  step('install', pnpm(['install', '--frozen-lockfile']));
}

function build() {
  step('build', pnpm(['run', 'build']));
}

/** The pinned CLI from the dev dependencies, used when no `claude` is installed. */
function defaultClaudeBin(env) {
  if (env.CLAUDE_BIN) return env.CLAUDE_BIN;
  const onPath = spawnSync('claude', ['--version'], { stdio: 'ignore' });
  if (!onPath.error) return undefined;
  const pinned = join(root, 'packages/server/node_modules/@anthropic-ai/claude-code/bin/claude.exe');
  return existsSync(pinned) ? pinned : undefined;
}

switch (command) {
  case 'start': {
    install();
    build();
    const claudeBin = defaultClaudeBin(process.env);
    const env = claudeBin ? { ...process.env, CLAUDE_BIN: claudeBin } : process.env;
    if (claudeBin && !process.env.CLAUDE_BIN) console.error(`clawdforge: no \`claude\` on PATH; using the pinned CLI at ${claudeBin}`);
    process.exit(run(process.execPath, [join(root, 'packages/server/dist/main.js'), ...rest], env));
  }
  case 'test': {
    install();
    const report = join(mkdtempSync(join(tmpdir(), 'clawdforge-vitest-')), 'report.json');
    const status = pnpm(['exec', 'vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...rest]);
    printSummary(report);
    step('tests', status);
    break;
  }
  case 'bench': {
    install();
    build();
    process.exit(run(process.execPath, [join(root, 'bench/run-bench.mjs'), ...rest]));
  }
  default:
    console.error('usage: node scripts/dev.mjs start|test|bench');
    process.exit(2);
}

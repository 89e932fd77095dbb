#!/usr/bin/env node
// The README's commands: `npm start` and `npm test` (and `npm run bench`).
// Each installs the workspace from the frozen lockfile first, through the
// pinned pnpm, so a fresh clone needs nothing but Node.js (and Python 3 for
// the Python client's tests).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pnpm } from './pnpm.mjs';
import { ensurePythonEnv, venvEnv } from './python-env.mjs';

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

/** .venv with the pinned tools and the wheel `npm run build` made (generated client and facade); returns its python. */
function preparePython() {
  const python = ensurePythonEnv();
  const wheels = join(root, 'packages/server/sdk/python');
  const wheel = existsSync(wheels) ? readdirSync(wheels).find((name) => name.endsWith('.whl')) : undefined;
  if (!wheel) step('python client install', 1);
  const pip = [python, '-m', 'pip', 'install', '--quiet', '--disable-pip-version-check'];
  step('python client install', run(pip[0], [...pip.slice(1), join(wheels, wheel)])); // with its dependencies
  // The same version number every time: make sure the freshly built wheel is what gets tested.
  step('python client install', run(pip[0], [...pip.slice(1), '--force-reinstall', '--no-deps', join(wheels, wheel)]));
  return python;
}

/** `go vet`, then the Go client's tests (openapi/go) against the built service, counted from `go test -json`. Skipped without Go. */
function runGoTests(reports) {
  if (spawnSync('go', ['version'], { stdio: 'ignore' }).error) {
    console.log('\nGo client tests skipped: no `go` on PATH (CI has one)');
    return 0;
  }
  const goEnv = { ...process.env, GOTOOLCHAIN: 'local' };
  const vet = spawnSync('go', ['vet', './...'], { cwd: join(root, 'openapi/go'), stdio: 'inherit', env: goEnv });
  if (vet.status !== 0) {
    console.error('go vet found problems in openapi/go');
    return vet.status ?? 1;
  }
  const result = spawnSync('go', ['test', '-json', './...'], { cwd: join(root, 'openapi/go'), encoding: 'utf8', env: goEnv });
  if (result.error) throw result.error;
  const events = result.stdout.split('\n').filter(Boolean).map((line) => { try { return JSON.parse(line); } catch { return { Output: `${line}\n` }; } });
  process.stdout.write(events.filter((event) => event.Output && (event.Action === 'output' || !event.Action)).map((event) => event.Output).join(''));
  process.stderr.write(result.stderr);
  const count = (action) => events.filter((event) => event.Test && event.Action === action).length;
  writeFileSync(join(reports, 'go.json'), JSON.stringify({ passed: count('pass'), failed: count('fail'), skipped: count('skip') }));
  return result.status ?? 1;
}

/** The generated Python client's tests, in .venv, against the built service. */
function runPythonTests(python, junitPath) {
  return run(python, ['-m', 'pytest', 'openapi/python/tests', '-q', `--junitxml=${junitPath}`], venvEnv);
}

/** One plain closing line over every suite: `tests: N passed, N failed, N skipped`. */
function printSummary(reports) {
  const runners = [];
  const vitest = join(reports, 'vitest.json');
  if (existsSync(vitest)) {
    const report = JSON.parse(readFileSync(vitest, 'utf8'));
    const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
    runners.push({ name: 'vitest', passed: report.numPassedTests, failed: report.numFailedTests, skipped });
  }
  const pytest = join(reports, 'pytest.xml');
  if (existsSync(pytest)) {
    const suite = /<testsuite\b[^>]*>/.exec(readFileSync(pytest, 'utf8'))?.[0] ?? '';
    const count = (name) => Number(new RegExp(`\\b${name}="(\\d+)"`).exec(suite)?.[1] ?? 0);
    const failed = count('failures') + count('errors');
    runners.push({ name: 'pytest', passed: count('tests') - failed - count('skipped'), failed, skipped: count('skipped') });
  }
  const go = join(reports, 'go.json');
  if (existsSync(go)) runners.push({ name: 'go', ...JSON.parse(readFileSync(go, 'utf8')) });
  const line = ({ passed, failed, skipped }) => `${passed} passed, ${failed} failed, ${skipped} skipped`;
  console.log('');
  for (const runner of runners) console.log(`  ${runner.name} ${line(runner)}`);
  const total = (key) => runners.reduce((sum, runner) => sum + runner[key], 0);
  console.log(`tests: ${line({ passed: total('passed'), failed: total('failed'), skipped: total('skipped') })}`);
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
    build(); // the Python tests and the plain-JS SDK test run the built service and package
    const reports = mkdtempSync(join(tmpdir(), 'clawdforge-tests-'));
    // Before vitest: its refusal tests drive Python's requests and httpx from .venv.
    const python = preparePython();
    const vitestArgs = ['exec', 'vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${join(reports, 'vitest.json')}`, ...rest];
    const vitest = pnpm(vitestArgs, { env: { ...process.env, CLAWDFORGE_TEST_PYTHON: python } });
    const pytest = rest.length > 0 ? 0 : runPythonTests(python, join(reports, 'pytest.xml'));
    const goTests = rest.length > 0 ? 0 : runGoTests(reports);
    printSummary(reports);
    step('tests', vitest || pytest || goTests);
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

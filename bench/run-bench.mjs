#!/usr/bin/env node
// `npm run bench`: prints what the service costs, beside what Node itself and
// a lean reference cost on the same machine in the same run.
// Starts the built service (packages/server/dist) with an instant fake CLI
// (bench/instant-claude.c compiled here, or bench/instant-claude.sh without a C compiler).
//   1. the request path: req/s over 16 keep-alive connections for /healthz and
//      for refusals (401, 403, 404, 405, 400), against a bare node:http server
//   2. /run overhead over a direct spawn of the same CLI, against a lean
//      reference server doing each step of a run and nothing else (p50/p99 of
//      200 interleaved runs each); what a token with every policy limit adds;
//      and what the spawn helper costs against spawning from the service itself
//   3. runs/s at concurrency 8 with a CLI that sleeps 1 s, MAX_CONCURRENT_RUNS=8
//   4. a streamed 200 MiB upload: throughput, and the service's peak RSS growth
//   5. /admin/usage and /admin/runs over 1,000,000 seeded audit rows
//   6. (as root) what running each run as its own user adds: the chowns, the
//      copied attachment and the uid switch, against runs as the service's user
//   7. a session's turn against the same conversation as a fresh run with the
//      history in the prompt, with the real CLI and the mock (bench/sessions.mjs)
// Figures, not assertions: nothing here fails on a slow machine.
// BENCH_SECTIONS=path,run,... runs only those sections (path, run, stream, concurrency, upload, usage, user, session).
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, closeSync, copyFileSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { networkInterfaces, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { measureRate, rawRequest } from './load.mjs';
import { sessionBench } from './sessions.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const SECTIONS = new Set((process.env.BENCH_SECTIONS ?? 'path,run,stream,concurrency,upload,usage,user,session').split(','));

/** The fake CLI: compiled from bench/instant-claude.c when a C compiler is here, else the sh version. */
function fakeCli() {
  const binary = join(mkdtempSync(join(tmpdir(), 'clawdforge-bench-cli-')), 'instant-claude');
  const compiled = spawnSync('cc', ['-O2', '-o', binary, join(root, 'bench/instant-claude.c')], { stdio: 'ignore' });
  if (compiled.status === 0) {
    chmodSync(dirname(binary), 0o755);
    return { path: binary, kind: 'C, bench/instant-claude.c' };
  }
  return { path: join(root, 'bench/instant-claude.sh'), kind: 'sh, bench/instant-claude.sh (no C compiler found)' };
}
const FAKE_CLI = fakeCli();
const CLI = FAKE_CLI.path;
const ADMIN = 'bench-admin-token-0123456789abcdef';
const CLI_ARGS = ['-p', '--output-format', 'stream-json', '--verbose', '--model', 'sonnet', '--no-session-persistence', '--restricted', '--strict-mcp-config', '--tools', ''];
const SEQUENTIAL_RUNS = Number(process.env.BENCH_RUNS ?? 200);
const agent = new Agent({ keepAlive: true, maxSockets: 64 });

const percentile = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};
const ms = (value) => `${value.toFixed(2)} ms`;

function startService(env, dataDir = mkdtempSync(join(tmpdir(), 'clawdforge-bench-'))) {
  const nodeArgs = process.env.BENCH_NODE_ARGS ? process.env.BENCH_NODE_ARGS.split(' ') : [];
  // The log goes to a file, as a container's log driver takes it: a pipe to this process, busy generating
  // load, would fill and stall the service on its own log lines.
  const logPath = join(mkdtempSync(join(tmpdir(), 'clawdforge-bench-log-')), 'service.log');
  const log = openSync(logPath, 'w');
  const child = spawn(process.execPath, [...nodeArgs, join(root, 'packages/server/dist/main.js')], {
    // RUN_AS_USER=root: the figures are comparable on any machine; section 6 measures the run user.
    env: { PATH: process.env.PATH, HOME: dataDir, PORT: '0', DATA_DIR: dataDir, ADMIN_BOOTSTRAP_TOKEN: ADMIN, CLAUDE_BIN: CLI, RUN_AS_USER: 'root', ...env },
    stdio: ['ignore', log, 'inherit'],
  });
  closeSync(log);
  let exited = false;
  child.once('exit', () => (exited = true));
  const stop = ({ keep = false } = {}) => new Promise((done) => {
    const finish = () => {
      if (!keep) rmSync(dataDir, { recursive: true, force: true });
      rmSync(dirname(logPath), { recursive: true, force: true });
      done();
    };
    if (exited) return finish();
    child.once('exit', finish);
    child.kill('SIGTERM');
  });
  return new Promise((resolve, reject) => {
    const poll = setInterval(() => {
      const match = /"url":"(http:[^"]+)"/.exec(readFileSync(logPath, 'utf8'));
      if (match) {
        clearInterval(poll);
        resolve({ url: match[1], pid: child.pid, dataDir, stop });
      } else if (exited) {
        clearInterval(poll);
        reject(new Error(`service exited before listening: ${readFileSync(logPath, 'utf8').slice(-2000)}`));
      }
    }, 20);
  });
}

function call(url, method, path, token, body) {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = request(url + path, {
      method,
      agent,
      headers: { authorization: `Bearer ${token}`, ...(payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}) },
    }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode, body: JSON.parse(text) }));
    });
    req.on('error', reject);
    req.end(payload);
  });
}

async function mint(url, body = { name: 'bench' }) {
  const response = await call(url, 'POST', '/admin/tokens', ADMIN, body);
  return response.body.token;
}

async function timedRun(url, token, extra = {}) {
  const started = process.hrtime.bigint();
  const response = await call(url, 'POST', '/run', token, { prompt: 'bench', model: 'sonnet', ...extra });
  if (response.status !== 200) throw new Error(`run failed: ${JSON.stringify(response.body)}`);
  return Number(process.hrtime.bigint() - started) / 1e6;
}

async function timedGet(url, path) {
  const started = process.hrtime.bigint();
  await call(url, 'GET', path, '');
  return Number(process.hrtime.bigint() - started) / 1e6;
}

function directSpawn() {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(CLI, CLI_ARGS, { stdio: ['pipe', 'pipe', 'pipe'], detached: true, env: { PATH: process.env.PATH } });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.on('error', reject);
    child.on('close', () => {
      JSON.parse(out.trim().split('\n').at(-1));
      resolve(Number(process.hrtime.bigint() - started) / 1e6);
    });
    child.stdin.end('bench');
  });
}

/** Runs the functions in turn, round after round, so drift in the machine's load hits all alike. */
async function interleaved(...fns) {
  for (let i = 0; i < 20; i++) for (const fn of fns) await fn(); // warm-up
  const samples = fns.map(() => []);
  for (let i = 0; i < SEQUENTIAL_RUNS; i++) {
    for (const [index, fn] of fns.entries()) samples[index].push(await fn());
  }
  return samples.map((values) => ({ p50: percentile(values, 50), p99: percentile(values, 99) }));
}

const row = (label, { p50, p99 }) => console.log(`${label.padEnd(42)} p50 ${ms(p50).padStart(10)}   p99 ${ms(p99).padStart(10)}`);

const MiB = 1024 * 1024;

function rssOf(pid) {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(match[1]) * 1024;
}

/** Streams a multipart upload of `size` bytes without holding it; resolves with the answer. */
function streamUpload(url, token, size) {
  const boundary = '----clawdforge-bench';
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`);
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const chunk = Buffer.alloc(MiB, 0x5a);
  return new Promise((resolve, reject) => {
    const req = request(url + '/files', {
      method: 'POST',
      agent,
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': `multipart/form-data; boundary=${boundary}`,
        'content-length': head.length + size + tail.length,
      },
    }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (part) => (text += part));
      res.on('end', () => (res.statusCode === 201 ? resolve(JSON.parse(text)) : reject(new Error(text))));
    });
    req.on('error', reject);
    req.write(head);
    let sent = 0;
    const pump = () => {
      while (sent < size) {
        const piece = size - sent >= chunk.length ? chunk : chunk.subarray(0, size - sent);
        sent += piece.length;
        if (!req.write(piece)) return void req.once('drain', pump);
      }
      req.end(tail);
    };
    pump();
  });
}

async function uploadBench() {
  const size = 200 * MiB;
  const service = await startService({ LOG_LEVEL: 'info', MAX_UPLOAD_BYTES: String(300 * MiB) });
  const token = await mint(service.url);
  await streamUpload(service.url, token, MiB); // warm-up
  const baseline = rssOf(service.pid);
  let peak = baseline;
  const sampler = setInterval(() => (peak = Math.max(peak, rssOf(service.pid))), 5);
  const started = process.hrtime.bigint();
  const stored = await streamUpload(service.url, token, size);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  clearInterval(sampler);
  peak = Math.max(peak, rssOf(service.pid));
  await service.stop();
  if (stored.size !== size) throw new Error(`stored ${stored.size} bytes, sent ${size}`);
  console.log(`\nupload of 200 MiB (streamed, multipart): ${(size / MiB / seconds).toFixed(0)} MiB/s, ` +
    `service RSS ${(baseline / MiB).toFixed(1)} MiB before, peak growth ${((peak - baseline) / MiB).toFixed(1)} MiB ` +
    `(target <= 16 MiB: ${peak - baseline <= 16 * MiB ? 'met' : 'NOT met'})`);
}

/** Seeds `count` audit rows straight into the service's SQLite file (10 apps, 3 models, 30 days). */
function seedAuditRows(dataDir, count) {
  const SQLite = createRequire(join(root, 'packages/server/package.json'))('better-sqlite3');
  const db = new SQLite(join(dataDir, 'clawdforge.sqlite'));
  const insert = db.prepare(`insert into runs (id, app, model, prompt, prompt_chars, system_chars, file_count, response_chars, status,
    error_code, exit_code, stop_reason, session_id, input_tokens, output_tokens, cost_usd, queue_wait_ms, duration_ms, created_at, request_id)
    values (?, ?, ?, null, 120, 40, 0, 300, ?, ?, 0, 'end_turn', null, 500, 200, 0.004, ?, ?, ?, null)`);
  const start = Date.UTC(2026, 9, 1);
  db.transaction(() => {
    for (let i = 0; i < count; i++) {
      const failed = i % 17 === 0;
      insert.run(`run_seed${i}`, `app${i % 10}`, ['sonnet', 'opus', 'haiku'][i % 3], failed ? 'error' : 'ok', failed ? 'claude_error' : null,
        i % 50, 500 + ((i * 7919) % 20_000), new Date(start + Math.floor((i / count) * 30 * 86_400_000)).toISOString());
    }
  })();
  db.close();
}

async function usageBench() {
  const rows = Number(process.env.BENCH_AUDIT_ROWS ?? 1_000_000);
  const first = await startService({ LOG_LEVEL: 'info' }); // its "listening" line is info-level
  await first.stop({ keep: true }); // migrated, empty
  const seedStarted = process.hrtime.bigint();
  seedAuditRows(first.dataDir, rows);
  const seedSeconds = Number(process.hrtime.bigint() - seedStarted) / 1e9;
  const service = await startService({ LOG_LEVEL: 'info' }, first.dataDir);
  const time = async (path) => {
    const started = process.hrtime.bigint();
    const response = await call(service.url, 'GET', path, ADMIN);
    if (response.status !== 200) throw new Error(`${path}: ${JSON.stringify(response.body)}`);
    return Number(process.hrtime.bigint() - started) / 1e6;
  };
  console.log(`\naudit log of ${rows.toLocaleString('en')} rows (seeded in ${seedSeconds.toFixed(1)} s), one call each:`);
  for (const path of ['/admin/usage?group_by=app', '/admin/usage?group_by=model', '/admin/usage?group_by=day',
    '/admin/usage?group_by=app&since=2026-10-25T00:00:00.000Z', '/admin/runs?limit=100&app=app3&status=error']) {
    console.log(`  GET ${path.padEnd(58)} ${ms(await time(path)).padStart(10)}`);
  }
  await service.stop();
}

/** Uploads a small file for `token` and returns its file token. */
async function smallUpload(url, token) {
  const boundary = '----clawdforge-bench-small';
  const body = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="notes.txt"\r\nContent-Type: text/plain\r\n\r\n${'x'.repeat(4096)}\r\n--${boundary}--\r\n`);
  return new Promise((resolve, reject) => {
    const req = request(url + '/files', {
      method: 'POST', agent,
      headers: { authorization: `Bearer ${token}`, 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': body.length },
    }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (part) => (text += part));
      res.on('end', () => (res.statusCode === 201 ? resolve(JSON.parse(text).file_token) : reject(new Error(text))));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Section 7: the same runs, as the service's user and as a run user of their own (needs root). */
async function runUserBench() {
  if (process.getuid?.() !== 0) {
    console.log('\nruns under their own user: not measured (switching users needs root)');
    return;
  }
  const id = 48_000 + (process.pid % 1000); // a numeric uid needs no passwd entry
  const scratch = mkdtempSync(join(tmpdir(), 'clawdforge-bench-user-'));
  chmodSync(scratch, 0o711);
  const cli = join(scratch, 'instant-claude.sh'); // where the run user can surely reach it
  copyFileSync(CLI, cli);
  chmodSync(cli, 0o755);
  const configDir = join(scratch, 'claude-config');
  mkdirSync(configDir, { mode: 0o700 });
  chownSync(configDir, id, id);
  const asService = await startService({ LOG_LEVEL: 'info', CLAUDE_BIN: cli });
  const asUser = await startService({ LOG_LEVEL: 'info', CLAUDE_BIN: cli, RUN_AS_USER: `${id}:${id}`, CLAUDE_CONFIG_DIR: configDir, RUNS_DIR: join(scratch, 'runs') });
  const tokens = [await mint(asService.url), await mint(asUser.url)];
  const [viaUser, viaService] = await interleaved(() => timedRun(asUser.url, tokens[1]), () => timedRun(asService.url, tokens[0]));
  const files = [await smallUpload(asService.url, tokens[0]), await smallUpload(asUser.url, tokens[1])];
  const [attachedUser, attachedService] = await interleaved(
    () => timedRun(asUser.url, tokens[1], { files: [files[1]] }),
    () => timedRun(asService.url, tokens[0], { files: [files[0]] }),
  );
  await Promise.all([asService.stop(), asUser.stop()]);
  const seal = await sealRoundTrip(scratch, configDir, id);
  rmSync(scratch, { recursive: true, force: true });
  console.log('');
  row('POST /run as the service\'s user', viaService);
  row('POST /run as a run user of its own', viaUser);
  row('  with a 4 KiB attachment, service\'s user', attachedService);
  row('  with a 4 KiB attachment, run user', attachedUser);
  row('a session turn\'s seal, 100 KiB history', seal);
}

/**
 * What sealing a session costs a turn under a run user (sessions/session-seal.ts): the directory handed
 * over and back, the CLI's directory cleared and made anew and the history put back by the run user
 * (rm, mkdir, dd), then taken into the store again and the CLI's directory cleared (rm).
 */
async function sealRoundTrip(scratch, configDir, id) {
  const dist = join(root, 'packages/server/dist');
  const { ProcessLauncher } = await import(join(dist, 'process/process-launcher.js'));
  const { SessionSeal } = await import(join(dist, 'sessions/session-seal.js'));
  const { runDirAt } = await import(join(dist, 'claude/run-dir.js'));
  const owner = { uid: id, gid: id };
  const launcher = new ProcessLauncher({ env: { PATH: process.env.PATH }, user: owner });
  const storeDir = join(scratch, 'store');
  const runsDir = join(scratch, 'seal-runs');
  mkdirSync(storeDir, { mode: 0o700 });
  mkdirSync(runsDir, { mode: 0o711 });
  const dir = runDirAt(join(runsDir, 'ses-bench'), owner, true);
  mkdirSync(dir.cwd, { mode: 0o700 });
  const seal = new SessionSeal({ storeDir, runOwner: owner, serviceIds: { uid: 0, gid: 0 }, launcher });
  const stored = join(storeDir, 'ses_bench.jsonl');
  writeFileSync(stored, `${JSON.stringify({ type: 'user', text: 'x'.repeat(1000) })}\n`.repeat(100));
  const times = [];
  for (let i = 0; i < 50; i++) {
    const started = process.hrtime.bigint();
    await seal.open(dir, configDir, { stored, cliName: 'cli.jsonl' });
    await seal.close(dir, configDir, 'cli.jsonl', stored, true);
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  await launcher.close?.();
  return { p50: percentile(times, 50), p99: percentile(times, 99) };
}

/** Starts a bench script (bare server, lean reference) as a process of its own; resolves with what it prints first. */
function startScript(script, args = []) {
  const child = spawn(process.execPath, [join(root, 'bench', script), ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.stdout.once('data', (chunk) => resolve({ ...JSON.parse(chunk), stop: () => new Promise((done) => { child.once('exit', done); child.kill('SIGTERM'); }) }));
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
  });
}

/** A non-loopback IPv4 address of this machine: a peer from it is outside the default allowlist. */
function ownLanAddress() {
  for (const entries of Object.values(networkInterfaces())) {
    for (const entry of entries ?? []) if (entry.family === 'IPv4' && !entry.internal) return entry.address;
  }
  return null;
}

const pct = (value) => `${(value * 100).toFixed(0)}%`;

/** Section 1: requests per second on the request path, against a bare node:http server in the same run. */
async function requestPathBench() {
  const bare = await startScript('bare-server.mjs');
  const service = await startService({ LOG_LEVEL: 'info' });
  const token = await mint(service.url);
  const json = { 'content-type': 'application/json' };
  const cases = [
    ['GET /healthz', service.url, rawRequest('GET', '/healthz'), 0.5, '200'],
    ['401, wrong token', service.url, rawRequest('POST', '/run', { ...json, authorization: 'Bearer cf_wrong' }, '{}'), 0.4, '401'],
    ['401, no token', service.url, rawRequest('POST', '/run', json, '{}'), 0.4, '401'],
    ['404, unknown path', service.url, rawRequest('GET', '/no/such/path'), 0.4, '404'],
    ['405, wrong method', service.url, rawRequest('GET', '/run'), 0.4, '405'],
    ['400, valid token, invalid body', service.url, rawRequest('POST', '/run', { ...json, authorization: `Bearer ${token}` }, '{"prompt":5}'), 0.1, '400'],
  ];
  const lan = ownLanAddress();
  const outsider = lan && (await startService({ LOG_LEVEL: 'info', HOST: lan }));
  // A machine outside ALLOW_CIDRS may hold 4 connections (http/connection-guard.ts): measured with those 4.
  if (outsider) cases.splice(3, 0, ['403, address not allowed (4 conns)', outsider.url, rawRequest('GET', '/healthz'), 0.4, '403', 4]);
  const bareRate = (await measureRate(bare.url, rawRequest('GET', '/healthz'))).perSecond;
  console.log(`\nrequest path, 16 keep-alive connections, 3 s each; bare node:http: ${bareRate.toFixed(0)} req/s`);
  for (const [label, url, request, target, status, connections = 16] of cases) {
    const { perSecond, statuses } = await measureRate(url, request, { connections });
    const unexpected = Object.keys(statuses).filter((code) => code !== status);
    const ratio = perSecond / bareRate;
    console.log(`  ${label.padEnd(34)} ${perSecond.toFixed(0).padStart(7)} req/s  ${pct(ratio).padStart(4)} of bare  (target ${pct(target)}: ${ratio >= target ? 'met' : 'NOT met'})` +
      (unexpected.length ? `  unexpected statuses ${JSON.stringify(statuses)}` : ''));
  }
  if (!outsider) console.log('  403, address not allowed: not measured (this machine has no non-loopback address)');
  await Promise.all([bare.stop(), service.stop(), outsider?.stop()]);
}

async function timedReferenceRun(reference) {
  const started = process.hrtime.bigint();
  const response = await call(reference.url, 'POST', '/run', reference.token, { prompt: 'bench', model: 'sonnet' });
  if (response.status !== 200) throw new Error(`reference run failed: ${JSON.stringify(response.body)}`);
  return Number(process.hrtime.bigint() - started) / 1e6;
}

/** One streamed run: the delay of each text delta, from the CLI printing it to this client reading its event (ms). */
function streamedDeltaDelays(url, token) {
  return new Promise((resolve, reject) => {
    const payload = JSON.stringify({ prompt: 'bench', model: 'sonnet' });
    const req = request(url + '/run', {
      method: 'POST',
      agent,
      headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream', 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
    }, (res) => {
      const delays = [];
      let pending = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => {
        const now = process.hrtime.bigint(); // CLOCK_MONOTONIC, the clock the C fake CLI stamps its deltas with
        pending += chunk;
        const frames = pending.split('\n\n');
        pending = frames.pop();
        for (const frame of frames) {
          if (!frame.includes('event: text')) continue;
          const data = JSON.parse(frame.slice(frame.indexOf('data: ') + 6));
          delays.push(Number(now - BigInt(data.text)) / 1e6);
        }
      });
      res.on('end', () => resolve(delays));
    });
    req.on('error', reject);
    req.end(payload);
  });
}

/** Section 2b: a streamed run's text deltas, from the CLI to the client. */
async function streamBench() {
  if (!FAKE_CLI.kind.startsWith('C')) {
    console.log('\nstreamed deltas: not measured (needs the C fake CLI: no C compiler here)');
    return;
  }
  const service = await startService({ LOG_LEVEL: 'info', BENCH_DELTAS: '20', BENCH_DELTA_GAP_MS: '10', CLAUDE_ENV_PASSTHROUGH: 'BENCH_DELTAS,BENCH_DELTA_GAP_MS' });
  const token = await mint(service.url);
  await streamedDeltaDelays(service.url, token); // warm-up
  const delays = [];
  for (let i = 0; i < 10; i++) delays.push(...(await streamedDeltaDelays(service.url, token)));
  await service.stop();
  const summary = { p50: percentile(delays, 50), p99: percentile(delays, 99) };
  console.log(`\nstreamed run, ${delays.length} text deltas 10 ms apart: CLI prints one -> SSE client reads it`);
  row('delta delay', summary);
  console.log(`  target p50 <= 2 ms: ${summary.p50 <= 2 ? 'met' : 'NOT met'}`);
}

/** Section 2: the service's overhead per run over a direct spawn, against the lean reference's. */
async function runOverheadBench() {
  const service = await startService({ LOG_LEVEL: 'info', MAX_CONCURRENT_RUNS: '4' });
  const referenceDir = mkdtempSync(join(tmpdir(), 'clawdforge-bench-reference-'));
  const reference = await startScript('lean-reference.mjs', [referenceDir, CLI]);
  const token = await mint(service.url);
  const [viaService, viaReference, direct] = await interleaved(() => timedRun(service.url, token), () => timedReferenceRun(reference), directSpawn);
  // A token with every limit set: the quota reads (hour and day from the rollup) and the fair queue's bookkeeping.
  const policed = await mint(service.url, {
    name: 'bench-policed', models: ['sonnet'], max_concurrent: 4, max_timeout_secs: 600,
    runs_per_hour: 1_000_000, runs_per_day: 10_000_000, cost_usd_per_day: 1_000_000,
  });
  const [withPolicy, plain] = await interleaved(() => timedRun(service.url, policed), () => timedRun(service.url, token));
  // The same service with two Claude accounts (a token read from its file at each run, and a key): routing, the secret read, the env overlay.
  const accountsDir = mkdtempSync(join(tmpdir(), 'clawdforge-bench-accounts-'));
  writeFileSync(join(accountsDir, 'token'), 'sk-ant-oat01-bench\n', { mode: 0o600 });
  writeFileSync(join(accountsDir, 'accounts.json'), JSON.stringify([
    { name: 'main', type: 'oauth_token', secret_file: join(accountsDir, 'token'), priority: 2 },
    { name: 'spare', type: 'api_key', secret_env: 'BENCH_SPARE_KEY' },
  ]));
  const withAccounts = await startService({ LOG_LEVEL: 'info', MAX_CONCURRENT_RUNS: '4', CLAUDE_ACCOUNTS_FILE: join(accountsDir, 'accounts.json'), BENCH_SPARE_KEY: 'sk-ant-api03-bench' });
  const accountsToken = await mint(withAccounts.url);
  const [onAccounts, onDefault] = await interleaved(() => timedRun(withAccounts.url, accountsToken), () => timedRun(service.url, token));
  await Promise.all([service.stop(), reference.stop(), withAccounts.stop()]);
  rmSync(accountsDir, { recursive: true, force: true });
  rmSync(referenceDir, { recursive: true, force: true });
  const overhead = { p50: viaService.p50 - direct.p50, p99: viaService.p99 - direct.p99 };
  const referenceOverhead = { p50: viaReference.p50 - direct.p50, p99: viaReference.p99 - direct.p99 };
  console.log(`\n/run, ${SEQUENTIAL_RUNS} sequential runs each, interleaved`);
  row('POST /run through the service', viaService);
  row('POST /run through the lean reference', viaReference);
  row('direct spawn of the same CLI', direct);
  row('service overhead per run', overhead);
  row('lean reference overhead per run', referenceOverhead);
  const ratio = overhead.p50 / referenceOverhead.p50;
  console.log(`  overhead ratio to the reference (p50)     ${ratio.toFixed(2)}x  (target <= 1.3x: ${ratio <= 1.3 ? 'met' : 'NOT met'}); ` +
    `overhead p99 ${ms(overhead.p99)} (target <= 3 ms: ${overhead.p99 <= 3 ? 'met' : 'NOT met'})`);
  row('POST /run, token with every policy limit', withPolicy);
  row('  the same, plain token (interleaved)', plain);
  row('POST /run, two Claude accounts configured', onAccounts);
  row('  the same, the default login (interleaved)', onDefault);
  await spawnHelperBench();
}

/** What going through the spawn helper costs, against spawning from a process as large as the service. */
async function spawnHelperBench() {
  const { ProcessLauncher } = await import(join(root, 'packages/server/dist/process/process-launcher.js'));
  const launcher = new ProcessLauncher({ env: { PATH: process.env.PATH }, user: null });
  const cwd = mkdtempSync(join(tmpdir(), 'clawdforge-bench-helper-'));
  const viaHelper = () => new Promise((resolve) => {
    const started = process.hrtime.bigint();
    let out = '';
    launcher.launch({ bin: CLI, args: CLI_ARGS, cwd, stdin: 'bench' }, {
      onStdout: (data) => (out += data),
      onStderr: () => {},
      onClose: () => {
        JSON.parse(out.trim().split('\n').at(-1));
        resolve(Number(process.hrtime.bigint() - started) / 1e6);
      },
    });
  });
  const small = await interleaved(viaHelper, directSpawn);
  // Spawning copies the parent's page tables: from a process the size of the service (~100 MiB RSS) it costs more.
  const ballast = Array.from({ length: 100 }, () => Buffer.alloc(1024 * 1024, 1));
  const large = await interleaved(viaHelper, directSpawn);
  ballast.length = 0;
  await launcher.close?.();
  rmSync(cwd, { recursive: true, force: true });
  row('spawn through the spawn helper', small[0]);
  row('  direct spawn from this small process', small[1]);
  row('  direct spawn, this process at +100 MiB', large[1]);
}

async function concurrencyBench() {
  const concurrency = 8;
  const runsPerWorker = 10;
  const slow = await startService({ LOG_LEVEL: 'info', MAX_CONCURRENT_RUNS: String(concurrency), BENCH_SLEEP_SECS: '1', CLAUDE_ENV_PASSTHROUGH: 'BENCH_SLEEP_SECS' });
  const slowToken = await mint(slow.url);
  const rounds = async (count) => {
    const started = process.hrtime.bigint();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        for (let i = 0; i < count; i++) await timedRun(slow.url, slowToken);
      }),
    );
    return Number(process.hrtime.bigint() - started) / 1e9;
  };
  // The first round after start runs code not compiled yet (tens of ms per run): shown apart, not averaged in.
  const firstRound = await rounds(1);
  const seconds = await rounds(runsPerWorker);
  await slow.stop();
  const total = concurrency * runsPerWorker;
  const perSecond = total / seconds;
  console.log(`\nconcurrency ${concurrency}, CLI sleeping 1 s: ${total} runs in ${seconds.toFixed(2)} s = ${perSecond.toFixed(2)} runs/s ` +
    `(${(100 * perSecond / concurrency).toFixed(1)}% of the ideal ${concurrency}; target 99%: ${perSecond / concurrency >= 0.99 ? 'met' : 'NOT met'})`);
  console.log(`  before them, the first round (${concurrency} runs at once, just after start): ${(firstRound * 1000).toFixed(0)} ms`);
}

async function main() {
  console.log(`clawdforge bench: node ${process.version}, ${new Date().toISOString().slice(0, 10)}, fake CLI: ${FAKE_CLI.kind}`);
  if (SECTIONS.has('path')) await requestPathBench();
  if (SECTIONS.has('run')) await runOverheadBench();
  if (SECTIONS.has('stream')) await streamBench();
  if (SECTIONS.has('concurrency')) await concurrencyBench();
  if (SECTIONS.has('upload')) await uploadBench();
  if (SECTIONS.has('usage')) await usageBench();
  if (SECTIONS.has('user')) await runUserBench();
  if (SECTIONS.has('session')) await sessionBench({ root, startService, mint, call, percentile, row });
  agent.destroy();
  process.exit(0);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

#!/usr/bin/env node
// `npm run bench`: prints what the service costs on top of the CLI it runs.
// Starts the built service (packages/server/dist) with an instant fake CLI.
//   1. p50/p99 of 200 sequential POST /run
//   2. p50/p99 of 200 direct spawns of the same CLI from Node (the floor),
//      alternating with 1 so both see the same machine
//   3. the difference: the service's own overhead per run; and what a token
//      with every policy limit (quotas read from the rollup) adds to it
//   4. runs/s at concurrency 8 with a CLI that sleeps 1 s, MAX_CONCURRENT_RUNS=8
//   5. a streamed 200 MiB upload: throughput, and the service's peak RSS growth
//   6. /admin/usage and /admin/runs over 1,000,000 seeded audit rows
//   7. (as root) what running each run as its own user adds: the chowns, the
//      copied attachment and the uid switch, against runs as the service's user
// Figures, not assertions: nothing here fails on a slow machine.
import { spawn } from 'node:child_process';
import { chmodSync, chownSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const CLI = join(root, 'bench/instant-claude.sh');
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
  const child = spawn(process.execPath, [...nodeArgs, join(root, 'packages/server/dist/main.js')], {
    // RUN_AS_USER=root: the figures are comparable on any machine; section 7 measures the run user.
    env: { PATH: process.env.PATH, HOME: dataDir, PORT: '0', DATA_DIR: dataDir, ADMIN_BOOTSTRAP_TOKEN: ADMIN, CLAUDE_BIN: CLI, RUN_AS_USER: 'root', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk) => {
      if (output !== null) output += chunk;
      const match = output && /"url":"(http:[^"]+)"/.exec(output);
      if (match) {
        output = null; // keep draining the log, stop keeping it
        resolve({
          url: match[1],
          pid: child.pid,
          dataDir,
          stop: ({ keep = false } = {}) => new Promise((done) => { child.once('exit', () => { if (!keep) rmSync(dataDir, { recursive: true, force: true }); done(); }); child.kill('SIGTERM'); }),
        });
      }
    });
    child.once('exit', (code) => reject(new Error(`service exited with ${code}`)));
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

/** Runs `a` and `b` alternately, so drift in the machine's load hits both alike. */
async function interleaved(a, b) {
  for (let i = 0; i < 20; i++) await a(), await b(); // warm-up
  const samplesA = [];
  const samplesB = [];
  for (let i = 0; i < SEQUENTIAL_RUNS; i++) {
    samplesA.push(await a());
    samplesB.push(await b());
  }
  const summary = (samples) => ({ p50: percentile(samples, 50), p99: percentile(samples, 99) });
  return [summary(samplesA), summary(samplesB)];
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
    `service RSS ${(baseline / MiB).toFixed(1)} MiB before, peak growth ${((peak - baseline) / MiB).toFixed(1)} MiB`);
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
  rmSync(scratch, { recursive: true, force: true });
  console.log('');
  row('POST /run as the service\'s user', viaService);
  row('POST /run as a run user of its own', viaUser);
  row('  with a 4 KiB attachment, service\'s user', attachedService);
  row('  with a 4 KiB attachment, run user', attachedUser);
}

async function main() {
  console.log(`clawdforge bench: node ${process.version}, ${SEQUENTIAL_RUNS} sequential runs, instant fake CLI (bench/instant-claude.sh)\n`);

  const service = await startService({ LOG_LEVEL: 'info', MAX_CONCURRENT_RUNS: '4' });
  const token = await mint(service.url);
  const [viaService, direct] = await interleaved(() => timedRun(service.url, token), directSpawn);
  // For reading the overhead: a static GET costs this much with no run at all.
  const [httpFloor] = await interleaved(() => timedGet(service.url, '/openapi.json'), async () => 0);
  // A token with every limit set: the quota reads (hour and day from the rollup) and the fair queue's bookkeeping.
  const policed = await mint(service.url, {
    name: 'bench-policed', models: ['sonnet'], max_concurrent: 4, max_timeout_secs: 600,
    runs_per_hour: 1_000_000, runs_per_day: 10_000_000, cost_usd_per_day: 1_000_000,
  });
  const [withPolicy, plain] = await interleaved(() => timedRun(service.url, policed), () => timedRun(service.url, token));
  await service.stop();
  row('POST /run through the service', viaService);
  row('direct spawn of the same CLI', direct);
  row('service overhead per run', { p50: viaService.p50 - direct.p50, p99: viaService.p99 - direct.p99 });
  row('  of which: HTTP round trip alone', httpFloor);
  row('POST /run, token with every policy limit', withPolicy);
  row('  the same, plain token (interleaved)', plain);

  const concurrency = 8;
  const runsPerWorker = 10;
  const slow = await startService({ LOG_LEVEL: 'info', MAX_CONCURRENT_RUNS: String(concurrency), BENCH_SLEEP_SECS: '1', CLAUDE_ENV_PASSTHROUGH: 'BENCH_SLEEP_SECS' });
  const slowToken = await mint(slow.url);
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = 0; i < runsPerWorker; i++) await timedRun(slow.url, slowToken);
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  await slow.stop();
  const total = concurrency * runsPerWorker;
  console.log(`\nconcurrency ${concurrency}, CLI sleeping 1 s: ${total} runs in ${seconds.toFixed(2)} s = ${(total / seconds).toFixed(2)} runs/s (ideal ${concurrency})`);
  await uploadBench();
  await usageBench();
  await runUserBench();
  agent.destroy();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

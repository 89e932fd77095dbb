#!/usr/bin/env node
// The lean reference for `npm run bench`: a plain node:http server that does
// each step of a run and nothing else: hash the bearer and look it up in
// SQLite, read the JSON body, create and remove a run directory, spawn the CLI
// with the prompt on stdin, parse its JSON, insert an audit row, answer. The
// service's own overhead is measured against this one's.
// Usage: lean-reference.mjs <data dir> <cli>; prints {"url","token"} once listening.
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const [dataDir, cli] = process.argv.slice(2);
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const SQLite = createRequire(join(root, 'packages/server/package.json'))('better-sqlite3');
const db = new SQLite(join(dataDir, 'reference.sqlite'));
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.exec(`create table if not exists tokens (token_hash text primary key, name text not null);
  create table if not exists runs (id text primary key, app text not null, status text not null, duration_ms integer not null, created_at text not null)`);
const token = `cf_${randomBytes(32).toString('base64url')}`;
const sha256 = (text) => createHash('sha256').update(text).digest('hex');
db.prepare('insert into tokens values (?, ?)').run(sha256(token), 'bench');
const findToken = db.prepare('select name from tokens where token_hash = ?');
const insertRun = db.prepare('insert into runs values (?, ?, ?, ?, ?)');
const runsDir = mkdtempSync(join(dataDir, 'runs-'));

function answer(res, status, body) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

const server = createServer(async (req, res) => {
  const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
  const row = bearer && findToken.get(sha256(bearer));
  if (!row) return answer(res, 401, { ok: false, error: { code: 'unauthorized', message: 'no' } });
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  const { prompt } = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  const started = Date.now();
  const cwd = mkdtempSync(join(runsDir, 'run-'));
  const child = spawn(cli, ['-p', '--output-format', 'stream-json', '--verbose'], { cwd, stdio: ['pipe', 'pipe', 'pipe'], env: { PATH: process.env.PATH } });
  let out = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk) => (out += chunk));
  child.stdin.end(prompt);
  await new Promise((resolve) => child.on('close', resolve));
  rmSync(cwd, { recursive: true, force: true });
  const result = JSON.parse(out.trim().split('\n').at(-1));
  const id = `run_${randomBytes(12).toString('base64url')}`;
  insertRun.run(id, row.name, 'ok', Date.now() - started, new Date().toISOString());
  answer(res, 200, { ok: true, result: result.result, run_id: id });
});
server.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ url: `http://127.0.0.1:${server.address().port}`, token })));
process.on('SIGTERM', () => server.close(() => process.exit(0)));

// The spawn helper: a small process the service starts once and asks, over IPC,
// to start CLI runs. Two reasons it exists:
// - libuv forks to spawn, on the calling thread, at a cost that grows with the
//   caller's memory: ~2 ms per run from the service, blocking its event loop,
//   against a fraction of that from this small process;
// - when the service dies, even by SIGKILL, the IPC channel closes and this
//   process kills every run's process group, so no `claude` outlives it.
import { spawn } from 'node:child_process';
import { applyOverlay } from './env-overlay.js';
import type { FromHelper, ToHelper } from './launcher-protocol.js';
import { signalGroup } from './process-group.js';
import { killStrays } from './stray-processes.js';

const pids = new Map<number, number>();
/** Every child's environment, as the service sent it first; none until then. */
let childEnv: Record<string, string> = {};
/** The run user's uid, when runs execute as one: its processes outside live runs are killed. */
const sweepUid = process.argv[2] === '--sweep-uid' ? Number(process.argv[3]) : undefined;
/** Kills the run user's processes that belong to no live run (see stray-processes.ts). */
const sweep = () => {
  if (sweepUid !== undefined) killStrays(sweepUid, new Set(pids.values()));
};
// After a run that could start processes ends: once the service has its answer, and once for a burst.
let sweepScheduled = false;
const sweepSoon = () => {
  if (sweepScheduled) return;
  sweepScheduled = true;
  setImmediate(() => {
    sweepScheduled = false;
    sweep();
  });
};
const send = (message: FromHelper) => process.send?.(message);

type SpawnRequest = Extract<ToHelper, { t: 'spawn' }>;

// Requests arriving together start one per event-loop turn. Each start blocks
// this loop for the fork (~1.5 ms), and a child's stdin reaches EOF only once
// the loop turns after its start: started all at once, the first of eight
// would wait for the other seven forks before it could even begin.
const waiting: SpawnRequest[] = [];
let starting = false;
function enqueue(request: SpawnRequest): void {
  waiting.push(request);
  if (starting) return;
  starting = true;
  setImmediate(startNext);
}
function startNext(): void {
  const request = waiting.shift();
  if (!request) {
    starting = false;
    return;
  }
  start(request);
  setImmediate(startNext);
}

function start(request: SpawnRequest): void {
  const child = spawn(request.bin, request.args, {
    cwd: request.cwd,
    env: applyOverlay(childEnv, request.env),
    stdio: ['pipe', 'pipe', 'pipe'],
    detached: true,
    // libuv also drops the supplementary groups (root's) when switching user.
    ...(request.uid !== undefined ? { uid: request.uid, gid: request.gid ?? request.uid } : {}),
  });
  if (child.pid) {
    pids.set(request.id, child.pid);
    send({ t: 'pid', id: request.id, pid: child.pid });
  }
  let closed = false;
  const close = (code: number | null, signal: NodeJS.Signals | null, error?: NodeJS.ErrnoException) => {
    if (closed) return;
    closed = true;
    pids.delete(request.id);
    send({ t: 'close', id: request.id, code, signal, ...(error ? { error: { code: error.code ?? 'ERROR', message: error.message } } : {}) });
    if (request.sweepAfter) sweepSoon();
  };
  child.stdout.setEncoding('utf8').on('data', (data: string) => send({ t: 'out', id: request.id, data }));
  child.stderr.setEncoding('utf8').on('data', (data: string) => send({ t: 'err', id: request.id, data }));
  child.stdin.on('error', () => {}); // a child may exit before reading all of stdin
  // Closed as soon as the kernel has the prompt (at once, for one that fits the pipe): end() would wait for
  // a turn of this loop to shut the pipe down, and the child for its EOF.
  child.stdin.write(request.stdin, () => child.stdin.destroy());
  child.on('error', (error: NodeJS.ErrnoException) => close(null, null, error));
  // Once the CLI itself is gone, nothing it started may outlive it.
  child.on('exit', () => signalGroup(child.pid, 'SIGKILL'));
  child.on('close', (code, signal) => close(code, signal));
}

process.on('message', (message: ToHelper) => {
  if (message.t === 'env') childEnv = message.env;
  else if (message.t === 'spawn') enqueue(message);
  else if (message.t === 'signal') signal(message.id, message.signal);
});

/** Signals a run's process group; a run not started yet is not started at all, and ends as if killed. */
function signal(id: number, name: NodeJS.Signals): void {
  const queued = waiting.findIndex((request) => request.id === id);
  if (queued === -1) {
    signalGroup(pids.get(id), name);
    return;
  }
  waiting.splice(queued, 1);
  send({ t: 'close', id, code: null, signal: name });
}

process.on('disconnect', () => {
  for (const pid of pids.values()) signalGroup(pid, 'SIGKILL');
  pids.clear();
  sweep();
  process.exit(0);
});
// Nothing is live yet: whatever of the run user is running is left from before.
sweep();
// The service decides when runs end; a terminal's Ctrl-C reaching this group must not.
process.on('SIGINT', () => {});

// Spawns one headless CLI run: argument array (no shell), prompt on stdin, its
// own process group, a deadline, cancellation, and capped output.
import { spawn } from 'node:child_process';
import { signalGroup } from '../process/process-group.js';
import { ClaudeStreamReader, type StreamSummary } from './claude-stream.js';

export interface RunnerInput {
  prompt: string;
  model: string;
  /** A file holding the system prompt: no argv size limit, and not visible in `ps`. */
  systemPromptFile?: string;
  cwd: string;
  /** Epoch ms after which the run is killed as timed out. */
  deadline: number;
  signal: AbortSignal;
}

/** Why the runner ended the child itself, if it did. */
export type StopCause = 'timeout' | 'cancelled' | 'auth_failed' | 'output_too_large';

export interface RunnerOutcome {
  /** Set when the CLI could not be started at all (ENOENT, EACCES, ...). */
  spawnError?: NodeJS.ErrnoException;
  exitCode: number | null;
  exitSignal: NodeJS.Signals | null;
  stoppedBy?: StopCause;
  stream: StreamSummary;
  /** The last bytes of stderr, raw. */
  stderrTail: string;
}

/** Runs the CLI once. A fake in tests, SpawnRunner in the service. */
export interface Runner {
  run(input: RunnerInput): Promise<RunnerOutcome>;
}

export interface SpawnRunnerOptions {
  bin: string;
  env: Readonly<Record<string, string>>;
  /** Time between SIGTERM and SIGKILL when the runner stops a child. */
  killGraceMs?: number;
  /** Most stdout bytes read before the child is killed as runaway. */
  maxStdoutBytes?: number;
}

const STDERR_TAIL_BYTES = 4096;

export function buildClaudeArgs(input: Pick<RunnerInput, 'model' | 'systemPromptFile'>): string[] {
  const args = ['-p', '--output-format', 'stream-json', '--verbose', '--model', input.model];
  args.push('--tools', '', '--no-session-persistence');
  if (input.systemPromptFile) args.push('--system-prompt-file', input.systemPromptFile);
  return args;
}

export class SpawnRunner implements Runner {
  private readonly killGraceMs: number;
  private readonly maxStdoutBytes: number;

  constructor(private readonly options: SpawnRunnerOptions) {
    this.killGraceMs = options.killGraceMs ?? 2_000;
    this.maxStdoutBytes = options.maxStdoutBytes ?? 10 * 1024 * 1024;
  }

  run(input: RunnerInput): Promise<RunnerOutcome> {
    return new Promise((resolve) => {
      let stoppedBy: StopCause | undefined;
      let stderrTail = '';
      let stdoutBytes = 0;
      let killTimer: NodeJS.Timeout | undefined;
      let settled = false;

      const child = spawn(this.options.bin, buildClaudeArgs(input), {
        cwd: input.cwd,
        env: this.options.env,
        stdio: ['pipe', 'pipe', 'pipe'],
        detached: true,
      });

      const stop = (cause: StopCause) => {
        if (stoppedBy) return;
        stoppedBy = cause;
        signalGroup(child.pid, 'SIGTERM');
        killTimer = setTimeout(() => signalGroup(child.pid, 'SIGKILL'), this.killGraceMs);
      };

      // A 401 is retried by the CLI for minutes; it will not get better.
      const reader = new ClaudeStreamReader((status) => {
        if (status === 401) stop('auth_failed');
      });
      const deadlineTimer = setTimeout(() => stop('timeout'), Math.max(0, input.deadline - Date.now()));
      const onAbort = () => stop('cancelled');
      input.signal.addEventListener('abort', onAbort, { once: true });
      if (input.signal.aborted) onAbort();

      const finish = (outcome: Omit<RunnerOutcome, 'stream' | 'stderrTail'>) => {
        if (settled) return;
        settled = true;
        clearTimeout(deadlineTimer);
        clearTimeout(killTimer);
        input.signal.removeEventListener('abort', onAbort);
        reader.end();
        resolve({ ...outcome, ...(stoppedBy ? { stoppedBy } : {}), stream: reader.summary, stderrTail });
      };

      child.stdout.setEncoding('utf8');
      child.stdout.on('data', (chunk: string) => {
        stdoutBytes += Buffer.byteLength(chunk);
        if (stdoutBytes > this.maxStdoutBytes) stop('output_too_large');
        else reader.push(chunk);
      });
      child.stderr.setEncoding('utf8');
      child.stderr.on('data', (chunk: string) => {
        stderrTail = (stderrTail + chunk).slice(-STDERR_TAIL_BYTES);
      });
      // The child may exit before reading all of stdin; that is its business.
      child.stdin.on('error', () => {});
      child.stdin.end(input.prompt);

      child.on('error', (error: NodeJS.ErrnoException) => {
        finish({ spawnError: error, exitCode: null, exitSignal: null });
      });
      // Once the CLI itself is gone, nothing it started may outlive it.
      child.on('exit', () => signalGroup(child.pid, 'SIGKILL'));
      child.on('close', (exitCode, exitSignal) => finish({ exitCode, exitSignal }));
    });
  }
}

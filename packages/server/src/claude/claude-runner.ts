// One headless CLI run: argument array (no shell), prompt on stdin, its own
// process group, a deadline, cancellation, and capped output.
import type { EnvOverlay } from '../process/env-overlay.js';
import type { ProcessLauncher } from '../process/process-launcher.js';
import { ClaudeStreamReader, type StreamEvent, type StreamSummary } from './claude-stream.js';

export interface RunnerInput {
  prompt: string;
  model: string;
  /** A file holding the system prompt: no argv size limit, and not visible in `ps`. */
  systemPromptFile?: string;
  /** A file holding text added to the end of the system prompt. */
  appendSystemPromptFile?: string;
  options?: RunOptions;
  cwd: string;
  /** Epoch ms after which the run is killed as timed out. */
  deadline: number;
  /** The client went away. */
  signal: AbortSignal;
  /** The service is shutting down and the grace period is over. */
  shutdown?: AbortSignal;
  /** Someone watches the run: told each event as it happens, text deltas included (--include-partial-messages). */
  onEvent?: ((event: StreamEvent) => void) | undefined;
  /** A session's turn: the conversation the CLI continues (or starts) instead of a throw-away one. */
  session?: CliSession | undefined;
  /** The Claude account's login for this run, over the CLI's usual environment. */
  env?: EnvOverlay | undefined;
}

/**
 * How a session's turn meets the CLI's own sessions (ids are always the
 * service's, never an app's): `start` the first turn, `resume` the rest,
 * `fork` a fork's first turn, from its copy of the origin's transcript.
 */
export type CliSession = { mode: 'start' | 'resume'; id: string } | { mode: 'fork'; id: string; from: string };

function sessionArgs(session: CliSession | undefined): string[] {
  if (!session) return ['--no-session-persistence'];
  if (session.mode === 'fork') return ['--resume', session.from, '--fork-session', '--session-id', session.id];
  return session.mode === 'start' ? ['--session-id', session.id] : ['--resume', session.id];
}

/** The per-run CLI options a token's policy has already allowed. */
export interface RunOptions {
  /** Built-in tools to enable; none when empty. */
  tools: readonly string[];
  fallbackModel?: string | undefined;
  /** A JSON Schema, serialized: the CLI then answers with a validated structured_output. */
  jsonSchema?: string | undefined;
  maxTurns?: number | undefined;
  maxBudgetUsd?: number | undefined;
  effort?: string | undefined;
}

/** Why the runner ended the child itself, if it did. */
export type StopCause = 'timeout' | 'stalled' | 'cancelled' | 'shutdown' | 'auth_failed' | 'output_too_large';

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
  launcher: ProcessLauncher;
  /** Time between SIGTERM and SIGKILL when the runner stops a child. */
  killGraceMs?: number;
  /** Most stdout bytes read before the child is killed as runaway. */
  maxStdoutBytes?: number;
  /** The operator's CLI settings file (CLAUDE_SETTINGS_FILE), passed as `--settings`. */
  settingsFile?: string | null;
  /** Longest silence on stdout before the child is stopped as stalled (RUN_IDLE_TIMEOUT_SECS). */
  idleTimeoutMs?: number;
}

const STDERR_TAIL_BYTES = 4096;
/** How much more stdout a watched run (--include-partial-messages) may print before it counts as runaway. */
const WATCHED_OUTPUT_FACTOR = 10;

/**
 * The CLI's arguments for one run. Every run, with tools or without, is
 * confined: `--restricted` keeps the file tools and `@` mentions inside the
 * run's working directory and ignores the user's settings files (the
 * operator's `--settings` file still applies); `--strict-mcp-config` keeps any
 * MCP server configured for the login from running for an app.
 */
export function buildClaudeArgs(
  input: Pick<RunnerInput, 'model' | 'systemPromptFile' | 'appendSystemPromptFile' | 'options' | 'onEvent' | 'session'>,
  settingsFile: string | null = null,
): string[] {
  const args = ['-p', '--output-format', 'stream-json', '--verbose', '--model', input.model, ...sessionArgs(input.session), '--restricted', '--strict-mcp-config'];
  // Deltas only for a run someone watches: a line per few tokens is output the blocking answer does not need.
  if (input.onEvent) args.push('--include-partial-messages');
  const { tools = [], fallbackModel, jsonSchema, maxTurns, maxBudgetUsd, effort } = input.options ?? {};
  if (tools.length === 0) {
    args.push('--tools', '');
  } else {
    // Only the granted tools exist, they run without asking, and anything else is denied rather than prompted for.
    const list = tools.join(',');
    args.push('--tools', list, '--allowedTools', list, '--permission-mode', 'dontAsk');
  }
  if (settingsFile) args.push('--settings', settingsFile);
  if (input.systemPromptFile) args.push('--system-prompt-file', input.systemPromptFile);
  if (input.appendSystemPromptFile) args.push('--append-system-prompt-file', input.appendSystemPromptFile);
  if (jsonSchema !== undefined) args.push('--json-schema', jsonSchema);
  if (maxTurns !== undefined) args.push('--max-turns', String(maxTurns));
  if (maxBudgetUsd !== undefined) args.push('--max-budget-usd', String(maxBudgetUsd));
  if (effort !== undefined) args.push('--effort', effort);
  if (fallbackModel !== undefined) args.push('--fallback-model', fallbackModel);
  return args;
}

/** Runs the real CLI in its own process group, through the spawn helper. */
export class SpawnRunner implements Runner {
  private readonly killGraceMs: number;
  private readonly maxStdoutBytes: number;
  private readonly idleTimeoutMs: number;

  constructor(private readonly options: SpawnRunnerOptions) {
    this.killGraceMs = options.killGraceMs ?? 2_000;
    this.maxStdoutBytes = options.maxStdoutBytes ?? 10 * 1024 * 1024;
    this.idleTimeoutMs = options.idleTimeoutMs ?? 600_000;
  }

  run(input: RunnerInput): Promise<RunnerOutcome> {
    return new Promise((resolve) => {
      let stoppedBy: StopCause | undefined;
      let stderrTail = '';
      let stdoutBytes = 0;
      let killTimer: NodeJS.Timeout | undefined;

      const stop = (cause: StopCause) => {
        if (stoppedBy) return;
        stoppedBy = cause;
        child.signal('SIGTERM');
        killTimer = setTimeout(() => child.signal('SIGKILL'), this.killGraceMs);
      };
      // A 401 is retried by the CLI for minutes; it will not get better.
      const reader = new ClaudeStreamReader((status) => {
        if (status === 401) stop('auth_failed');
      }, input.onEvent);

      const child = this.options.launcher.launch(
        {
          bin: this.options.bin,
          args: buildClaudeArgs(input, this.options.settingsFile ?? null),
          cwd: input.cwd,
          stdin: input.prompt,
          sweepAfter: input.options?.tools.includes('Bash') ?? false,
          ...(input.env ? { env: input.env } : {}),
        },
        {
          onStdout: (chunk) => {
            idleTimer.refresh();
            stdoutBytes += Buffer.byteLength(chunk);
            // A watched run's deltas take ~200 bytes of JSON a few characters each: it may print more.
            if (stdoutBytes > this.maxStdoutBytes * (input.onEvent ? WATCHED_OUTPUT_FACTOR : 1)) stop('output_too_large');
            else reader.push(chunk);
          },
          onStderr: (chunk) => {
            stderrTail = (stderrTail + chunk).slice(-STDERR_TAIL_BYTES);
          },
          onClose: (result) => {
            clearTimeout(deadlineTimer);
            clearTimeout(idleTimer);
            clearTimeout(killTimer);
            input.signal.removeEventListener('abort', onAbort);
            input.shutdown?.removeEventListener('abort', onShutdown);
            reader.end();
            resolve({ ...result, ...(stoppedBy ? { stoppedBy } : {}), stream: reader.summary, stderrTail });
          },
        },
      );

      const deadlineTimer = setTimeout(() => stop('timeout'), Math.max(0, input.deadline - Date.now()));
      // A CLI that hangs on a dead upstream stream prints nothing, and would hold its slot until the deadline.
      const idleTimer = setTimeout(() => stop('stalled'), this.idleTimeoutMs);
      const onAbort = () => stop('cancelled');
      input.signal.addEventListener('abort', onAbort, { once: true });
      if (input.signal.aborted) onAbort();
      const onShutdown = () => stop('shutdown');
      input.shutdown?.addEventListener('abort', onShutdown, { once: true });
      if (input.shutdown?.aborted) onShutdown();
    });
  }
}

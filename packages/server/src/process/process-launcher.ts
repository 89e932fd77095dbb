// Starts processes through the spawn helper (see spawn-helper-main.ts) and
// relays their output. The service uses one launcher for all runs.
import { fork, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EnvOverlay } from './env-overlay.js';
import type { FromHelper, ToHelper } from './launcher-protocol.js';
import { signalGroup } from './process-group.js';

export interface LaunchSpec {
  bin: string;
  args: string[];
  cwd: string;
  stdin: string;
  /** It can run arbitrary commands (a granted Bash), which may outlive it: see stray-processes.ts. */
  sweepAfter?: boolean;
  /** Its changes to the environment every child gets (a Claude account's login). */
  env?: EnvOverlay;
}

export interface LaunchResult {
  exitCode: number | null;
  exitSignal: NodeJS.Signals | null;
  /** Set when the process could not be started (code ENOENT, EACCES, ... or EHELPER). */
  spawnError?: NodeJS.ErrnoException;
}

export interface LaunchHandlers {
  onStdout(data: string): void;
  onStderr(data: string): void;
  onClose(result: LaunchResult): void;
}

export interface LaunchedProcess {
  /** Signals the process's whole group. */
  signal(signal: NodeJS.Signals): void;
}

interface Pending {
  handlers: LaunchHandlers;
  pid?: number;
}

function helperEntry(): { path: string; execArgv: string[] } {
  const here = fileURLToPath(import.meta.url);
  // From source (tests, dev) the helper is TypeScript too and needs tsx to load.
  if (here.endsWith('.ts')) return { path: join(dirname(here), 'spawn-helper-main.ts'), execArgv: ['--import', import.meta.resolve('tsx')] };
  return { path: join(dirname(here), 'spawn-helper-main.js'), execArgv: [] };
}

export class ProcessLauncher {
  private helper: ChildProcess | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private closing = false;

  /**
   * @param identity the environment every launched process gets (the helper's
   *   own too), and the user to launch as when not the service's own.
   */
  constructor(private readonly identity: { env: Readonly<Record<string, string>>; user: { uid: number; gid: number } | null }) {}

  launch(spec: LaunchSpec, handlers: LaunchHandlers): LaunchedProcess {
    const id = this.nextId++;
    const entry: Pending = { handlers };
    this.pending.set(id, entry);
    const { user } = this.identity;
    this.send({ t: 'spawn', id, ...spec, ...(user ? { uid: user.uid, gid: user.gid } : {}) });
    return {
      signal: (signal) => {
        if (this.pending.has(id)) this.send({ t: 'signal', id, signal });
      },
    };
  }

  /** Stops the helper; it kills whatever is still running on its way out. */
  async close(): Promise<void> {
    this.closing = true;
    const helper = this.helper;
    if (!helper || helper.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      helper.once('exit', () => resolve());
      helper.disconnect();
    });
  }

  private send(message: ToHelper): void {
    const helper = this.ensureHelper();
    helper.send(message);
  }

  private ensureHelper(): ChildProcess {
    if (this.helper && this.helper.connected) return this.helper;
    const { path, execArgv } = helperEntry();
    const { user } = this.identity;
    // Detached: a SIGKILL to the service's process group (kill -9 -PGID) leaves the helper alive to see the
    // channel close and kill every run, instead of dying with the service and leaving the runs behind.
    const helper = fork(path, user ? ['--sweep-uid', String(user.uid)] : [], {
      env: this.identity.env,
      execArgv,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      serialization: 'json',
      detached: true,
    });
    // The environment goes once, not with every run.
    helper.send({ t: 'env', env: { ...this.identity.env } } satisfies ToHelper);
    helper.on('message', (message: FromHelper) => this.onMessage(message));
    helper.on('exit', () => this.onHelperExit(helper));
    this.helper = helper;
    return helper;
  }

  private onMessage(message: FromHelper): void {
    const entry = this.pending.get(message.id);
    if (!entry) return;
    switch (message.t) {
      case 'pid':
        entry.pid = message.pid;
        break;
      case 'out':
        entry.handlers.onStdout(message.data);
        break;
      case 'err':
        entry.handlers.onStderr(message.data);
        break;
      case 'close': {
        this.pending.delete(message.id);
        const spawnError = message.error
          ? Object.assign(new Error(message.error.message), { code: message.error.code })
          : undefined;
        entry.handlers.onClose({ exitCode: message.code, exitSignal: message.signal, ...(spawnError ? { spawnError } : {}) });
        break;
      }
    }
  }

  /** The helper died: its runs' groups are orphans now, so end them and fail their runs. */
  private onHelperExit(helper: ChildProcess): void {
    if (this.helper === helper) this.helper = undefined;
    for (const [id, entry] of this.pending) {
      signalGroup(entry.pid, 'SIGKILL');
      this.pending.delete(id);
      const spawnError = Object.assign(new Error(this.closing ? 'service shutting down' : 'spawn helper exited'), { code: 'EHELPER' });
      entry.handlers.onClose({ exitCode: null, exitSignal: null, spawnError });
    }
  }
}

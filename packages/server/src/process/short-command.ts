import { spawn } from 'node:child_process';
import { signalGroup } from './process-group.js';

export interface ShortCommandResult {
  /** Null when the command could not be started (`error` says why) or was killed. */
  exitCode: number | null;
  stdout: string;
  error?: NodeJS.ErrnoException;
  timedOut: boolean;
}

const MAX_OUTPUT = 64 * 1024;

/** Runs a quick command (no shell, stdin closed) and collects its stdout, killing it after `timeoutMs`. */
export function runShortCommand(
  bin: string,
  args: string[],
  options: { env: Readonly<Record<string, string>>; cwd?: string; timeoutMs: number; user?: { uid: number; gid: number } | null },
): Promise<ShortCommandResult> {
  return new Promise((resolve) => {
    let stdout = '';
    let timedOut = false;
    const child = spawn(bin, args, {
      env: options.env,
      cwd: options.cwd,
      stdio: ['ignore', 'pipe', 'ignore'],
      detached: true,
      ...(options.user ? { uid: options.user.uid, gid: options.user.gid } : {}),
    });
    const timer = setTimeout(() => {
      timedOut = true;
      signalGroup(child.pid, 'SIGKILL');
    }, options.timeoutMs);
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      if (stdout.length < MAX_OUTPUT) stdout += chunk.slice(0, MAX_OUTPUT - stdout.length);
    });
    child.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      resolve({ exitCode: null, stdout, error, timedOut });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      signalGroup(child.pid, 'SIGKILL'); // reap anything the command left behind
      resolve({ exitCode: code, stdout, timedOut });
    });
  });
}

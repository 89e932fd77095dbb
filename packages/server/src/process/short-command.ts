// A quick command (`claude --version`, `claude auth status`) through the spawn
// helper, like runs: as the run user, with the CLI's environment, counted as
// live while it runs (the helper's stray sweep leaves it alone).
import type { ProcessLauncher } from './process-launcher.js';

export interface ShortCommandResult {
  /** Null when the command could not be started (`error` says why) or was killed. */
  exitCode: number | null;
  stdout: string;
  error?: NodeJS.ErrnoException;
  timedOut: boolean;
}

const MAX_OUTPUT = 64 * 1024;

/** Runs `bin args` from `/` with stdin closed, collects its stdout, and kills it after `timeoutMs`. */
export function runShortCommand(launcher: ProcessLauncher, bin: string, args: string[], timeoutMs: number): Promise<ShortCommandResult> {
  return new Promise((resolve) => {
    let stdout = '';
    let timedOut = false;
    const child = launcher.launch(
      { bin, args, cwd: '/', stdin: '' },
      {
        onStdout: (chunk) => {
          if (stdout.length < MAX_OUTPUT) stdout += chunk.slice(0, MAX_OUTPUT - stdout.length);
        },
        onStderr: () => {},
        onClose: (result) => {
          clearTimeout(timer);
          resolve({ exitCode: timedOut ? null : result.exitCode, stdout, timedOut, ...(result.spawnError ? { error: result.spawnError } : {}) });
        },
      },
    );
    const timer = setTimeout(() => {
      timedOut = true;
      child.signal('SIGKILL');
    }, timeoutMs);
  });
}

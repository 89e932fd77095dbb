// The service as its own process: `node --conditions=source --import tsx src/main.ts`.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { fakeClaudePassthrough } from './test-server.js';

export const MAIN_TS = fileURLToPath(new URL('../../src/main.ts', import.meta.url));
const TSX = import.meta.resolve('tsx');

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  output(): string;
  /** Sends SIGTERM and waits for the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Spawns the service from source, or from `entry` (a built file) with `args`; `detached`: in a process group of its own. */
export function spawnServer(env: Record<string, string>, cwd: string, entry?: string, args: string[] = [], detached = false): ChildProcess {
  const command = entry ? [entry, ...args] : ['--conditions=source', '--import', TSX, MAIN_TS];
  return spawn(process.execPath, command, {
    detached,
    cwd,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? cwd, LOG_LEVEL: 'info', RUN_AS_USER: 'root', ...fakeClaudePassthrough(env), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

const START_TIMEOUT_MS = 30_000;

/** Starts the service process and waits for its "listening" log line (at info level). */
export async function startServerProcess(
  env: Record<string, string>,
  cwd: string,
  entry?: string,
  args?: string[],
  options: { detached?: boolean } = {},
): Promise<ServerProcess> {
  const child = spawnServer({ PORT: '0', ...env }, cwd, entry, args, options.detached ?? false);
  let output = '';
  child.stderr!.on('data', (chunk) => (output += chunk));
  const url = await new Promise<string>((resolve, reject) => {
    // A service that never says it listens is killed, not left behind by a timed-out hook.
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`server did not log its "listening" line within ${START_TIMEOUT_MS} ms: ${output}`));
    }, START_TIMEOUT_MS);
    child.stdout!.on('data', (chunk) => {
      output += chunk;
      const match = /"url":"(http:[^"]+)"/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}: ${output}`));
    });
  });
  return {
    child,
    url,
    output: () => output,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode !== null) return child.exitCode;
      child.kill(signal);
      const [code] = await once(child, 'exit');
      return code as number | null;
    },
  };
}

// The operator CLI (src/cli.ts) as its own process, from source, with only the environment given.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

export const CLI_TS = fileURLToPath(new URL('../../src/cli.ts', import.meta.url));
export const CLI_NODE_ARGS = ['--conditions=source', '--import', import.meta.resolve('tsx'), CLI_TS];

/** JSON when it is, else the text (usage messages). */
export function parseOutput(text: string): any {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export interface CliResult {
  status: number | null;
  out: any;
  err: string;
  errJson: any;
}

/** Runs it without blocking: a service under test in this process keeps serving meanwhile (spawnSync would stall it). */
export async function runOperatorCli(cwd: string, env: Record<string, string>, args: string[]): Promise<CliResult> {
  const result = await promisify(execFile)(process.execPath, [...CLI_NODE_ARGS, ...args], { cwd, env, encoding: 'utf8' }).then(
    ({ stdout, stderr }) => ({ status: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => ({ status: error.code, stdout: error.stdout, stderr: error.stderr }),
  );
  return { status: result.status, out: parseOutput(result.stdout), err: result.stderr, errJson: parseOutput(result.stderr.trim()) };
}

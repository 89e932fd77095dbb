import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The fake CLI fixture (see its header for the prompt markers). */
export const FAKE_CLAUDE = fileURLToPath(new URL('../fixtures/fake-claude.mjs', import.meta.url));

/** True while a process with this pid exists (and is not a zombie we reaped). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // A zombie still answers kill(0): read its state from /proc.
  try {
    return !/^\S+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/** Polls `check` until it is truthy and returns that value; throws, saying what it waited for, once `timeoutMs` passes. */
export async function waitFor<T>(check: () => T | Promise<T>, timeoutMs = 10_000, intervalMs = 25): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > until) throw new Error(`waited ${timeoutMs} ms for ${check.toString().slice(0, 300)}; last value: ${String(value)}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** Reads a pid written by the fake CLI's [[pidfile:...]] marker, waiting for it to appear. */
export async function readPid(path: string): Promise<number> {
  await waitFor(() => existsSync(path) && readFileSync(path, 'utf8').length > 0);
  return Number(readFileSync(path, 'utf8'));
}

/** The real Claude Code CLI binary from the pinned dev dependency. */
export function realClaudeBin(): string {
  const packageJson = createRequire(import.meta.url).resolve('@anthropic-ai/claude-code/package.json');
  return join(dirname(packageJson), 'bin', 'claude.exe');
}

import { afterEach, describe, expect, it } from 'vitest';
import { ProcessLauncher, type LaunchResult } from './process-launcher.js';

/** Launches through a real spawn helper and collects what the process printed and how it ended. */
function launchAndWait(launcher: ProcessLauncher, args: string[], stdin: string) {
  let stdout = '';
  let started: ReturnType<ProcessLauncher['launch']> | undefined;
  const ended = new Promise<LaunchResult & { stdout: string }>((resolve) => {
    started = launcher.launch(
      { bin: '/bin/sh', args, cwd: '/', stdin },
      { onStdout: (data) => (stdout += data), onStderr: () => {}, onClose: (result) => resolve({ ...result, stdout }) },
    );
  });
  return { process: started!, ended };
}

describe('the spawn helper', () => {
  let launcher: ProcessLauncher;
  afterEach(async () => launcher.close());

  it('gives each of a burst of eight runs its whole stdin, and then its EOF', async () => {
    launcher = new ProcessLauncher({ env: { PATH: process.env.PATH ?? '/usr/bin:/bin' }, user: null });
    const prompts = Array.from({ length: 8 }, (_, i) => String(i).repeat(100_000 + i));
    const runs = prompts.map((prompt) => launchAndWait(launcher, ['-c', 'wc -c'], prompt).ended);
    const results = await Promise.all(runs);
    expect(results.map((result) => Number(result.stdout.trim()))).toEqual(prompts.map((prompt) => prompt.length));
    expect(results.every((result) => result.exitCode === 0)).toBe(true);
  });

  it('ends a run signalled before its turn to start, as if it had been killed', async () => {
    launcher = new ProcessLauncher({ env: { PATH: process.env.PATH ?? '/usr/bin:/bin' }, user: null });
    // Both requests and the signal reach the helper together: the second run is still waiting when it is told to stop.
    const first = launchAndWait(launcher, ['-c', 'exec sleep 30'], '');
    const second = launchAndWait(launcher, ['-c', 'exec sleep 30'], '');
    second.process.signal('SIGTERM');
    first.process.signal('SIGTERM');
    const [firstEnd, secondEnd] = await Promise.all([first.ended, second.ended]);
    expect(secondEnd).toMatchObject({ exitCode: null, exitSignal: 'SIGTERM' });
    expect(firstEnd).toMatchObject({ exitCode: null, exitSignal: 'SIGTERM' });
  });
});

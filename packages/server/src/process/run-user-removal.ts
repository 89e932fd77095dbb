// Removal of trees the run user can write, done as that user (see run-dir.ts):
// whatever such a tree holds or becomes mid-removal, the removal can only
// delete what the run user could have deleted itself.
import type { RemoveAsRunUser } from '../claude/run-dir.js';
import type { ProcessLauncher } from './process-launcher.js';
import { runShortCommand } from './short-command.js';

const STEP_TIMEOUT_MS = 30_000;

/** A RemoveAsRunUser that runs `chmod` and `find` through the launcher (as the run user, no shell). */
export function removerAsRunUser(launcher: ProcessLauncher): RemoveAsRunUser {
  return async (trees) => {
    for (const { path, keepTop } of trees) {
      // A model may have made its own directories read-only; neither command follows a symlink inside the tree.
      await runShortCommand(launcher, 'chmod', ['-R', 'u+rwX', '--', path], STEP_TIMEOUT_MS);
      const result = await runShortCommand(launcher, 'find', [path, ...(keepTop ? ['-mindepth', '1'] : []), '-delete'], STEP_TIMEOUT_MS);
      if (result.exitCode !== 0) throw new Error(`removing ${path} as the run user failed (find exit ${result.exitCode ?? 'none'})`);
    }
  };
}

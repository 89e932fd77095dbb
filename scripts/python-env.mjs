// The project's Python environment: .venv at the repo root with the pinned
// tools of openapi/python/requirements.txt. Created or refreshed when the
// requirements change, so a fresh clone needs only `python3`.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const venv = join(root, '.venv');
const requirements = join(root, 'openapi/python/requirements.txt');
const stamp = join(venv, '.requirements.sha256');

export const venvBin = join(venv, 'bin');
/** The environment to run the venv's tools in (ruff must be on PATH for the generator). */
export const venvEnv = { ...process.env, PATH: `${venvBin}:${process.env.PATH ?? ''}`, VIRTUAL_ENV: venv };

function run(bin, args, options = {}) {
  const result = spawnSync(bin, args, { cwd: root, stdio: 'inherit', ...options });
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`${bin} ${args.join(' ')} failed (exit ${result.status})`);
}

/** Makes sure .venv exists with the pinned requirements; returns its python. */
export function ensurePythonEnv() {
  const wanted = createHash('sha256').update(readFileSync(requirements)).digest('hex');
  const python = join(venvBin, 'python');
  if (existsSync(python) && existsSync(stamp) && readFileSync(stamp, 'utf8') === wanted) return python;
  const system = process.env.PYTHON ?? 'python3';
  run(system, ['-m', 'venv', venv]);
  run(python, ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '-r', requirements]);
  writeFileSync(stamp, wanted);
  return python;
}

export { run };

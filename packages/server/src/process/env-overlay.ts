// A change to the environment the spawn helper gives its children, for one
// child: what a run on a given Claude account needs (see accounts/).

export interface EnvOverlay {
  set: Readonly<Record<string, string>>;
  unset: readonly string[];
}

/** `env` with the overlay's names dropped, then its values set. */
export function applyOverlay(env: Readonly<Record<string, string>>, overlay: EnvOverlay | undefined): Record<string, string> {
  if (!overlay) return env as Record<string, string>;
  const result = { ...env };
  for (const name of overlay.unset) delete result[name];
  return Object.assign(result, overlay.set);
}

// Splits a usage window [since, until) into the whole UTC hours the rollup can
// answer and the partial hours at its edges that must be read from audit rows.
import { storedInstant } from '../db/instant.js';

const HOUR_MS = 60 * 60 * 1000;

export interface InstantRange {
  from: string;
  to: string;
}

export interface UsageWindow {
  /** since/until as stored timestamps are written (toISOString), so text comparison is time order. */
  since: string | null;
  until: string | null;
  /** Hours as 'YYYY-MM-DDTHH'; null bounds are open. Absent when the window holds no whole hour. */
  wholeHours: { fromHour: string | null; toHour: string | null } | null;
  edges: InstantRange[];
}

const hourOf = (ms: number) => new Date(ms).toISOString().slice(0, 13);
const instant = (ms: number) => new Date(ms).toISOString();

export function splitWindow(since?: string, until?: string): UsageWindow {
  const sinceMs = since === undefined ? null : Date.parse(since);
  const untilMs = until === undefined ? null : Date.parse(until);
  const normalized = { since: since === undefined ? null : storedInstant(since), until: until === undefined ? null : storedInstant(until) };
  if (sinceMs !== null && untilMs !== null && sinceMs >= untilMs) return { ...normalized, wholeHours: null, edges: [] };

  const firstWholeHour = sinceMs === null ? null : Math.ceil(sinceMs / HOUR_MS) * HOUR_MS;
  const endOfWholeHours = untilMs === null ? null : Math.floor(untilMs / HOUR_MS) * HOUR_MS;
  if (firstWholeHour !== null && endOfWholeHours !== null && firstWholeHour >= endOfWholeHours) {
    return { ...normalized, wholeHours: null, edges: [{ from: instant(sinceMs!), to: instant(untilMs!) }] };
  }
  const edges: InstantRange[] = [];
  if (sinceMs !== null && firstWholeHour! > sinceMs) edges.push({ from: instant(sinceMs), to: instant(firstWholeHour!) });
  if (untilMs !== null && untilMs > endOfWholeHours!) edges.push({ from: instant(endOfWholeHours!), to: instant(untilMs) });
  return {
    ...normalized,
    wholeHours: {
      fromHour: firstWholeHour === null ? null : hourOf(firstWholeHour),
      toHour: endOfWholeHours === null ? null : hourOf(endOfWholeHours),
    },
    edges,
  };
}

// Messages between the service and its spawn helper (over Node's IPC channel).
import type { EnvOverlay } from './env-overlay.js';

export interface SpawnRequest {
  t: 'spawn';
  id: number;
  bin: string;
  args: string[];
  cwd: string;
  /** Written to the child's stdin, which is then closed. */
  stdin: string;
  /** When set, the child runs as this user and group (the helper is root then). */
  uid?: number;
  gid?: number;
  /** The child can run arbitrary commands (a granted Bash): sweep the run user's strays when it ends. */
  sweepAfter?: boolean;
  /** This child's changes to the environment sent first (a Claude account's login). */
  env?: EnvOverlay;
}

export interface SignalRequest {
  t: 'signal';
  id: number;
  signal: NodeJS.Signals;
}

/** Sent once, first: every child's whole environment (nothing of the helper's own leaks in). */
export interface EnvironmentMessage {
  t: 'env';
  env: Record<string, string>;
}

export type ToHelper = EnvironmentMessage | SpawnRequest | SignalRequest;

export type FromHelper =
  | { t: 'pid'; id: number; pid: number }
  | { t: 'out'; id: number; data: string }
  | { t: 'err'; id: number; data: string }
  | { t: 'close'; id: number; code: number | null; signal: NodeJS.Signals | null; error?: { code: string; message: string } };

// Lines caused by what a peer sends are capped per peer, so a client that
// misbehaves in a loop cannot flood the log: a few lines a minute, then one
// line saying how many were left out.
import type { Logger } from 'pino';
import { peerKey } from './connection-guard.js';

const MAX_PEERS = 1000;

export interface PeerLogLimits {
  level: 'info' | 'warn';
  perMinute: number;
  /** Names what was left out, in the summary line. */
  what: string;
}

export class PeerLogLimiter {
  private readonly windows = new Map<string, { startedAt: number; count: number }>();

  constructor(
    private readonly logger: Logger,
    private readonly limits: PeerLogLimits = { level: 'warn', perMinute: 5, what: 'warnings' },
    private readonly now: () => number = Date.now,
  ) {}

  log(peer: string, fields: Record<string, unknown>, message: string): void {
    if (this.admit(peer)) this.logger[this.limits.level]({ peer, ...fields }, message);
  }

  /** Drops the windows that are over; true when that made room. */
  private pruneExpired(now: number): boolean {
    for (const [key, window] of this.windows) if (now - window.startedAt >= 60_000) this.windows.delete(key);
    return this.windows.size < MAX_PEERS;
  }

  /** Counts a line about `peer`; true when it is within the limit and should be written. */
  admit(peer: string): boolean {
    const key = peerKey(peer);
    const now = this.now();
    let window = this.windows.get(key);
    if (!window || now - window.startedAt >= 60_000) {
      if (window && window.count > this.limits.perMinute) {
        this.logger[this.limits.level]({ peer, suppressed: window.count - this.limits.perMinute }, `suppressed ${this.limits.what} about this peer`);
      }
      if (!window && this.windows.size >= MAX_PEERS && !this.pruneExpired(now)) return false; // full of live windows: a flood of addresses stays capped
      window = { startedAt: now, count: 0 };
      this.windows.set(key, window);
    }
    window.count += 1;
    return window.count <= this.limits.perMinute;
  }
}

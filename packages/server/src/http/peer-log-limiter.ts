// Warnings caused by what a peer sends are capped per peer, so a client that
// misbehaves in a loop cannot flood the log: a few lines a minute, then one
// line saying how many were left out.
import type { Logger } from 'pino';

const PER_MINUTE = 5;
const MAX_PEERS = 1000;

export class PeerLogLimiter {
  private readonly windows = new Map<string, { startedAt: number; count: number }>();

  constructor(
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  warn(peer: string, fields: Record<string, unknown>, message: string): void {
    const now = this.now();
    let window = this.windows.get(peer);
    if (!window || now - window.startedAt >= 60_000) {
      if (window && window.count > PER_MINUTE) this.logger.warn({ peer, suppressed: window.count - PER_MINUTE }, 'suppressed warnings about this peer');
      if (!window && this.windows.size >= MAX_PEERS) this.windows.delete(this.windows.keys().next().value!);
      window = { startedAt: now, count: 0 };
      this.windows.set(peer, window);
    }
    window.count += 1;
    if (window.count <= PER_MINUTE) this.logger.warn({ peer, ...fields }, message);
  }
}

// The app-token check every app request makes, on prepared better-sqlite3
// statements run synchronously: no query building, no promise hand-off. A
// refused token costs one indexed read; last_used_at is written at most once
// a second per app (a no-op update is still a statement, so the service also
// remembers when it last wrote it).
import type SQLite from 'better-sqlite3';
import type { TokenPolicy } from '@clawdforge/shared';
import { parsePolicy } from './tokens.repository.js';

export interface AppTokenRecord {
  name: string;
  /** When the token was minted: a name revoked and minted again is another token. */
  createdAt: string;
  ipCidrs: string[];
  policy: TokenPolicy;
}

interface TokenRow {
  name: string;
  created_at: string;
  ip_cidrs: string;
  policy: string;
}

const TOUCH_RESOLUTION_MS = 1000;

export class TokenLookup {
  private readonly current: SQLite.Statement<[string], TokenRow>;
  private readonly previous: SQLite.Statement<[string, string], TokenRow>;
  private readonly touch: SQLite.Statement<[string, string, string]>;
  private readonly touchedAt = new Map<string, number>();

  constructor(sqlite: SQLite.Database) {
    this.current = sqlite.prepare('select name, created_at, ip_cidrs, policy from tokens where token_hash = ?');
    this.previous = sqlite.prepare('select name, created_at, ip_cidrs, policy from tokens where previous_token_hash = ? and previous_expires_at > ?');
    this.touch = sqlite.prepare('update tokens set last_used_at = ? where name = ? and (last_used_at is null or last_used_at < ?)');
  }

  /** The token with this hash, current or (until its grace ends) replaced by a rotation. */
  find(tokenHash: string, now: Date): AppTokenRecord | undefined {
    const row = this.current.get(tokenHash) ?? this.previous.get(tokenHash, now.toISOString());
    return row && { name: row.name, createdAt: row.created_at, ipCidrs: JSON.parse(row.ip_cidrs) as string[], policy: parsePolicy(row.policy) };
  }

  /** Sets last_used_at, at most once per second per app. */
  touched(name: string, now: Date): void {
    const at = now.getTime();
    if (at - (this.touchedAt.get(name) ?? -Infinity) < TOUCH_RESOLUTION_MS) return;
    if (this.touchedAt.size >= 10_000) this.touchedAt.clear();
    this.touchedAt.set(name, at);
    this.touch.run(now.toISOString(), name, new Date(at - TOUCH_RESOLUTION_MS).toISOString());
  }
}

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
  private readonly byHash: SQLite.Statement<[string, string, string], TokenRow>;
  private readonly touch: SQLite.Statement<[string, string, string]>;
  private readonly byNameAndMint: SQLite.Statement<[string, string], Omit<TokenRow, 'name' | 'created_at'>>;
  private readonly touchedAt = new Map<string, number>();

  constructor(sqlite: SQLite.Database) {
    // One statement, both indexes: a wrong token (the common refusal) costs one call, not two.
    this.byHash = sqlite.prepare(
      `select name, created_at, ip_cidrs, policy, 0 as replaced from tokens where token_hash = ?
       union all
       select name, created_at, ip_cidrs, policy, 1 as replaced from tokens where previous_token_hash = ? and previous_expires_at > ?
       order by replaced limit 1`,
    );
    this.byNameAndMint = sqlite.prepare('select ip_cidrs, policy from tokens where name = ? and created_at = ?');
    this.touch = sqlite.prepare('update tokens set last_used_at = ? where name = ? and (last_used_at is null or last_used_at < ?)');
  }

  /** The token with this hash, current or (until its grace ends) replaced by a rotation. */
  find(tokenHash: string, now: Date): AppTokenRecord | undefined {
    const row = this.byHash.get(tokenHash, tokenHash, now.toISOString());
    return row && { name: row.name, createdAt: row.created_at, ipCidrs: JSON.parse(row.ip_cidrs) as string[], policy: parsePolicy(row.policy) };
  }

  /** The same token (name and mint time) as it stands now: its policy may have changed, or it may be gone. */
  current(name: string, createdAt: string): AppTokenRecord | undefined {
    const row = this.byNameAndMint.get(name, createdAt);
    return row && { name, createdAt, ipCidrs: JSON.parse(row.ip_cidrs) as string[], policy: parsePolicy(row.policy) };
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

// Sessions on prepared better-sqlite3 statements: a turn reads its session and
// takes the session's lock in one synchronous step, so nothing (an expiry, a
// delete, another turn) can come between the two.
import type SQLite from 'better-sqlite3';
import type { Selectable } from 'kysely';
import type { SessionsTable } from '../db/schema.js';

export type SessionRow = Selectable<SessionsTable>;
export type NewSession = Omit<SessionRow, 'turns' | 'attempts' | 'input_tokens' | 'output_tokens' | 'cost_micro_usd' | 'open_turn' | 'state' | 'ended_at' | 'cli_config_dir'>;

/** What a finished turn adds to its session. */
export interface TurnTally {
  completed: boolean;
  inputTokens: number;
  outputTokens: number;
  costMicroUsd: number;
  at: string;
  expiresAt: string;
}

const NEW_SESSION_COLUMNS = [
  'id', 'app', 'token_created_at', 'cli_session_id', 'dir_name', 'writable', 'model', 'tools', 'system', 'append_system', 'json_schema',
  'ttl_secs', 'created_at', 'last_activity_at', 'expires_at', 'forked_from', 'fork_source', 'account',
] as const satisfies ReadonlyArray<keyof NewSession>;

export class SessionsRepository {
  private readonly insert: SQLite.Statement;
  private readonly byId: SQLite.Statement<[string], SessionRow>;
  private readonly activeOf: SQLite.Statement<[string, string], SessionRow>;
  private readonly countActive: SQLite.Statement<[string, string, string], { count: number }>;
  private readonly nextAttempt: SQLite.Statement<[string], { attempts: number }>;
  private readonly tally: SQLite.Statement<[number, number, number, number, string, string, string]>;
  private readonly forgetSettings: SQLite.Statement<[string]>;
  private readonly clearForkSource: SQLite.Statement<[string]>;
  private readonly setOpen: SQLite.Statement<[number, string]>;
  private readonly setAccount: SQLite.Statement<[string | null, string, string]>;
  private readonly expire: SQLite.Statement<[string, string, string]>;
  private readonly endNow: SQLite.Statement<[string, string]>;
  private readonly ownerless: SQLite.Statement<[number], SessionRow>;
  private readonly remove: SQLite.Statement<[string]>;
  private readonly overdue: SQLite.Statement<[string, number], SessionRow>;
  private readonly endedBefore: SQLite.Statement<[string]>;
  private readonly live: SQLite.Statement<[], SessionRow>;
  private readonly countLive: SQLite.Statement<[], { count: number }>;

  constructor(sqlite: SQLite.Database) {
    this.insert = sqlite.prepare(`insert into sessions (${NEW_SESSION_COLUMNS.join(', ')}, state) values (${NEW_SESSION_COLUMNS.map((c) => `@${c}`).join(', ')}, 'active')`);
    this.byId = sqlite.prepare('select * from sessions where id = ?');
    this.activeOf = sqlite.prepare("select * from sessions where app = ? and token_created_at = ? and state = 'active' order by created_at desc, id");
    this.countActive = sqlite.prepare("select count(*) as count from sessions where app = ? and token_created_at = ? and state = 'active' and expires_at > ?");
    this.nextAttempt = sqlite.prepare('update sessions set attempts = attempts + 1 where id = ? returning attempts');
    this.tally = sqlite.prepare(
      "update sessions set turns = turns + ?, input_tokens = input_tokens + ?, output_tokens = output_tokens + ?, cost_micro_usd = cost_micro_usd + ?, last_activity_at = ?, expires_at = ? where id = ? and state = 'active'",
    );
    this.forgetSettings = sqlite.prepare('update sessions set system = null, append_system = null where id = ?');
    this.clearForkSource = sqlite.prepare('update sessions set fork_source = null where id = ?');
    this.setOpen = sqlite.prepare('update sessions set open_turn = ? where id = ?');
    this.setAccount = sqlite.prepare('update sessions set account = ?, cli_config_dir = ? where id = ?');
    // An ended session keeps what says why it is gone, not its settings (a system prompt may be 100,000 characters).
    const ended = "state = 'expired', ended_at = ?, system = null, append_system = null, json_schema = null";
    this.expire = sqlite.prepare(`update sessions set ${ended} where id = ? and state = 'active' and expires_at <= ?`);
    this.endNow = sqlite.prepare(`update sessions set ${ended} where id = ? and state = 'active'`);
    this.ownerless = sqlite.prepare(
      "select * from sessions s where state = 'active' and not exists (select 1 from tokens t where t.name = s.app and t.created_at = s.token_created_at) limit ?",
    );
    this.remove = sqlite.prepare('delete from sessions where id = ?');
    this.overdue = sqlite.prepare("select * from sessions where state = 'active' and expires_at <= ? order by expires_at limit ?");
    this.endedBefore = sqlite.prepare("delete from sessions where state = 'expired' and ended_at < ?");
    this.live = sqlite.prepare("select * from sessions where state = 'active'");
    this.countLive = sqlite.prepare("select count(*) as count from sessions where state = 'active'");
  }

  create(row: NewSession): void {
    this.insert.run(row);
  }

  find(id: string): SessionRow | undefined {
    return this.byId.get(id);
  }

  /** The owner's live sessions, newest first. */
  listActive(app: string, tokenCreatedAt: string): SessionRow[] {
    return this.activeOf.all(app, tokenCreatedAt);
  }

  /** The owner's sessions not yet due to expire at `now`. */
  activeCount(app: string, tokenCreatedAt: string, now: string): number {
    return this.countActive.get(app, tokenCreatedAt, now)!.count;
  }

  /** A turn begins: its number (every attempt has its own, so a retried turn's files never meet the failed one's). */
  startAttempt(id: string): number {
    return this.nextAttempt.get(id)!.attempts;
  }

  /** A turn ended: its tokens and cost are added, and the idle clock starts again. */
  addTurn(id: string, turn: TurnTally): void {
    this.tally.run(turn.completed ? 1 : 0, turn.inputTokens, turn.outputTokens, turn.costMicroUsd, turn.at, turn.expiresAt, id);
  }

  /** The CLI keeps the system prompt from the first turn on: the service need not. */
  settingsHandedOver(id: string): void {
    this.forgetSettings.run(id);
  }

  /** A turn has the session open (true) or sealed it again (false). */
  markOpen(id: string, open: boolean): void {
    this.setOpen.run(open ? 1 : 0, id);
  }

  /** The account a turn is about to run on, and the config dir where the CLI will keep the session's state meanwhile. */
  useAccount(id: string, account: string | null, configDir: string): void {
    this.setAccount.run(account, configDir, id);
  }

  forkDone(id: string): void {
    this.clearForkSource.run(id);
  }

  /** Marks the session expired (a tombstone, so a late turn hears why) if it still is due at `at`; false otherwise. */
  markExpired(id: string, at: string): boolean {
    return this.expire.run(at, id, at).changes === 1;
  }

  /** Ends the session now, due or not (its token was revoked); false when it was not active. */
  markEnded(id: string, at: string): boolean {
    return this.endNow.run(at, id).changes === 1;
  }

  /** Live sessions whose token is gone: revoked, or revoked and minted again under the name. */
  orphanedSessions(limit: number): SessionRow[] {
    return this.ownerless.all(limit);
  }

  liveCount(): number {
    return this.countLive.get()!.count;
  }

  liveSessions(): SessionRow[] {
    return this.live.all();
  }


  delete(id: string): void {
    this.remove.run(id);
  }

  /** Active sessions whose idle time is up, oldest first. */
  overdueSessions(now: string, limit: number): SessionRow[] {
    return this.overdue.all(now, limit);
  }

  /** Forgets expired sessions' tombstones older than `cutoff`; returns how many. */
  pruneTombstones(cutoff: string): number {
    return this.endedBefore.run(cutoff).changes;
  }

}

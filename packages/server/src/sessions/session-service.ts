// Sessions: conversations the CLI itself keeps (its --session-id and --resume),
// each with a working directory that lasts as long as it does. A turn sends
// only the new prompt; the CLI has the history. A turn is a run like any other
// (policy, quotas, queue, one audit row), with the session's directory and
// settings, one at a time per session. Ids the CLI sees are the service's own,
// never an app's, and a session belongs to the token that made it (its name
// and mint time), like an async run. Between turns a session is sealed away
// from every run (session-seal.ts).
import { existsSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import {
  DEFAULT_SESSION_TTL_SECS,
  type AsyncRunAccepted,
  type RunResponse,
  type Session,
  type SessionCreated,
  type createSessionRequestSchema,
  type turnRequestSchema,
} from '@clawdforge/shared';
import type { z } from 'zod';
import type { Logger } from 'pino';
import type { AuthenticatedApp } from '../auth/app-auth.js';
import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import { ApiError } from '../errors.js';
import { applyPolicy } from '../admission/run-policy.js';
import { checkJsonSchema } from '../admission/json-schema.js';
import type { AsyncRuns } from '../async-runs/async-run-service.js';
import type { AccountTarget } from '../accounts/account-pool.js';
import type { CliSession } from '../claude/claude-runner.js';
import { canWriteFiles, createRunDir, removeRunDir, runDirAt, type RemoveAsRunUser, type RunDir, type RunOwner } from '../claude/run-dir.js';
import type { AuditRow } from '../runs/runs.repository.js';
import type { RunInput, RunOptions, RunService } from '../runs/run-service.js';
import { copySessionDir } from './session-copier.js';
import { MAX_TRANSCRIPT_BYTES, type SessionSeal } from './session-seal.js';
import type { NewSession, SessionRow, SessionsRepository } from './sessions.repository.js';

export type CreateSessionInput = z.output<typeof createSessionRequestSchema>;
export type TurnInput = z.output<typeof turnRequestSchema>;

/** How long an expired session is remembered, so a late turn hears it expired rather than that it never was. */
const TOMBSTONE_MS = 24 * 3600 * 1000;
const SWEEP_BATCH = 100;

export interface SessionServiceDeps {
  config: Config;
  runsDir: string;
  runOwner: RunOwner | null;
  claudeConfigDir: string;
  removeAsRunUser: RemoveAsRunUser | null;
  seal: SessionSeal;
  repository: SessionsRepository;
  runs: RunService;
  asyncRuns: AsyncRuns;
  clock: Clock;
  logger: Logger;
}

/** A session some call holds: a turn running, a fork copying, a delete or an expiry removing. */
interface Hold {
  controller: AbortController;
  done: Promise<void>;
  release: () => void;
}

const notFound = () => new ApiError('session_not_found', "No such session: it never was, it is another app's, or it was deleted.");
const busy = () =>
  new ApiError('session_busy', 'A turn of this session is running (or it is being forked or deleted): one turn at a time; send the next once it has answered.');
const newSessionId = () => `ses_${randomBytes(12).toString('base64url')}`;
const historyLost = () =>
  new ApiError(
    'session_limit_reached',
    `The turn ran, but the session's history could not be kept (past ${MAX_TRANSCRIPT_BYTES / 1024 / 1024} MiB, or not the CLI's own file): the session has ended. Start a new one.`,
  );

export class SessionService {
  private readonly holds = new Map<string, Hold>();
  /** Forks still copying, per app: they count against MAX_SESSIONS_PER_APP before their row exists. */
  private readonly forking = new Map<string, number>();

  constructor(private readonly deps: SessionServiceDeps) {}

  /** POST /sessions: checked against the token's policy now, and again at each turn. */
  async create(caller: AuthenticatedApp, input: CreateSessionInput): Promise<SessionCreated> {
    const { config } = this.deps;
    const decision = applyPolicy(caller.name, caller.policy, { model: input.model, tools: input.tools }, config);
    if (input.json_schema) checkJsonSchema(input.json_schema);
    this.checkRoom(caller);
    const dir = createRunDir(this.deps.runsDir, this.deps.runOwner, { writable: canWriteFiles(decision.tools), kind: 'ses' });
    const now = this.deps.clock.now();
    const ttlSecs = input.ttl_secs ?? DEFAULT_SESSION_TTL_SECS;
    const row: NewSession = {
      id: newSessionId(),
      app: caller.name,
      token_created_at: caller.tokenCreatedAt,
      cli_session_id: randomUUID(),
      dir_name: basename(dir.cwd),
      writable: dir.writable ? 1 : 0,
      model: decision.model,
      tools: JSON.stringify(decision.tools),
      system: input.system ?? null,
      append_system: input.append_system ?? null,
      json_schema: input.json_schema ? JSON.stringify(input.json_schema) : null,
      ttl_secs: ttlSecs,
      created_at: now.toISOString(),
      last_activity_at: now.toISOString(),
      expires_at: this.expiryFrom(now.getTime(), ttlSecs),
      forked_from: null,
      fork_source: null,
      account: null, // chosen by its first turn
    };
    try {
      await this.deps.seal.lock(dir);
      this.deps.repository.create(row);
    } catch (error) {
      await this.removeFiles({ id: row.id, cli_config_dir: null }, dir);
      throw error;
    }
    return { session_id: row.id, expires_at: row.expires_at };
  }

  get(caller: AuthenticatedApp, sessionId: string): Session {
    return this.view(this.owned(caller, sessionId));
  }

  list(caller: AuthenticatedApp): { sessions: Session[] } {
    const now = this.deps.clock.now().toISOString();
    // Overdue ones the sweep has not reached yet are already gone for their owner.
    const rows = this.deps.repository.listActive(caller.name, caller.tokenCreatedAt).filter((row) => row.expires_at > now);
    return { sessions: rows.map((row) => this.view(row)) };
  }

  /**
   * One turn: the prompt (and files) go to the CLI, which continues the
   * session's conversation in its directory. Refused with session_busy while
   * another turn of it runs; the options are RunService.run's.
   */
  async turn(caller: AuthenticatedApp, sessionId: string, input: TurnInput, options: Omit<RunOptions, 'session'>): Promise<RunResponse> {
    const row = this.owned(caller, sessionId);
    const hold = this.hold(sessionId);
    /** `opened`: the session left sealed for this turn; `handedOver`: its history is where the CLI reads it. */
    let opened = false;
    let handedOver = false;
    let historyKept = true;
    let audited: AuditRow | undefined;
    /** The config dir of the account the turn runs on: where the CLI keeps the session's state meanwhile. */
    let configDir = this.configDirOf(row);
    try {
      const attempt = this.deps.repository.startAttempt(sessionId);
      const dir = this.dirOf(row);
      const cli = this.cliSession(row);
      const open = async (account: AccountTarget | null) => {
        configDir = account?.configDir ?? this.deps.claudeConfigDir;
        // Recorded before anything is placed there: a start after a crash clears (or takes from) the right directory.
        this.deps.repository.useAccount(sessionId, account?.name ?? row.account, configDir);
        opened = true;
        await this.deps.seal.open(dir, configDir, this.historyFor(row, cli));
        handedOver = true;
        this.deps.repository.markOpen(sessionId, true); // from here, what the CLI writes is this session's latest history
      };
      const response = await this.deps.runs.run(caller, this.runInput(row, input, cli), {
        ...options,
        signal: AbortSignal.any([options.signal, hold.controller.signal]),
        session: {
          sessionId,
          turn: attempt,
          dir,
          cli,
          account: row.account,
          prepare: open,
          // The first account failed before the CLI said anything: nothing it wrote is kept; the stored history goes to the next.
          moveTo: async (account) => {
            // Nothing of the failed attempt is history: a start after a crash from here on must not take it.
            this.deps.repository.markOpen(sessionId, false);
            const kept = await this.afterTurn(row, dir, cli, false, configDir);
            opened = handedOver = false;
            if (!kept) {
              historyKept = false; // not sealed: the session ends, as after any turn it could not be sealed
              throw new Error('the session could not be sealed before moving it to another account');
            }
            await open(account);
          },
          // Only a turn whose history was handed over takes one back: what else is there was not written by this turn's CLI.
          finish: async () => {
            if (opened) historyKept = await this.afterTurn(row, dir, cli, handedOver, configDir);
          },
        },
        onOutcome: (status, auditRow) => {
          audited = auditRow;
          options.onOutcome?.(status, auditRow);
        },
      });
      if (!historyKept) throw historyLost();
      return response;
    } finally {
      this.tally(row, audited);
      // A session whose history could not be kept cannot go on from it: it ends, and this turn says why.
      if (!historyKept) await this.end(row, 'lost');
      this.release(sessionId);
    }
  }

  /** POST /sessions/{id}/runs: a turn as an async run (GET /runs/{run_id} and its events). */
  startTurn(caller: AuthenticatedApp, sessionId: string, input: TurnInput, requestId: string): Promise<AsyncRunAccepted> {
    const row = this.owned(caller, sessionId);
    return this.deps.asyncRuns.start(caller, { model: row.model, execute: (options) => this.turn(caller, sessionId, input, options) }, requestId);
  }

  /** A new session with the history so far (a copy of the stored transcript) and a copy of the directory; the origin is not touched. */
  async fork(caller: AuthenticatedApp, sessionId: string, input: { ttl_secs?: number | undefined }): Promise<SessionCreated> {
    const origin = this.owned(caller, sessionId);
    this.checkRoom(caller);
    this.hold(sessionId); // no turn may change the history or the directory while they are copied
    this.forking.set(caller.name, (this.forking.get(caller.name) ?? 0) + 1);
    const from = this.dirOf(origin);
    const id = newSessionId();
    let dir: RunDir | undefined;
    try {
      dir = createRunDir(this.deps.runsDir, this.deps.runOwner, { writable: from.writable, kind: 'ses' });
      await this.deps.seal.lock(dir);
      // The history so far: the origin's stored transcript, or (an origin forked and never used since) its own fork source.
      const history = this.historyFor(origin, this.cliSession(origin));
      const forkSource = history && randomUUID();
      if (history) await this.deps.seal.copyStored(history.stored, this.deps.seal.forkSourceOf(id));
      await this.copyDir(from, dir);
      const now = this.deps.clock.now();
      const ttlSecs = input.ttl_secs ?? origin.ttl_secs;
      const row: NewSession = {
        ...origin,
        id,
        cli_session_id: randomUUID(),
        dir_name: basename(dir.cwd),
        ttl_secs: ttlSecs,
        created_at: now.toISOString(),
        last_activity_at: now.toISOString(),
        expires_at: this.expiryFrom(now.getTime(), ttlSecs),
        forked_from: origin.id,
        fork_source: forkSource,
      };
      this.deps.repository.create(row);
      return { session_id: row.id, expires_at: row.expires_at };
    } catch (error) {
      if (dir) await this.removeFiles({ id, cli_config_dir: null }, dir);
      if (error instanceof ApiError) throw error;
      this.deps.logger.error({ err: error, session_id: sessionId }, 'forking a session failed');
      throw new ApiError('internal', 'The session could not be forked. The server log has the details.', { cause: error });
    } finally {
      this.forking.set(caller.name, this.forking.get(caller.name)! - 1);
      this.release(sessionId);
    }
  }

  /** Ends the session now: a turn running is cancelled, then its directory and history are removed. */
  async delete(caller: AuthenticatedApp, sessionId: string): Promise<void> {
    const row = this.owned(caller, sessionId);
    await this.takeOver(sessionId, 'The session was deleted while this turn ran.');
    try {
      this.deps.repository.delete(sessionId);
      await this.removeFiles(row, this.dirOf(row));
    } finally {
      this.release(sessionId);
    }
  }

  /**
   * Expires sessions idle past their TTL and those whose token is gone
   * (revoked); returns how many. A turn running holds its session.
   */
  async sweepExpired(): Promise<number> {
    const { clock, repository } = this.deps;
    let count = 0;
    for (;;) {
      const due = repository.overdueSessions(clock.now().toISOString(), SWEEP_BATCH).filter((row) => !this.holds.has(row.id));
      for (const row of due) if (await this.expire(row)) count += 1;
      if (due.length < SWEEP_BATCH) break;
    }
    for (const row of repository.orphanedSessions(SWEEP_BATCH)) {
      await this.takeOver(row.id, "The app's token was revoked while this turn ran.");
      try {
        if (await this.end(row, 'revoked')) count += 1;
      } finally {
        this.release(row.id);
      }
    }
    repository.pruneTombstones(new Date(clock.now().getTime() - TOMBSTONE_MS).toISOString());
    return count;
  }

  /**
   * Start-up, before any run: a session a crash (or a shutdown cut short)
   * left open mid-turn keeps what the CLI wrote of its history; every live
   * session is sealed again; stored histories of sessions gone are removed.
   */
  async sealAtStart(): Promise<void> {
    const live = this.deps.repository.liveSessions();
    for (const row of live) {
      const dir = this.dirOf(row);
      // Every process of the run user was killed before this: nothing can hold the directory.
      await this.deps.seal
        .close(dir, this.configDirOf(row), `${row.cli_session_id}.jsonl`, this.deps.seal.transcriptOf(row.id), row.open_turn === 1, { evict: false })
        .then(() => this.deps.repository.markOpen(row.id, false))
        .catch((err: unknown) => this.deps.logger.error({ err, session_id: row.id }, 'a session could not be sealed at start'));
    }
    const removed = await this.deps.seal.removeStoredExcept(new Set(live.map((row) => row.id)));
    if (removed > 0) this.deps.logger.warn({ count: removed }, 'removed stored session histories left by an earlier crash');
  }

  /** Shutdown: resolves once no turn, fork or delete is left finishing its session's bookkeeping, or after `timeoutMs`. */
  async drain(timeoutMs: number): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (this.holds.size > 0 && Date.now() < until) {
      const timeUp = new Promise<void>((resolve) => setTimeout(resolve, until - Date.now()).unref());
      await Promise.race([...[...this.holds.values()].map((hold) => hold.done), timeUp]);
    }
  }

  private expire(row: SessionRow): Promise<boolean> {
    return this.end(row, 'expired');
  }

  /** Marks the session ended (only if it still is due, for an expiry) and removes its files. */
  private async end(row: SessionRow, why: 'expired' | 'revoked' | 'lost'): Promise<boolean> {
    const now = this.deps.clock.now().toISOString();
    const ended = why === 'expired' ? this.deps.repository.markExpired(row.id, now) : this.deps.repository.markEnded(row.id, now);
    if (ended) await this.removeFiles(row, this.dirOf(row));
    return ended;
  }

  /** The caller's session, live; a 404 otherwise, saying so when it expired. */
  private owned(caller: AuthenticatedApp, sessionId: string): SessionRow {
    const row = this.deps.repository.find(sessionId);
    if (!row || row.app !== caller.name || row.token_created_at !== caller.tokenCreatedAt) throw notFound();
    const now = this.deps.clock.now().toISOString();
    if (row.state === 'active' && row.expires_at <= now && !this.holds.has(sessionId)) {
      // Due, and the sweep has not come by yet: it expires now, as it would have.
      void this.expire(row).catch((err: unknown) => this.deps.logger.error({ err, session_id: row.id }, 'expiring a session failed'));
      throw this.expired(row);
    }
    if (row.state !== 'active') throw this.expired(row);
    return row;
  }

  private expired(row: SessionRow): ApiError {
    const when = row.ended_at !== null && row.ended_at < row.expires_at ? `ended at ${row.ended_at}` : `expired at ${row.expires_at}, ${row.ttl_secs} s after its last turn`;
    return new ApiError('session_not_found', `The session ${when}; its history and files are gone. Start a new session.`);
  }

  /** Takes the session for one call, or refuses with session_busy. */
  private hold(sessionId: string): Hold {
    if (this.holds.has(sessionId)) throw busy();
    let release!: () => void;
    const done = new Promise<void>((resolve) => (release = resolve));
    const hold: Hold = { controller: new AbortController(), done, release };
    this.holds.set(sessionId, hold);
    return hold;
  }

  /** Cancels whatever holds the session, waits for it to let go, and holds it. */
  private async takeOver(sessionId: string, reason: string): Promise<void> {
    for (let running = this.holds.get(sessionId); running; running = this.holds.get(sessionId)) {
      running.controller.abort(new ApiError('run_cancelled', reason));
      await running.done;
    }
    this.hold(sessionId);
  }

  private release(sessionId: string): void {
    this.holds.get(sessionId)?.release();
    this.holds.delete(sessionId);
  }

  private checkRoom(caller: AuthenticatedApp): void {
    const max = this.deps.config.maxSessionsPerApp;
    const live = this.deps.repository.activeCount(caller.name, caller.tokenCreatedAt, this.deps.clock.now().toISOString()) + (this.forking.get(caller.name) ?? 0);
    if (live >= max) {
      throw new ApiError('session_limit_reached', `App "${caller.name}" has ${max} live sessions, the most allowed (MAX_SESSIONS_PER_APP): delete one, or let one expire.`);
    }
  }

  /** Where the CLI kept the session's state in its last (or open) turn: the account's config dir then. */
  private configDirOf(row: Pick<SessionRow, 'cli_config_dir'>): string {
    return row.cli_config_dir ?? this.deps.claudeConfigDir;
  }

  /** The first turn starts the CLI's session (with the system prompt); a fork's first forks from its copy; the rest resume. */
  private cliSession(row: SessionRow): CliSession {
    if (existsSync(this.deps.seal.transcriptOf(row.id))) return { mode: 'resume', id: row.cli_session_id };
    if (row.fork_source && existsSync(this.deps.seal.forkSourceOf(row.id))) return { mode: 'fork', id: row.cli_session_id, from: row.fork_source };
    return { mode: 'start', id: row.cli_session_id };
  }

  /** The stored history a turn starts from, and the name the CLI finds it by. */
  private historyFor(row: SessionRow, cli: CliSession): { stored: string; cliName: string } | null {
    if (cli.mode === 'resume') return { stored: this.deps.seal.transcriptOf(row.id), cliName: `${cli.id}.jsonl` };
    if (cli.mode === 'fork') return { stored: this.deps.seal.forkSourceOf(row.id), cliName: `${cli.from}.jsonl` };
    return null;
  }

  /** The session's settings with the turn's prompt: the system prompt only where the CLI takes it, the first turn. */
  private runInput(row: SessionRow, input: TurnInput, cli: CliSession): RunInput {
    const starts = cli.mode === 'start';
    return {
      ...input,
      model: row.model,
      tools: JSON.parse(row.tools) as RunInput['tools'],
      ...(row.json_schema !== null ? { json_schema: JSON.parse(row.json_schema) as Record<string, unknown> } : {}),
      ...(starts && row.system !== null ? { system: row.system } : {}),
      ...(starts && row.append_system !== null ? { append_system: row.append_system } : {}),
    };
  }

  /**
   * After a turn that opened the session: its transcript stored (when `take`)
   * and the session sealed; what the CLI now keeps itself forgotten here.
   * False when the CLI's transcript was there but could not be taken.
   */
  private async afterTurn(row: SessionRow, dir: RunDir, cli: CliSession, take: boolean, configDir: string): Promise<boolean> {
    const { repository, seal, logger } = this.deps;
    let taken: boolean;
    try {
      taken = await seal.close(dir, configDir, `${cli.id}.jsonl`, seal.transcriptOf(row.id), take);
    } catch (err) {
      logger.error({ err, session_id: row.id }, "a session's history could not be stored after its turn, or the session not sealed");
      return false;
    } finally {
      // Whatever is left where the CLI keeps it from now on is not this session's: a start must not take it.
      this.safely(row.id, () => repository.markOpen(row.id, false));
    }
    try {
      if (!taken || cli.mode === 'resume') return true;
      if (row.system !== null || row.append_system !== null) repository.settingsHandedOver(row.id);
      if (cli.mode === 'fork') {
        await rm(seal.forkSourceOf(row.id), { force: true });
        repository.forkDone(row.id);
      }
    } catch (err) {
      logger.error({ err, session_id: row.id }, 'recording a turn on its session failed');
    }
    return true;
  }

  private safely(sessionId: string, action: () => void): void {
    try {
      action();
    } catch (err) {
      this.deps.logger.error({ err, session_id: sessionId }, 'a session could not be updated');
    }
  }

  /** A turn's tokens and cost added to its session; one that ran restarts the idle clock (a refused one does not). */
  private tally(row: SessionRow, audited: AuditRow | undefined): void {
    if (!audited || audited.status === 'rejected') return;
    try {
      const now = this.deps.clock.now().getTime();
      this.deps.repository.addTurn(row.id, {
        completed: audited.status === 'ok',
        inputTokens: audited.input_tokens ?? 0,
        outputTokens: audited.output_tokens ?? 0,
        costMicroUsd: Math.round((audited.cost_usd ?? 0) * 1_000_000),
        at: new Date(now).toISOString(),
        expiresAt: this.expiryFrom(now, row.ttl_secs),
      });
    } catch (err) {
      this.deps.logger.error({ err, session_id: row.id }, 'recording a turn on its session failed');
    }
  }

  private view(row: SessionRow): Session {
    return {
      session_id: row.id,
      model: row.model,
      tools: JSON.parse(row.tools) as string[],
      structured: row.json_schema !== null,
      forked_from: row.forked_from,
      ttl_secs: row.ttl_secs,
      created_at: row.created_at,
      last_activity_at: row.last_activity_at,
      expires_at: row.expires_at,
      turns: row.turns,
      busy: this.holds.has(row.id),
      usage: { input_tokens: row.input_tokens, output_tokens: row.output_tokens },
      cost_usd: row.cost_micro_usd / 1_000_000,
    };
  }

  /**
   * A fork's copy of the origin's directory, made by the service while both
   * are sealed: sealing again first makes sure no process of the run user
   * still holds anything inside the origin, so nothing in it can change (or
   * be swapped for a symlink) under the copy, and the origin is never handed
   * to the run user outside its own turns.
   */
  private async copyDir(from: RunDir, to: RunDir): Promise<void> {
    await this.deps.seal.lock(from, { evict: true });
    await copySessionDir(from.cwd, to.cwd);
  }

  private dirOf(row: SessionRow): RunDir {
    return runDirAt(join(this.deps.runsDir, row.dir_name), this.deps.runOwner, row.writable === 1);
  }

  private expiryFrom(epochMs: number, ttlSecs: number): string {
    return new Date(epochMs + ttlSecs * 1000).toISOString();
  }

  /**
   * The session's files: the CLI's directory for it, the stored history, and
   * the directory, renamed first to a name nobody knows, then handed back to
   * the run user (who removes what it made).
   */
  private async removeFiles(row: Pick<SessionRow, 'id' | 'cli_config_dir'>, dir: RunDir): Promise<void> {
    try {
      await this.deps.seal.clearCliState(dir, this.configDirOf(row), false);
      for (const path of [this.deps.seal.transcriptOf(row.id), this.deps.seal.forkSourceOf(row.id)]) await rm(path, { force: true });
      const trash = runDirAt(join(this.deps.runsDir, `ses-${randomBytes(16).toString('hex')}`), dir.owner, dir.writable);
      try {
        await rename(dir.cwd, trash.cwd);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
        throw error;
      }
      await this.deps.seal.unlock(trash);
      await removeRunDir(trash, [this.configDirOf(row)], this.deps.removeAsRunUser);
    } catch (err) {
      this.deps.logger.error({ err, path: dir.cwd }, 'session files could not be removed; the next start removes them');
    }
  }
}

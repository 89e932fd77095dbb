// A session as the SDK holds it: its id, and the calls on it. Each turn sends
// only the new prompt; the service and the CLI keep the history.
import type { AsyncRunAccepted, Session, SessionCreated, TurnRequest } from '@clawdforge/shared';
import type { CallOptions, Clawdforge, ResultSchema, RunResult, RunStreamEvent } from './client.js';
import { callLimits, type Transport } from './transport.js';

/** A turn: its prompt alone, or the whole turn body (files, timeout_secs, ...), with an optional schema for the result. */
export type Turn<T> = string | (TurnRequest & { schema?: ResultSchema<T> });

function turnBody<T>(turn: Turn<T>): { body: TurnRequest; schema: ResultSchema<T> | undefined } {
  if (typeof turn === 'string') return { body: { prompt: turn }, schema: undefined };
  const { schema, ...body } = turn;
  return { body, schema };
}

export class ClawdforgeSession {
  constructor(
    private readonly client: Clawdforge,
    private readonly transport: Transport,
    /** The session's id (`ses_...`): keep it to `open()` the session again later. */
    readonly id: string,
    /** When it expires without another turn, as the service said at creation (null for a handle from `open()`). */
    readonly expiresAt: string | null,
  ) {}

  private get path(): string {
    return `/sessions/${encodeURIComponent(this.id)}`;
  }

  /** Sends the next turn and returns its answer, like `run()`. A turn sent while another runs is 409 session_busy (ConflictError). */
  send<T = unknown>(turn: Turn<T>, options: CallOptions = {}): Promise<RunResult<T>> {
    const { body, schema } = turnBody(turn);
    return this.client.runAt(`${this.path}/turns`, body, schema, options);
  }

  /** Sends the next turn and yields its events as they happen, like `stream()`; leaving the loop early cancels the turn. */
  stream<T = unknown>(turn: Turn<T>, options: CallOptions = {}): AsyncGenerator<RunStreamEvent<T>> {
    const { body, schema } = turnBody(turn);
    return this.client.streamFrom(`${this.path}/turns`, body, schema, options);
  }

  /** Sends the next turn as an async run: follow it with `client.runs.get()` / `client.runs.events()`. */
  start(turn: string | TurnRequest, options: CallOptions = {}): Promise<AsyncRunAccepted> {
    const { body } = turnBody(turn);
    return this.transport.call({ method: 'POST', path: `${this.path}/runs`, json: body, ...callLimits(options), retry: 'not-run-yet' });
  }

  /** A new session with the history so far and a copy of the directory; this one goes on untouched. */
  async fork(request: { ttl_secs?: number } = {}, options: CallOptions = {}): Promise<ClawdforgeSession> {
    const created = await this.transport.call<SessionCreated>({ method: 'POST', path: `${this.path}/fork`, json: request, ...callLimits(options), retry: 'never' });
    return new ClawdforgeSession(this.client, this.transport, created.session_id, created.expires_at);
  }

  /** Turns, tokens, cost, last activity, expiry, and whether a turn runs now. */
  info(options: CallOptions = {}): Promise<Session> {
    return this.transport.call({ method: 'GET', path: this.path, ...callLimits(options), retry: 'idempotent' });
  }

  /** Ends the session: a running turn is cancelled, its directory and history removed. */
  async close(options: CallOptions = {}): Promise<void> {
    await this.transport.call({ method: 'DELETE', path: this.path, ...callLimits(options), retry: 'idempotent' });
  }
}

import type { AsyncRun, AsyncRunAccepted, CreateSessionRequest, FileInfo, Health, RunEvent, RunRequest, RunResponse, Session, SessionCreated } from '@clawdforge/shared';
import { ClawdforgeSession } from './sessions.js';
import type { Dispatcher } from 'undici';
import { ClawdforgeError, errorFor } from './errors.js';
import { multipartUpload, type UploadSource } from './multipart.js';
import { setTimeout as sleep } from 'node:timers/promises';
import { backoffMs, callLimits, Transport } from './transport.js';

export interface ClawdforgeOptions {
  /** Where the service listens, e.g. `http://192.168.0.5:8800`. */
  baseUrl: string;
  /** This app's token (`cf_...`), minted with `POST /admin/tokens`. */
  token: string;
  /**
   * How long to wait for an answer, per call. A run waits at least its own
   * `timeout_secs` plus 10 s, whatever this says.
   * @default 30000
   */
  timeoutMs?: number;
  /**
   * Retries of calls that cannot do anything twice: a refused connection, a
   * full run queue (nothing ran), and reads answered 429/503 with Retry-After.
   * A run is never repeated after it started; an upload is never retried.
   * @default 2
   */
  maxRetries?: number;
  /** An undici Dispatcher (Agent, Pool, ProxyAgent) for the connections. */
  dispatcher?: Dispatcher;
}

/** Anything with zod's `parse`: the result is checked with it and typed by it. */
export interface ResultSchema<T> {
  parse(value: unknown): T;
}

/** A zod 4 object schema, say: it can describe itself as JSON Schema. */
export interface StructuredSchema<T> extends ResultSchema<T> {
  toJSONSchema(params?: { target?: 'draft-7' }): Record<string, unknown>;
}

export type RunResult<T = unknown> = Omit<RunResponse, 'result'> & { result: T };

/** What `stream()` yields: the run's events, its last the `result`, typed like `run()`'s answer. */
export type RunStreamEvent<T = unknown> = Exclude<RunEvent, { type: 'result' | 'error' }> | { seq: number; type: 'result'; data: RunResult<T> };

const STREAMED_TYPES: ReadonlySet<string> = new Set(['queued', 'started', 'text', 'tool', 'retry', 'rate_limit']);

export interface CallOptions {
  signal?: AbortSignal;
  /** This call's wait for an answer, over the client's `timeoutMs` (for a run too, whatever its timeout_secs). */
  timeoutMs?: number;
  /** This call's retries, over the client's `maxRetries`. */
  maxRetries?: number;
}

export interface UploadOptions extends CallOptions {
  /** The name the model sees (sanitized by the service). @default the path's base name, else `upload.bin` */
  filename?: string;
  /** @default the Blob's type, else `application/octet-stream` */
  contentType?: string;
  /** 60..86400. @default 3600 (the service's default) */
  ttlSecs?: number;
}

const DEFAULT_RUN_TIMEOUT_SECS = 120;

/** The client of an app: runs and files. */
export class Clawdforge {
  private readonly transport: Transport;
  private readonly timeoutMs: number;

  private readonly maxRetries: number;

  constructor(options: ClawdforgeOptions) {
    this.timeoutMs = options.timeoutMs ?? 30_000;
    const { baseUrl, token, maxRetries = 2, dispatcher } = options;
    this.maxRetries = maxRetries;
    this.transport = new Transport({ baseUrl, token, timeoutMs: this.timeoutMs, maxRetries, dispatcher });
  }

  /**
   * Sessions (POST /sessions): conversations the CLI continues turn by turn,
   * each with a working directory that lasts. `create()` and `open()` give a
   * ClawdforgeSession: `send()`, `stream()`, `fork()`, `close()`.
   */
  readonly sessions = {
    create: async (request: CreateSessionRequest = {}, options: CallOptions = {}): Promise<ClawdforgeSession> => {
      const created = await this.transport.call<SessionCreated>({ method: 'POST', path: '/sessions', json: request, ...callLimits(options), retry: 'never' });
      return new ClawdforgeSession(this, this.transport, created.session_id, created.expires_at);
    },
    /** A handle on a session made earlier (its id kept across a restart of the app, say). */
    open: (sessionId: string): ClawdforgeSession => new ClawdforgeSession(this, this.transport, sessionId, null),
    get: (sessionId: string, options: CallOptions = {}): Promise<Session> =>
      this.transport.call({ method: 'GET', path: `/sessions/${encodeURIComponent(sessionId)}`, ...callLimits(options), retry: 'idempotent' }),
    list: async (options: CallOptions = {}): Promise<Session[]> =>
      (await this.transport.call<{ sessions: Session[] }>({ method: 'GET', path: '/sessions', ...callLimits(options), retry: 'idempotent' })).sessions,
  };

  /**
   * Async runs (POST /runs): a run that outlives the call that started it.
   * `events()` follows one from the start, or after `lastEventId`, and picks
   * up where it was if the connection drops (up to `maxRetries` times).
   */
  readonly runs = {
    create: (request: RunRequest, options: CallOptions = {}): Promise<AsyncRunAccepted> =>
      this.transport.call({ method: 'POST', path: '/runs', json: request, ...callLimits(options), retry: 'not-run-yet' }),
    get: (runId: string, options: CallOptions = {}): Promise<AsyncRun> =>
      this.transport.call({ method: 'GET', path: `/runs/${encodeURIComponent(runId)}`, ...callLimits(options), retry: 'idempotent' }),
    cancel: (runId: string, options: CallOptions = {}): Promise<AsyncRun> =>
      this.transport.call({ method: 'DELETE', path: `/runs/${encodeURIComponent(runId)}`, ...callLimits(options), retry: 'idempotent' }),
    events: (runId: string, options: CallOptions & { lastEventId?: number } = {}): AsyncGenerator<RunEvent> => this.followRun(runId, options),
  };

  private async *followRun(runId: string, options: CallOptions & { lastEventId?: number }): AsyncGenerator<RunEvent> {
    let last = options.lastEventId ?? 0;
    const reconnects = options.maxRetries ?? this.maxRetries;
    for (let attempt = 0; ; attempt++) {
      if (attempt > 0) await sleep(backoffMs(undefined, attempt - 1));
      const messages = await this.transport.events({
        method: 'GET',
        path: `/runs/${encodeURIComponent(runId)}/events`,
        headers: last > 0 ? { 'last-event-id': String(last) } : {},
        ...callLimits(options),
        timeoutMs: options.timeoutMs ?? 24 * 3_600_000, // a stream lasts as long as its run
        retry: 'idempotent',
      });
      try {
        for await (const message of messages) {
          const event = { seq: Number(message.id), type: message.event, data: JSON.parse(message.data) } as RunEvent;
          last = event.seq;
          attempt = 0; // the reconnects allowed count from the last event received
          yield event;
          if (event.type === 'result' || event.type === 'error') return;
        }
        return; // the service ended the stream: the run was gone or pruned
      } catch (error) {
        const dropped = error instanceof ClawdforgeError && error.code === 'network_error';
        if (!dropped || attempt >= reconnects) throw error;
      }
    }
  }

  /** Runs a prompt; with `schema`, the result is validated and typed by it. */
  run<T = unknown>(request: RunRequest & { schema?: ResultSchema<T> }, options: CallOptions = {}): Promise<RunResult<T>> {
    const { schema, ...body } = request;
    return this.runAt('/run', body, schema, options);
  }

  /** @internal POSTs a run's (or a session turn's) body to `path` and types its answer, waiting as long as the run may take. */
  async runAt<T>(path: string, body: { timeout_secs?: number | undefined }, schema: ResultSchema<T> | undefined, options: CallOptions): Promise<RunResult<T>> {
    // A run may take its whole timeout_secs: the client waits that long and 10 s more, unless this call says otherwise.
    const runMs = ((body.timeout_secs ?? DEFAULT_RUN_TIMEOUT_SECS) + 10) * 1000;
    const timeoutMs = options.timeoutMs ?? Math.max(runMs, this.timeoutMs);
    const response = await this.transport.call<RunResponse>({ method: 'POST', path, json: body, ...callLimits(options), timeoutMs, retry: 'not-run-yet' });
    if (!schema) return response as RunResult<T>;
    return { ...response, result: parseResult(schema, response.result) };
  }

  /**
   * Runs a prompt and yields its events as they happen (Server-Sent Events): `queued`, `started`, `text`
   * deltas, `tool`, `retry`, `rate_limit`, and last the `result`, its data typed (and, with `schema`,
   * validated) like `run()`'s answer. A failure is thrown as a ClawdforgeError, before the first event or
   * in its place. Leaving the loop early closes the stream, which cancels the run.
   */
  async *stream<T = unknown>(request: RunRequest & { schema?: ResultSchema<T> }, options: CallOptions = {}): AsyncGenerator<RunStreamEvent<T>> {
    const { schema, ...body } = request;
    yield* this.streamFrom<T>('/run', body, schema, options);
  }

  /** @internal POSTs `body` to `path` for its events (a run, or a session's turn), and yields them typed as `stream()` does. */
  async *streamFrom<T>(path: string, body: { timeout_secs?: number | undefined }, schema: ResultSchema<T> | undefined, options: CallOptions): AsyncGenerator<RunStreamEvent<T>> {
    const timeoutMs = options.timeoutMs ?? Math.max(((body.timeout_secs ?? DEFAULT_RUN_TIMEOUT_SECS) + 10) * 1000, this.timeoutMs);
    const messages = await this.transport.events({ method: 'POST', path, json: body, ...callLimits(options), timeoutMs, retry: 'not-run-yet' });
    for await (const message of messages) {
      let data: unknown;
      try {
        data = JSON.parse(message.data);
      } catch (cause) {
        throw errorFor('invalid_response', `A "${message.event}" event's data is not JSON.`, { status: 200, cause });
      }
      const seq = Number(message.id);
      if (message.event === 'error') {
        const { code = 'invalid_response', message: text = '', request_id: requestId } = (data as { error?: { code?: string; message?: string; request_id?: string } }).error ?? {};
        throw errorFor(code, text, requestId === undefined ? {} : { requestId });
      }
      if (message.event === 'result') {
        const response = data as RunResponse;
        yield { seq, type: 'result', data: schema ? { ...response, result: parseResult(schema, response.result) } : (response as RunResult<T>) };
        return;
      }
      // An event type this SDK does not know yet (a newer service) is passed over, not fatal.
      if (STREAMED_TYPES.has(message.event)) yield { seq, type: message.event, data } as RunStreamEvent<T>;
    }
    throw errorFor('invalid_response', 'The event stream ended without a result.', { status: 200 });
  }

  /**
   * Runs a prompt for structured output: `schema` goes to the service as
   * `json_schema` (the CLI makes the model answer in that shape, or the run is
   * 422 schema_not_satisfied), and the result is parsed and typed by it.
   * The schema must describe an object (`z.object(...)`).
   */
  runStructured<T>(request: Omit<RunRequest, 'json_schema'> & { schema: StructuredSchema<T> }, options: CallOptions = {}): Promise<RunResult<T>> {
    const { schema, ...rest } = request;
    // draft-07: what the CLI and the service validate schemas with.
    return this.run({ ...rest, json_schema: schema.toJSONSchema({ target: 'draft-7' }), schema }, options);
  }

  /** Uploads a file (streamed) and returns its `ff_` token and metadata. */
  async uploadFile(source: UploadSource, options: UploadOptions = {}): Promise<FileInfo> {
    const stream = await multipartUpload(source, options);
    return this.transport.call<FileInfo>({ method: 'POST', path: '/files', stream, ...callLimits(options), retry: 'never' });
  }

  getFile(fileToken: string, options: CallOptions = {}): Promise<FileInfo> {
    return this.transport.call({ method: 'GET', path: `/files/${encodeURIComponent(fileToken)}`, ...callLimits(options), retry: 'idempotent' });
  }

  async deleteFile(fileToken: string, options: CallOptions = {}): Promise<void> {
    await this.transport.call({ method: 'DELETE', path: `/files/${encodeURIComponent(fileToken)}`, ...callLimits(options), retry: 'idempotent' });
  }

  health(options: CallOptions = {}): Promise<Health> {
    return this.transport.call({ method: 'GET', path: '/healthz', ...callLimits(options), retry: 'idempotent' });
  }
}

function parseResult<T>(schema: ResultSchema<T>, result: unknown): T {
  try {
    return schema.parse(result);
  } catch (cause) {
    throw errorFor('invalid_response', `The run's result does not match the schema: ${(cause as Error).message}`, { status: 200, cause });
  }
}

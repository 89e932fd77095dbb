// One HTTP call to the service: JSON in and out, timeouts and caller aborts told
// apart, the error envelope turned into ClawdforgeError, and retries only where
// a retry cannot do something twice.
import { setTimeout as sleep } from 'node:timers/promises';
import { errors as undiciErrors, request, type Dispatcher } from 'undici';
import { ClawdforgeError, errorFor } from './errors.js';
import { readServerSentEvents, type SseMessage } from './sse.js';

export interface TransportOptions {
  baseUrl: string;
  token: string;
  /** Defaults for calls that do not say. */
  timeoutMs: number;
  maxRetries: number;
  dispatcher?: Dispatcher | undefined;
}

export interface Call {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  path: string;
  /** Further request headers (Last-Event-ID). */
  headers?: Record<string, string>;
  json?: unknown;
  /** A body that can be sent once only (a stream): never retried. */
  stream?: { body: AsyncIterable<Uint8Array> | NodeJS.ReadableStream; contentType: string; contentLength?: number };
  signal?: AbortSignal | undefined;
  /**
   * `idempotent`: retried on connection refusal and on 429/503 with Retry-After.
   * `not-run-yet`: retried only when the service says nothing ran (queue_full) or the connection was refused.
   */
  retry: 'idempotent' | 'not-run-yet' | 'never';
  /** This call's own limits, over the transport's defaults. */
  timeoutMs?: number | undefined;
  maxRetries?: number | undefined;
}

const MAX_RETRY_AFTER_SECS = 60;

/** A call's own signal and limits, picked from the options an SDK method takes. */
export function callLimits(options: { signal?: AbortSignal | undefined; timeoutMs?: number | undefined; maxRetries?: number | undefined }): Pick<Call, 'signal' | 'timeoutMs' | 'maxRetries'> {
  return { signal: options.signal, timeoutMs: options.timeoutMs, maxRetries: options.maxRetries };
}

function retryAfterOf(header: string | string[] | undefined): number | undefined {
  const value = Number(Array.isArray(header) ? header[0] : header);
  return Number.isFinite(value) && value >= 0 ? value : undefined;
}

function isConnectionRefused(error: unknown): boolean {
  const code = (error as { code?: string })?.code;
  return code === 'ECONNREFUSED' || error instanceof undiciErrors.ConnectTimeoutError;
}

function shouldRetry(call: Call, error: ClawdforgeError, attempt: number, maxRetries: number): boolean {
  if (attempt >= maxRetries || call.retry === 'never' || call.stream) return false;
  if (error.code === 'network_error' && isConnectionRefused(error.cause)) return true;
  // Refused before anything ran: safe to repeat even a run.
  if (error.code === 'queue_full' || error.code === 'server_busy') return (error.retryAfter ?? 0) <= MAX_RETRY_AFTER_SECS;
  if (call.retry !== 'idempotent') return false;
  return (error.status === 429 || error.status === 503) && error.retryAfter !== undefined && error.retryAfter <= MAX_RETRY_AFTER_SECS;
}

/**
 * How long to wait before retry `attempt` (0-based): the service's Retry-After
 * plus up to a quarter more, or 0.25 s doubling each time, jittered from half
 * to all of it, so clients refused together do not come back together.
 */
export function backoffMs(retryAfterSecs: number | undefined, attempt: number, random: () => number = Math.random): number {
  if (retryAfterSecs !== undefined) return retryAfterSecs * 1000 * (1 + 0.25 * random());
  return 250 * 2 ** attempt * (0.5 + 0.5 * random());
}

export class Transport {
  constructor(private readonly options: TransportOptions) {}

  /** A call answered with JSON. */
  call<T>(call: Call): Promise<T> {
    return this.withRetries(call, () => this.once<T>(call, false));
  }

  /**
   * A call answered with Server-Sent Events (Accept: text/event-stream). A refusal before the stream starts
   * is thrown (and retried) as for any call; a failure while it is read is thrown by the iterator.
   */
  events(call: Call): Promise<AsyncGenerator<SseMessage>> {
    return this.withRetries(call, () => this.once<AsyncGenerator<SseMessage>>(call, true));
  }

  private async withRetries<T>(call: Call, attemptOnce: () => Promise<T>): Promise<T> {
    const maxRetries = call.maxRetries ?? this.options.maxRetries;
    const timeoutMs = call.timeoutMs ?? this.options.timeoutMs;
    // A caller's mistake, said at once: NaN retries would never stop, a bad timeout would throw from deep inside.
    if (!Number.isInteger(maxRetries) || maxRetries < 0) throw new TypeError(`maxRetries must be a whole number >= 0, not ${maxRetries}`);
    if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) throw new TypeError(`timeoutMs must be a whole number of milliseconds > 0, not ${timeoutMs}`);
    for (let attempt = 0; ; attempt++) {
      try {
        return await attemptOnce();
      } catch (error) {
        if (!(error instanceof ClawdforgeError) || !shouldRetry(call, error, attempt, maxRetries)) throw error;
        await sleep(backoffMs(error.retryAfter, attempt), undefined, call.signal ? { signal: call.signal } : undefined).catch(() => {
          throw errorFor('aborted', 'The call was aborted by the caller.', { cause: call.signal?.reason });
        });
      }
    }
  }

  private async once<T>(call: Call, events: boolean): Promise<T> {
    const timeoutMs = call.timeoutMs ?? this.options.timeoutMs;
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = call.signal ? AbortSignal.any([call.signal, timeout]) : timeout;
    const headers: Record<string, string> = { ...call.headers, authorization: `Bearer ${this.options.token}`, accept: events ? 'text/event-stream' : 'application/json' };
    const failure = (cause: unknown) => {
      if (call.signal?.aborted) return errorFor('aborted', 'The call was aborted by the caller.', { cause });
      if (timeout.aborted) return errorFor('timeout', `No answer within ${timeoutMs} ms.`, { cause });
      return errorFor('network_error', `Could not reach ${this.options.baseUrl}: ${(cause as Error).message}`, { cause });
    };
    let body: string | AsyncIterable<Uint8Array> | NodeJS.ReadableStream | undefined;
    if (call.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(call.json);
    } else if (call.stream) {
      headers['content-type'] = call.stream.contentType;
      if (call.stream.contentLength !== undefined) headers['content-length'] = String(call.stream.contentLength);
      body = call.stream.body;
    }

    let response: Dispatcher.ResponseData;
    let text: string;
    try {
      response = await request(new URL(call.path, this.options.baseUrl), {
        method: call.method,
        headers,
        // undici sends async iterables too, though its type does not list them.
        body: (body ?? null) as NonNullable<Dispatcher.RequestOptions['body']> | null,
        signal,
        ...(this.options.dispatcher ? { dispatcher: this.options.dispatcher } : {}),
      });
      if (events && response.statusCode === 200 && String(response.headers['content-type']).startsWith('text/event-stream')) {
        return readMapped(readServerSentEvents(response.body), failure) as T;
      }
      text = await response.body.text();
    } catch (cause) {
      throw failure(cause);
    }

    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch (cause) {
      throw errorFor('invalid_response', `The service answered ${response.statusCode} with a body that is not JSON.`, { status: response.statusCode, cause });
    }
    if (response.statusCode >= 400) {
      const envelope = parsed as { ok?: boolean; error?: { code?: string; message?: string } } | undefined;
      const retryAfter = retryAfterOf(response.headers['retry-after']);
      const requestId = response.headers['x-request-id'];
      if (envelope?.ok === false && typeof envelope.error?.code === 'string') {
        throw errorFor(envelope.error.code, envelope.error.message ?? '', {
          status: response.statusCode,
          ...(retryAfter === undefined ? {} : { retryAfter }),
          ...(typeof requestId === 'string' ? { requestId } : {}),
        });
      }
      throw errorFor('invalid_response', `The service answered ${response.statusCode} without its error envelope.`, { status: response.statusCode });
    }
    return parsed as T;
  }
}

/** The events of a stream, a failure while reading them thrown as the ClawdforgeError it is. */
async function* readMapped(messages: AsyncGenerator<SseMessage>, failure: (cause: unknown) => ClawdforgeError): AsyncGenerator<SseMessage> {
  try {
    yield* messages;
  } catch (cause) {
    throw failure(cause);
  }
}

// One HTTP call to the service: JSON in and out, timeouts and caller aborts told
// apart, the error envelope turned into ClawdforgeError, and retries only where
// a retry cannot do something twice.
import { setTimeout as sleep } from 'node:timers/promises';
import { errors as undiciErrors, request, type Dispatcher } from 'undici';
import { ClawdforgeError } from './errors.js';

export interface TransportOptions {
  baseUrl: string;
  token: string;
  timeoutMs: number;
  maxRetries: number;
  dispatcher?: Dispatcher | undefined;
}

export interface Call {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  path: string;
  json?: unknown;
  /** A body that can be sent once only (a stream): never retried. */
  stream?: { body: AsyncIterable<Uint8Array> | NodeJS.ReadableStream; contentType: string; contentLength?: number };
  signal?: AbortSignal | undefined;
  /**
   * `idempotent`: retried on connection refusal and on 429/503 with Retry-After.
   * `not-run-yet`: retried only when the service says nothing ran (queue_full) or the connection was refused.
   */
  retry: 'idempotent' | 'not-run-yet' | 'never';
}

const MAX_RETRY_AFTER_SECS = 60;

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

export class Transport {
  constructor(private readonly options: TransportOptions) {}

  async call<T>(call: Call): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.once<T>(call);
      } catch (error) {
        if (!(error instanceof ClawdforgeError) || !shouldRetry(call, error, attempt, this.options.maxRetries)) throw error;
        await sleep((error.retryAfter ?? 0.25 * 2 ** attempt) * 1000, undefined, call.signal ? { signal: call.signal } : undefined).catch(() => {
          throw new ClawdforgeError('aborted', 'The call was aborted by the caller.', { cause: call.signal?.reason });
        });
      }
    }
  }

  private async once<T>(call: Call): Promise<T> {
    const timeout = AbortSignal.timeout(this.options.timeoutMs);
    const signal = call.signal ? AbortSignal.any([call.signal, timeout]) : timeout;
    const headers: Record<string, string> = { authorization: `Bearer ${this.options.token}`, accept: 'application/json' };
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
      text = await response.body.text();
    } catch (cause) {
      if (call.signal?.aborted) throw new ClawdforgeError('aborted', 'The call was aborted by the caller.', { cause });
      if (timeout.aborted) throw new ClawdforgeError('timeout', `No answer within ${this.options.timeoutMs} ms.`, { cause });
      throw new ClawdforgeError('network_error', `Could not reach ${this.options.baseUrl}: ${(cause as Error).message}`, { cause });
    }

    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch (cause) {
      throw new ClawdforgeError('invalid_response', `The service answered ${response.statusCode} with a body that is not JSON.`, { status: response.statusCode, cause });
    }
    if (response.statusCode >= 400) {
      const envelope = parsed as { ok?: boolean; error?: { code?: string; message?: string } } | undefined;
      const retryAfter = retryAfterOf(response.headers['retry-after']);
      const requestId = response.headers['x-request-id'];
      if (envelope?.ok === false && typeof envelope.error?.code === 'string') {
        throw new ClawdforgeError(envelope.error.code as ClawdforgeError['code'], envelope.error.message ?? '', {
          status: response.statusCode,
          ...(retryAfter === undefined ? {} : { retryAfter }),
          ...(typeof requestId === 'string' ? { requestId } : {}),
        });
      }
      throw new ClawdforgeError('invalid_response', `The service answered ${response.statusCode} without its error envelope.`, { status: response.statusCode });
    }
    return parsed as T;
  }
}

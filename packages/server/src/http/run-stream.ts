// POST /run with `Accept: text/event-stream`: the same run (auth, policy,
// quotas, queue, audit row) with its events sent as Server-Sent Events as they
// happen, ending with `result` (the blocking answer's body) or `error` (the
// envelope). Refusals before the run is queued are ordinary JSON errors: the
// stream starts with the first event, `queued`.
import type { ServerResponse } from 'node:http';
import { runResponseSchema, type RunEvent } from '@clawdforge/shared';
import type { AuthenticatedApp } from '../auth/app-auth.js';
import { toPublicError } from '../errors.js';
import type { RunInput } from '../runs/run-service.js';
import type { Services } from '../services.js';
import { errorBody } from './send.js';

/** Between events, a comment line at this interval keeps proxies and idle timers from closing the stream. */
export const SSE_HEARTBEAT_MS = 15_000;
/** What a reader that does not keep up may leave unsent before it is cut off (the run is then cancelled). */
const MAX_UNSENT_BYTES = 16 * 1024 * 1024;

const SSE_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
  // nginx and the like would otherwise hold the events back.
  'x-accel-buffering': 'no',
};

/** True when the Accept header names text/event-stream. */
export function wantsEventStream(accept: string | undefined): boolean {
  return (accept ?? '').split(',').some((range) => range.split(';')[0]!.trim().toLowerCase() === 'text/event-stream');
}

/** One event as an SSE frame. JSON has no raw line breaks, so `data:` is one line whatever the text holds. */
export function sseFrame(event: RunEvent): string {
  return `id: ${event.seq}\nevent: ${event.type}\ndata: ${JSON.stringify(event.data)}\n\n`;
}

export async function streamRun(
  res: ServerResponse,
  services: Services,
  app: AuthenticatedApp,
  input: RunInput,
  options: { requestId: string; signal: AbortSignal; heartbeatMs: number },
): Promise<void> {
  let seq = 0;
  let heartbeat: NodeJS.Timeout | undefined;
  const write = (text: string) => {
    if (res.destroyed || res.writableEnded) return;
    res.write(text);
    if (res.writableLength > MAX_UNSENT_BYTES) res.destroy(); // closes the request: the run is cancelled
  };
  const send = (type: RunEvent['type'], data: RunEvent['data']) => {
    if (seq === 0) {
      res.writeHead(200, SSE_HEADERS);
      heartbeat = setInterval(() => write(':\n\n'), options.heartbeatMs);
    }
    seq += 1;
    write(sseFrame({ seq, type, data } as RunEvent));
  };
  try {
    const response = await services.runs.run(app, input, options.signal, options.requestId, (event) => send(event.type, event.data));
    send('result', runResponseSchema.parse(response));
  } catch (error) {
    if (seq === 0) throw error; // not queued: answered as JSON, with its status, by the caller
    send('error', errorBody(toPublicError(error), options.requestId));
  } finally {
    clearInterval(heartbeat);
    if (seq > 0 && !res.writableEnded) res.end();
  }
}

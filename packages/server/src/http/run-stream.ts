// POST /run (or a session's turn) with `Accept: text/event-stream`: the same run (auth, policy,
// quotas, queue, audit row) with its events sent as Server-Sent Events as they
// happen, ending with `result` (the blocking answer's body) or `error` (the
// envelope). Refusals before the run is queued are ordinary JSON errors: the
// stream starts with the first event, `queued`.
import type { ServerResponse } from 'node:http';
import { runResponseSchema, type RunEvent } from '@clawdforge/shared';
import type { RunResponse } from '@clawdforge/shared';
import { toPublicError } from '../errors.js';
import type { RunOptions } from '../runs/run-service.js';
import type { Services } from '../services.js';
import { EventStreamWriter } from './event-stream.js';
import { errorBody } from './send.js';

/** What a streamed run is started with: the request's signal and id, and the watcher that sends its events. */
export type StreamedRunOptions = Pick<RunOptions, 'signal' | 'requestId' | 'onProgress'>;

export async function streamRun(
  res: ServerResponse,
  services: Services,
  start: (options: StreamedRunOptions) => Promise<RunResponse>,
  options: { requestId: string; signal: AbortSignal; heartbeatMs: number },
): Promise<void> {
  const stream = new EventStreamWriter(res, options.heartbeatMs, services.metrics);
  let seq = 0;
  const send = (type: RunEvent['type'], data: RunEvent['data']) => stream.send({ seq: ++seq, type, data } as RunEvent);
  try {
    const response = await start({ signal: options.signal, requestId: options.requestId, onProgress: (event) => send(event.type, event.data) });
    send('result', runResponseSchema.parse(response));
  } catch (error) {
    if (!stream.opened) throw error; // not queued: answered as JSON, with its status, by the caller
    send('error', errorBody(toPublicError(error), options.requestId));
  } finally {
    stream.end();
  }
}

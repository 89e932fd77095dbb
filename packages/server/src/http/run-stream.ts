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
import { EventStreamWriter } from './event-stream.js';
import { errorBody } from './send.js';

export async function streamRun(
  res: ServerResponse,
  services: Services,
  app: AuthenticatedApp,
  input: RunInput,
  options: { requestId: string; signal: AbortSignal; heartbeatMs: number },
): Promise<void> {
  const stream = new EventStreamWriter(res, options.heartbeatMs, services.metrics);
  let seq = 0;
  const send = (type: RunEvent['type'], data: RunEvent['data']) => stream.send({ seq: ++seq, type, data } as RunEvent);
  try {
    const response = await services.runs.run(app, input, { signal: options.signal, requestId: options.requestId, onProgress: (event) => send(event.type, event.data) });
    send('result', runResponseSchema.parse(response));
  } catch (error) {
    if (!stream.opened) throw error; // not queued: answered as JSON, with its status, by the caller
    send('error', errorBody(toPublicError(error), options.requestId));
  } finally {
    stream.end();
  }
}

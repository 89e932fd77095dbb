// GET /runs/{run_id}/events: an async run's events as Server-Sent Events, from
// the start or after the `Last-Event-ID` a reconnecting reader sends, live
// until the run's last event (`result` or `error`), then the stream ends.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { runIdInputSchema } from '@clawdforge/shared';
import type { AuthenticatedApp } from '../auth/app-auth.js';
import { ApiError } from '../errors.js';
import { EventStreamWriter } from '../http/event-stream.js';
import type { Services } from '../services.js';

/** The sequence number a reader last saw: events after it are sent. 0 (from the start) without the header. */
function lastEventIdOf(header: string | string[] | undefined): number {
  if (header === undefined) return 0;
  const text = Array.isArray(header) ? header[0] ?? '' : header;
  if (!/^\d{1,9}$/.test(text.trim())) throw new ApiError('invalid_request', 'Last-Event-ID: send the id (a whole number) of the last event you received.');
  return Number(text.trim());
}

export async function handleRunEvents(req: IncomingMessage, res: ServerResponse, services: Services, app: AuthenticatedApp, runId: string, heartbeatMs: number): Promise<void> {
  if (!runIdInputSchema.safeParse({ run_id: runId }).success) throw new ApiError('not_found', 'No such run.');
  const after = lastEventIdOf(req.headers['last-event-id']);
  const stream = new EventStreamWriter(res, heartbeatMs, services.metrics);
  // Throws not_found for another app's run, before anything is sent.
  const following = services.asyncRuns.follow(app.name, runId, after, (event) => stream.send(event));
  stream.open();
  res.once('close', following.stop);
  await following.done;
  stream.end();
}

// GET /runs/{run_id}/events: an async run's events as Server-Sent Events, from
// the start or after the `Last-Event-ID` a reconnecting reader sends, live
// until the run's last event (`result` or `error`), then the stream ends.
// Stored events go out a page at a time, each page after the last has drained,
// so a long run's replay never sits whole in memory.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { runIdInputSchema } from '@clawdforge/shared';
import type { AuthenticatedApp } from '../auth/app-auth.js';
import { ApiError } from '../errors.js';
import { EventStreamWriter } from '../http/event-stream.js';
import type { Services } from '../services.js';
import { isLastEvent, MAX_EVENT_STREAMS_PER_APP } from './async-run-service.js';

const PAGE = 200;

/** The sequence number a reader last saw: events after it are sent. 0 (from the start) without the header. */
function lastEventIdOf(header: string | string[] | undefined): number {
  if (header === undefined) return 0;
  const text = (Array.isArray(header) ? header[0] ?? '' : header).trim();
  if (!/^\d{1,9}$/.test(text)) throw new ApiError('invalid_request', 'Last-Event-ID: send the id (a whole number) of the last event you received.');
  return Number(text);
}


export async function handleRunEvents(req: IncomingMessage, res: ServerResponse, services: Services, app: AuthenticatedApp, runId: string, heartbeatMs: number): Promise<void> {
  const { asyncRuns } = services;
  if (!runIdInputSchema.safeParse({ run_id: runId }).success) throw new ApiError('not_found', 'No such run.');
  let last = lastEventIdOf(req.headers['last-event-id']);
  asyncRuns.checkOwner(app, runId); // not_found for another app's run, before anything is sent
  if (!asyncRuns.streamOpened(app.name)) {
    throw new ApiError('server_busy', `This app has ${MAX_EVENT_STREAMS_PER_APP} event streams open already; close one first.`, { retryAfterSecs: 1 });
  }
  const stream = new EventStreamWriter(res, heartbeatMs, services.metrics);
  let closed = false;
  res.once('close', () => {
    closed = true;
    asyncRuns.streamClosed(app.name);
  });
  stream.open();
  try {
    for (;;) {
      const page = asyncRuns.storedEvents(runId, last, PAGE);
      for (const event of page) stream.send(event);
      if (page.length > 0) last = page.at(-1)!.seq;
      if (page.some(isLastEvent) || closed) return;
      if (page.length === PAGE) {
        await stream.drained();
        continue;
      }
      // Caught up: from here on, live (attached in the same turn as the last read, so nothing falls between).
      const following = asyncRuns.attach(runId, last, (event) => stream.send(event));
      if (!following) return; // not live and no last event stored: nothing more will come
      res.once('close', following.stop);
      await following.done;
      return;
    }
  } finally {
    stream.end();
  }
}

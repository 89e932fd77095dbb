import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { PeerLogLimiter } from './peer-log-limiter.js';

// File tokens are capabilities: keep them out of logged paths.
const FILE_TOKEN = /ff_[A-Za-z0-9_-]+/g;

/** The path without its query string, with secrets masked. */
export function loggablePath(url: string | undefined): string {
  return (url ?? '/').split('?')[0]!.replace(FILE_TOKEN, 'ff_***');
}

/**
 * The one structured line of a request, written once it ends; never a token,
 * a header value or a body. Successful health and metrics polls are debug lines. Refusals of callers nobody knows (no token, not
 * allowed) go through `refusedStrangers`, so a loop of them cannot fill the
 * disk with log.
 */
export function logRequest(
  logger: Logger,
  req: IncomingMessage,
  res: ServerResponse,
  details: { requestId: string; peer: string; state: { app?: string }; probe?: boolean; startedAt: bigint; refusedStrangers: PeerLogLimiter },
): void {
  if (details.probe && res.statusCode < 400 && !logger.isLevelEnabled('debug')) return;
  const stranger = details.state.app === undefined && (!res.headersSent || res.statusCode >= 400);
  const fields = {
    request_id: details.requestId,
    method: req.method,
    path: loggablePath(req.url),
    // What was actually sent: null when the client went away before any answer.
    status: res.headersSent ? res.statusCode : null,
    duration_ms: Number(process.hrtime.bigint() - details.startedAt) / 1e6,
    app: details.state.app ?? null,
    peer: details.peer,
    aborted: !res.writableFinished,
  };
  if (details.probe && res.statusCode < 400) logger.debug(fields, 'request');
  else if (stranger) details.refusedStrangers.log(details.peer, fields, 'request');
  else logger.info(fields, 'request');
}

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { PeerLogLimiter } from './peer-log-limiter.js';

// File tokens are capabilities: keep them out of logged paths.
const FILE_TOKEN = /ff_[A-Za-z0-9_-]+/g;

/** Longest path logged as is: a path can be 16 KiB, and a line per request must not be. */
const MAX_LOGGED_PATH = 256;

/** The path without its query string, with secrets masked, cut to 256 characters. */
export function loggablePath(url: string | undefined): string {
  const path = (url ?? '/').split('?')[0]!.replace(FILE_TOKEN, 'ff_***');
  return path.length > MAX_LOGGED_PATH ? `${path.slice(0, MAX_LOGGED_PATH)}…(+${path.length - MAX_LOGGED_PATH})` : path;
}

/**
 * The one structured line of a request, written once it ends; never a token,
 * a header value or a body. Successful health and metrics polls are debug
 * lines. Requests of callers nobody knows (no token, a wrong one, a refused
 * address, a public path such as OPTIONS) go through `strangers`: a few lines
 * a minute per peer, so a loop of them cannot fill the disk with log.
 */
export function logRequest(
  logger: Logger,
  req: IncomingMessage,
  res: ServerResponse,
  details: { requestId: string; peer: string; state: { app?: string }; probe?: boolean },
  startedAt: bigint,
  strangers: PeerLogLimiter,
): void {
  const quietProbe = details.probe === true && res.statusCode < 400;
  if (quietProbe && !logger.isLevelEnabled('debug')) return;
  // Nobody known: no app token or admin token was checked (refusals, and public paths such as OPTIONS).
  const stranger = !quietProbe && details.state.app === undefined;
  if (stranger && !strangers.admit(details.peer)) return; // counted, not written
  const fields = {
    request_id: details.requestId,
    method: req.method,
    path: loggablePath(req.url),
    // What was actually sent: null when the client went away before any answer.
    status: res.headersSent ? res.statusCode : null,
    duration_ms: Number(process.hrtime.bigint() - startedAt) / 1e6,
    app: details.state.app ?? null,
    peer: details.peer,
    aborted: !res.writableFinished,
  };
  if (quietProbe) logger.debug(fields, 'request');
  else logger.info(fields, 'request');
}

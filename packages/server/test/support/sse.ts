// A Server-Sent Events reader for tests: the raw frames as they arrive, each
// with its arrival time, parsed by the SSE rules (fields per line, a blank line
// ends an event, `:` lines are comments).
import { request, type ClientRequest, type IncomingMessage } from 'node:http';

export interface SseFrame {
  id?: string;
  event?: string;
  /** Each `data:` line of the frame, in order. */
  dataLines: string[];
  /** JSON.parse of the joined data. */
  data: any;
  /** ms since the request was sent. */
  at: number;
}

export interface SseExchange {
  status: number;
  headers: IncomingMessage['headers'];
  frames: SseFrame[];
  comments: number;
  /** The body when the answer was not an event stream (a JSON refusal). */
  text: string;
}

/** POSTs `body` to `path` with Accept: text/event-stream and reads the answer to its end. */
export function postForEvents(
  baseUrl: string,
  path: string,
  token: string,
  body: unknown,
  options: { onFrame?: (frame: SseFrame, req: ClientRequest) => void } = {},
): Promise<SseExchange> {
  return exchangeEvents(baseUrl, path, token, { method: 'POST', body, onFrame: options.onFrame });
}

/** GETs an event stream (optionally resuming after `lastEventId`) and reads it to its end. */
export function getEvents(
  baseUrl: string,
  path: string,
  token: string,
  options: { lastEventId?: string; onFrame?: (frame: SseFrame, req: ClientRequest) => void } = {},
): Promise<SseExchange> {
  return exchangeEvents(baseUrl, path, token, {
    method: 'GET',
    headers: options.lastEventId === undefined ? {} : { 'last-event-id': options.lastEventId },
    onFrame: options.onFrame,
  });
}

function exchangeEvents(
  baseUrl: string,
  path: string,
  token: string,
  options: { method: string; body?: unknown; headers?: Record<string, string>; onFrame?: ((frame: SseFrame, req: ClientRequest) => void) | undefined },
): Promise<SseExchange> {
  const started = Date.now();
  const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
  const exchange: SseExchange = { status: 0, headers: {}, frames: [], comments: 0, text: '' };
  return new Promise((resolve, reject) => {
    const req = request(
      `${baseUrl}${path}`,
      {
        method: options.method,
        headers: {
          authorization: `Bearer ${token}`,
          accept: 'text/event-stream',
          ...(payload === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }),
          ...options.headers,
        },
      },
      (res) => {
        exchange.status = res.statusCode ?? 0;
        exchange.headers = res.headers;
        let pending = '';
        let frame: Omit<SseFrame, 'data' | 'at'> = { dataLines: [] };
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          exchange.text += chunk;
          if (!String(res.headers['content-type']).startsWith('text/event-stream')) return;
          pending += chunk;
          const lines = pending.split('\n');
          pending = lines.pop()!;
          for (const line of lines) {
            if (line === '') {
              if (frame.dataLines.length > 0) {
                const complete = { ...frame, data: JSON.parse(frame.dataLines.join('\n')), at: Date.now() - started };
                exchange.frames.push(complete);
                options.onFrame?.(complete, req);
              }
              frame = { dataLines: [] };
            } else if (line.startsWith(':')) exchange.comments += 1;
            else {
              const colon = line.indexOf(':');
              const [field, value] = colon === -1 ? [line, ''] : [line.slice(0, colon), line.slice(colon + 1).replace(/^ /, '')];
              if (field === 'data') frame.dataLines.push(value);
              else if (field === 'id' || field === 'event') frame[field] = value;
            }
          }
        });
        res.on('end', () => resolve(exchange));
        res.on('error', reject);
        res.on('aborted', () => resolve(exchange));
      },
    );
    req.on('error', (error) => ((error as NodeJS.ErrnoException).code === 'ECONNRESET' ? undefined : reject(error)));
    req.on('close', () => resolve(exchange)); // a test that cut the stream short gets what came before
    req.end(payload);
  });
}

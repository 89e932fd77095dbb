// HTTP/1.1 written by hand on a raw socket: for what well-behaved clients never
// send (held-back bodies, oversized headers, garbage), and to see exactly what
// the server answers and when.
import { request } from 'node:http';
import { connect, type Socket } from 'node:net';

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  json: any;
}

/** Parses the first complete response in `text`, or null when it has not fully arrived (`headOnly`: an answer to HEAD, no body). */
export function parseResponse(text: string, headOnly = false): RawResponse | null {
  const end = text.indexOf('\r\n\r\n');
  if (end === -1) return null;
  const [statusLine = '', ...lines] = text.slice(0, end).split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const length = Number(headers['content-length'] ?? 0);
  const body = text.slice(end + 4);
  if (!headOnly && Buffer.byteLength(body) < length) return null;
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    json = undefined;
  }
  return { status: Number(statusLine.split(' ')[1]), headers, body, json };
}

export interface RawExchange {
  socket: Socket;
  /** Resolves with the first full response (rejects if the socket closes before one). */
  response: Promise<RawResponse>;
  /** Resolves when the server closes the connection. */
  closed: Promise<void>;
}

/** Opens a connection, writes `head` (and nothing more unless the caller writes), and collects the answer. */
export function rawExchange(url: string, head: string | Buffer): RawExchange {
  const headOnly = typeof head === 'string' && head.startsWith('HEAD ');
  const { port, hostname } = new URL(url);
  const socket = connect(Number(port), hostname);
  socket.on('error', () => {});
  let text = '';
  const response = new Promise<RawResponse>((resolve, reject) => {
    socket.on('data', (chunk) => {
      text += chunk.toString('utf8');
      const parsed = parseResponse(text, headOnly);
      if (parsed) resolve(parsed);
    });
    socket.on('close', () => reject(new Error(`closed before a full response: ${JSON.stringify(text.slice(0, 200))}`)));
  });
  const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
  response.catch(() => {});
  socket.write(head);
  return { socket, response, closed };
}

/** A request head with the given headers (Host and Connection added). */
export function head(method: string, path: string, headers: Record<string, string | number> = {}): string {
  const lines = [`${method} ${path} HTTP/1.1`, 'Host: 127.0.0.1', ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`)];
  return lines.join('\r\n') + '\r\n\r\n';
}

/** One request over node:http (any method, TRACE included); the status and the body as text. */
export function httpRequest(url: string, method: string, headers: Record<string, string>, body?: string): Promise<{ status: number; text: string; headers: Record<string, string | string[] | undefined> }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text, headers: res.headers }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

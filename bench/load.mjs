// A small closed-loop HTTP/1.1 load generator for `npm run bench`: N
// keep-alive connections, each sending the same request again as soon as the
// previous answer is complete. Raw sockets and a minimal response parser, so
// the generator costs little next to the server it measures (it shares the
// machine with it). Reconnects when the server closes a connection.
import { connect } from 'node:net';

const HEAD_END = Buffer.from('\r\n\r\n');

/**
 * Sends `request` (the raw bytes of one request) over `connections` sockets
 * for `durationMs`; returns requests answered per second and a count per status.
 */
export function measureRate(url, request, { connections = 16, durationMs = 3000, warmupMs = 500 } = {}) {
  const { hostname, port } = new URL(url);
  const statuses = {};
  let counting = false;
  let answered = 0;
  let stopped = false;
  const sockets = new Set();

  const open = () => {
    if (stopped) return;
    const socket = connect(Number(port), hostname);
    socket.setNoDelay(true);
    sockets.add(socket);
    let pending = Buffer.alloc(0);
    socket.on('connect', () => socket.write(request));
    socket.on('data', (chunk) => {
      pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
      for (;;) {
        const end = pending.indexOf(HEAD_END);
        if (end === -1) return;
        const head = pending.subarray(0, end).toString('latin1');
        const length = Number(/\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1] ?? 0);
        if (pending.length < end + 4 + length) return;
        pending = pending.subarray(end + 4 + length);
        const status = head.slice(9, 12);
        if (counting) {
          answered += 1;
          statuses[status] = (statuses[status] ?? 0) + 1;
        }
        if (/\r\nconnection:\s*close/i.test(head)) {
          socket.destroy();
          return;
        }
        if (!stopped) socket.write(request);
      }
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      sockets.delete(socket);
      open();
    });
  };

  for (let i = 0; i < connections; i++) open();
  return new Promise((resolve) => {
    setTimeout(() => {
      counting = true;
      const started = process.hrtime.bigint();
      setTimeout(() => {
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        counting = false;
        stopped = true;
        for (const socket of sockets) socket.destroy();
        resolve({ perSecond: answered / seconds, statuses });
      }, durationMs);
    }, warmupMs);
  });
}

/** The raw bytes of one request. */
export function rawRequest(method, path, headers = {}, body = '') {
  const lines = [`${method} ${path} HTTP/1.1`, 'Host: 127.0.0.1'];
  for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
  if (body || method === 'POST') lines.push(`Content-Length: ${Buffer.byteLength(body)}`);
  return Buffer.from(lines.join('\r\n') + '\r\n\r\n' + body);
}

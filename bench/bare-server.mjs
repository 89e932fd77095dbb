#!/usr/bin/env node
// The yardstick for `npm run bench`: a plain node:http server that answers
// every request with the same small JSON body, read nothing, checks nothing.
// Prints {"url": ...} once listening.
import { createServer } from 'node:http';

const body = JSON.stringify({ ok: true, db: 'ok' });
const server = createServer((req, res) => {
  req.resume();
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
});
server.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ url: `http://127.0.0.1:${server.address().port}` })));
process.on('SIGTERM', () => server.close(() => process.exit(0)));

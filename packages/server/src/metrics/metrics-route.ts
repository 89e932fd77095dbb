import type { IncomingMessage, ServerResponse } from 'node:http';
import { bearerToken } from '../auth/bearer.js';
import { sendError } from '../http/send.js';
import type { Services } from '../services.js';
import { secretsEqual } from '../tokens/token-secret.js';

/** GET /metrics: Prometheus text format, behind the IP allowlist and, when set, METRICS_TOKEN. */
export async function handleMetrics(req: IncomingMessage, res: ServerResponse, services: Services): Promise<void> {
  const { metricsToken } = services.config;
  if (metricsToken) {
    const token = bearerToken(req.headers.authorization);
    if (!token || !secretsEqual(token, metricsToken)) {
      sendError(res, { code: 'unauthorized', message: 'GET /metrics needs "Authorization: Bearer <METRICS_TOKEN>".' });
      return;
    }
  }
  const body = await services.metrics.registry.metrics();
  res.writeHead(200, { 'content-type': services.metrics.registry.contentType, 'cache-control': 'no-store' });
  res.end(body);
}

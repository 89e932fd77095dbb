import type { ServerResponse } from 'node:http';
import { bearerToken } from '../auth/bearer.js';
import type { Config } from '../config.js';
import { ApiError } from '../errors.js';
import type { Services } from '../services.js';
import { secretsEqual } from '../tokens/token-secret.js';

/** GET /metrics is behind the IP allowlist and, when set, METRICS_TOKEN (checked from the headers, before anything else). */
export function checkMetricsToken(config: Config, authorization: string | undefined): void {
  if (!config.metricsToken) return;
  const token = bearerToken(authorization);
  if (!token || !secretsEqual(token, config.metricsToken)) {
    throw new ApiError('unauthorized', 'GET /metrics needs "Authorization: Bearer <METRICS_TOKEN>".');
  }
}

/** GET /metrics: Prometheus text format. */
export async function handleMetrics(res: ServerResponse, services: Services): Promise<void> {
  const body = await services.metrics.registry.metrics();
  res.writeHead(200, { 'content-type': services.metrics.registry.contentType, 'cache-control': 'no-store' });
  res.end(body);
}

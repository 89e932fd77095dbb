import type { ServerResponse } from 'node:http';
import { bearerToken } from '../auth/bearer.js';
import type { Config } from '../config.js';
import type { PublicError } from '../errors.js';
import type { Services } from '../services.js';
import { secretsEqual } from '../tokens/token-secret.js';

const NO_METRICS_TOKEN: PublicError = { code: 'unauthorized', message: 'GET /metrics needs "Authorization: Bearer <METRICS_TOKEN>".' };

/** GET /metrics is behind the IP allowlist and, when set, METRICS_TOKEN (checked from the headers, before anything else). Null when it passes. */
export function checkMetricsToken(config: Config, authorization: string | undefined): PublicError | null {
  if (!config.metricsToken) return null;
  const token = bearerToken(authorization);
  return token && secretsEqual(token, config.metricsToken) ? null : NO_METRICS_TOKEN;
}

/** GET /metrics: Prometheus text format. */
export async function handleMetrics(res: ServerResponse, services: Services): Promise<void> {
  const body = await services.metrics.registry.metrics();
  res.writeHead(200, { 'content-type': services.metrics.registry.contentType, 'cache-control': 'no-store' });
  res.end(body);
}

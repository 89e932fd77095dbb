import { ERROR_STATUS, type ErrorCode } from '@clawdforge/shared';
import { expect } from 'vitest';
import type { ApiResponse } from './test-server.js';

/** Asserts the documented error envelope, the status of `code`, and the response's own request id in it. */
export function expectError(response: ApiResponse, code: ErrorCode): void {
  expect({ status: response.status, code: response.body?.error?.code }).toEqual({ status: ERROR_STATUS[code], code });
  expect(response.body).toEqual({
    ok: false,
    error: { code, message: expect.any(String), request_id: response.headers.get('x-request-id') },
  });
  expect(response.body.error.message.length).toBeGreaterThan(0);
}

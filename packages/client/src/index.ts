export { Clawdforge, type ClawdforgeOptions, type RunResult, type ResultSchema, type StructuredSchema, type CallOptions, type UploadOptions } from './client.js';
export { ClawdforgeAdmin, type ClawdforgeAdminOptions } from './admin.js';
export { ClawdforgeError, type ClawdforgeErrorCode } from './errors.js';
export type { UploadSource } from './multipart.js';
export type {
  AdminAction,
  AdminActionPage,
  CreatedToken,
  CreateTokenInput,
  ErrorCode,
  FileInfo,
  Health,
  ListRunsInput,
  RunDetail,
  RunPage,
  RunRecord,
  RunRequest,
  RunResponse,
  RotatedToken,
  TokenInfo,
  TokenPolicy,
  UpdateTokenInput,
  GrantableTool,
  UsageInput,
  UsageReport,
} from '@clawdforge/shared';

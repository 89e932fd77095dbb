// The typed SDK arrives with its own issue; until then the package re-exports
// the shared contracts so consumers can already type their own calls.
export type { ErrorBody, ErrorCode, Health, RunRequest, RunResponse, CreatedToken, TokenInfo } from '@clawdforge/shared';
export { ERROR_STATUS, ERROR_CODES } from '@clawdforge/shared';

// One table type per domain, aggregated into the Database type Kysely checks queries against.
import type { Generated } from 'kysely';

export interface TokensTable {
  name: string;
  /** Hex SHA-256 of the plaintext token; the plaintext is never stored. */
  token_hash: string;
  /** JSON array of CIDR strings; empty means "any address the service allows". */
  ip_cidrs: string;
  created_at: string;
  last_used_at: string | null;
}

export interface RunsTable {
  id: string;
  app: string;
  model: string;
  /** Null when AUDIT_PROMPTS=off. */
  prompt: string | null;
  prompt_chars: number;
  system_chars: number;
  file_count: number;
  response_chars: number | null;
  status: string;
  error_code: string | null;
  exit_code: number | null;
  stop_reason: string | null;
  session_id: string | null;
  input_tokens: number | null;
  output_tokens: number | null;
  cost_usd: number | null;
  queue_wait_ms: number;
  duration_ms: number;
  created_at: string;
  seq: Generated<number>;
}

export interface Database {
  tokens: TokensTable;
  runs: RunsTable;
}

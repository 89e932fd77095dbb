// The environment a run's CLI process gets: an allowlist, not the service's
// environment minus a few secrets. Whatever else the service was started with
// (its admin and metrics tokens, its own settings, an operator's unrelated
// secrets, NODE_OPTIONS) never reaches a process that an app's prompt drives.

/** Passed by exact name when the service has them: locale, proxies, CA certificates, where the CLI keeps its login. */
export const CLAUDE_ENV_NAMES = [
  'PATH', 'HOME', 'USER', 'LOGNAME', 'SHELL', 'LANG', 'LANGUAGE', 'TZ', 'TMPDIR',
  'HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY', 'ALL_PROXY', 'http_proxy', 'https_proxy', 'no_proxy', 'all_proxy',
  'NODE_EXTRA_CA_CERTS', 'SSL_CERT_FILE', 'SSL_CERT_DIR',
  'CLAUDE_CONFIG_DIR',
] as const;

/** Passed by prefix: locale categories, and the CLI's own credentials and settings (ANTHROPIC_API_KEY, CLAUDE_CODE_OAUTH_TOKEN, ...). */
export const CLAUDE_ENV_PREFIXES = ['LC_', 'ANTHROPIC_', 'CLAUDE_CODE_'] as const;

/** Always set by the service: no self-update, no traffic beyond the API, a bounded retry budget. */
export function serviceSetVariables(maxRetries: number): Record<string, string> {
  return {
    DISABLE_AUTOUPDATER: '1',
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    CLAUDE_CODE_MAX_RETRIES: String(maxRetries),
  };
}

/**
 * The CLI's environment from the service's: the names and prefixes above, the
 * operator's CLAUDE_ENV_PASSTHROUGH names, then the service's own settings.
 */
export function claudeEnvironment(
  env: Readonly<Record<string, string>>,
  options: { passthrough: readonly string[]; maxRetries: number },
): Record<string, string> {
  const names = new Set<string>([...CLAUDE_ENV_NAMES, ...options.passthrough]);
  const picked: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (names.has(name) || CLAUDE_ENV_PREFIXES.some((prefix) => name.startsWith(prefix))) picked[name] = value;
  }
  return { ...picked, ...serviceSetVariables(options.maxRetries) };
}

const ANSI = /\u001b\[[0-9;?]*[ -/]*[@-~]/g;
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f]/g;
const SECRET = /\b(?:sk-ant-[\w-]+|cf_[\w-]{16,}|ff_[\w-]{16,}|Bearer\s+\S+)/g;
// Absolute paths of the server (its data dir, home, the CLI's install) say
// nothing useful to a caller and map out the host.
const ABSOLUTE_PATH = /(^|[\s"'(=:])\/(?:[\w.@+-]+\/)*[\w.@+-]*/g;

/** Text from the CLI made safe to show a caller: no escapes, secrets or server paths, at most `maxChars` (the tail). */
export function sanitizeCliText(text: string, maxChars = 2048): string {
  const clean = text
    .replace(ANSI, '')
    .replace(CONTROL, ' ')
    .replace(SECRET, '[redacted]')
    .replace(ABSOLUTE_PATH, '$1<path>')
    .trim();
  return clean.length > maxChars ? '…' + clean.slice(-maxChars) : clean;
}

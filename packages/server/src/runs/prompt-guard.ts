// The CLI gives two kinds of app text a meaning beyond words, checked against
// the real binary (2.1.328):
// - `@path` at the start or after whitespace makes the CLI itself read that
//   file or list that directory, any path the service can read (the login's
//   credentials, the database, other apps' uploads), tools or not;
// - a prompt starting with `/` runs a slash command without asking the model:
//   `/logout` would sign out the login every app shares.
// A zero-width space after such an `@` or before such a `/` leaves the text
// readable for the model and inert for the CLI. `a@b.com` is not a mention and
// stays as it is. The system prompt is not expanded by the CLI.

const ZERO_WIDTH_SPACE = '\u200B';
const MENTION = /(^|\s)@/gu;
const LEADING_SLASH = /^(\s*)\//u;

/** Makes an app's prompt text unable to trigger CLI file mentions or slash commands. */
export function neutralizeCliSyntax(prompt: string): string {
  return prompt.replace(MENTION, `$1@${ZERO_WIDTH_SPACE}`).replace(LEADING_SLASH, `$1${ZERO_WIDTH_SPACE}/`);
}

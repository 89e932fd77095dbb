// App text must stay text for the CLI. The second layer of run confinement:
// the first is `--restricted` (claude-runner.ts), which keeps the CLI from
// reading anything outside the run's own directory whatever the prompt says.
//
// What the CLI (2.1.328, read from its bundled source) does with prompt text:
// - File mentions. It splits the text at whitespace (JavaScript's `\s`); an
//   `@` at the start of a piece, or right after one of 。、？！, starts a
//   mention, and so does `@"..."` after whitespace or those four. It reads the
//   named file (or lists the directory) into the request, tools or not.
// - Slash commands: a prompt starting with `/` runs one without the model;
//   `/logout` would sign out the login every app shares.
//
// A WORD JOINER (U+2060: invisible, neither whitespace nor punctuation) goes
// before every `@` that does not follow a letter, mark or digit. Under the rule
// above, and under any wider boundary a later CLI might adopt short of letters,
// such an `@` starts no mention. Inserting after the `@` (as this guard once
// did) is not enough: `@\u200B../..` still names a path, one segment longer.
// `bob@example.com` is left as it is. A zero-width space before a leading `/`
// keeps a slash command from running.

const WORD_JOINER = '\u2060';
const ZERO_WIDTH_SPACE = '\u200B';
const UNANCHORED_AT = /(?<![\p{L}\p{M}\p{N}])@/gu;
const LEADING_SLASH = /^(\s*)\//u;

/** Makes an app's text unable to trigger CLI file mentions or slash commands. */
export function neutralizeCliSyntax(prompt: string): string {
  return prompt.replace(UNANCHORED_AT, `${WORD_JOINER}@`).replace(LEADING_SLASH, `$1${ZERO_WIDTH_SPACE}/`);
}

// One fence around the whole answer, with an optional language tag. Anchored at
// both ends, so prose before or after the fence leaves the text as it is, and
// backticks inside the fenced content (inside JSON strings, say) are kept.
const SURROUNDING_FENCE = /^```[A-Za-z0-9_+.-]*[ \t]*\r?\n([\s\S]*?)\r?\n?```$/;

/** Strips a Markdown code fence that wraps the whole text (and surrounding whitespace). */
export function stripCodeFence(text: string): string {
  const trimmed = text.trim();
  const match = SURROUNDING_FENCE.exec(trimmed);
  return match ? match[1]!.trim() : trimmed;
}

/** The model's answer as the caller gets it: fence stripped, JSON-parsed when it is JSON, else the text. */
export function parseModelAnswer(text: string): unknown {
  const stripped = stripCodeFence(text);
  try {
    return JSON.parse(stripped) as unknown;
  } catch {
    return stripped;
  }
}

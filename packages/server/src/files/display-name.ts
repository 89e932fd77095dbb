// The uploader's filename is untrusted: it becomes a file name inside a run's
// directory and an `@name` mention the CLI reads. Keep letters, digits and
// `._-` (so the mention cannot be split or pointed elsewhere), nothing else.

const MAX_LENGTH = 100;
const UNSAFE = /[^\p{L}\p{N}._-]+/gu;

/** A safe display name from an uploaded filename; `file` (plus a known extension) when nothing is left. */
export function sanitizeDisplayName(original: string | undefined): string {
  const base = (original ?? '').split(/[/\\]/).pop() ?? '';
  let name = base
    .normalize('NFC')
    .replace(/[\u0000-\u001f\u007f-\u009f]/g, '')
    .replace(UNSAFE, '_')
    .replace(/\.{2,}/g, '.')
    .replace(/^[._-]+/, '')
    .replace(/_+/g, '_');
  if (name.length > MAX_LENGTH) {
    const dot = name.lastIndexOf('.');
    const extension = dot > 0 && name.length - dot <= 16 ? name.slice(dot) : '';
    name = name.slice(0, MAX_LENGTH - extension.length) + extension;
  }
  return name.replace(/[._-]+$/, (tail) => (tail.includes('.') ? '' : tail)) || 'file';
}

/** `name`, or `name-2.ext`, `name-3.ext`... whichever is not in `taken` yet. */
export function uniqueName(name: string, taken: ReadonlySet<string>): string {
  if (!taken.has(name)) return name;
  const dot = name.lastIndexOf('.');
  const [stem, extension] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ''];
  for (let n = 2; ; n++) {
    const candidate = `${stem}-${n}${extension}`;
    if (!taken.has(candidate)) return candidate;
  }
}

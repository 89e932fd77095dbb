// An upload's display name: what the uploader called the file, kept so the
// model and the app can refer to it ("résumé.pdf", "my notes.txt"). It is
// never used as a path: in a run's directory each attachment gets a name of
// the service's own (attachment-name.ts).

const MAX_CODE_POINTS = 255;
/** Control, format (bidi overrides, zero-width), private-use, unassigned, surrogate and line/paragraph separators. */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Co}\p{Cn}\p{Cs}\p{Zl}\p{Zp}]/gu;

/** The uploaded filename's last path component, NFC, without invisible characters, at most 255 characters; `file` when nothing is left. */
export function displayNameOf(original: string | undefined): string {
  const base = (original ?? '').split(/[/\\]/).pop() ?? '';
  let name = base.normalize('NFC').replace(INVISIBLE, '').replace(/\p{Zs}+/gu, ' ').trim();
  const codePoints = [...name];
  if (codePoints.length > MAX_CODE_POINTS) {
    const dot = name.lastIndexOf('.');
    const extension = dot > 0 && name.length - dot <= 16 ? name.slice(dot) : '';
    name = codePoints.slice(0, MAX_CODE_POINTS - [...extension].length).join('') + extension;
  }
  return /^\.*$/.test(name) ? 'file' : name;
}

// The name an attachment gets in a run's working directory. The CLI reads
// `@name` mentions only up to the last ASCII letter, digit or `_` (it trims
// anything after as punctuation), and stops at whitespace, so an uploaded name
// like "notes-", "report." or "résumé" would be silently not attached. The
// service's own names sidestep that: `file-1.pdf`, `file-2`, ... with the
// original extension only when it is plain ASCII (the CLI recognizes images
// and PDFs by it), else one from the content type.

const EXTENSION = /\.([A-Za-z0-9]{1,10})$/;

const EXTENSION_BY_TYPE: Readonly<Record<string, string>> = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/gif': 'gif',
  'image/webp': 'webp',
  'application/pdf': 'pdf',
  'text/plain': 'txt',
  'text/markdown': 'md',
  'text/csv': 'csv',
  'application/json': 'json',
};

/** `file-<position>.<ext>` for the attachment at 1-based `position`; a session's turn N names them `turnN-file-<position>...`. */
export function attachmentFileName(position: number, displayName: string, contentType: string, prefix = 'file'): string {
  const extension = EXTENSION.exec(displayName)?.[1]?.toLowerCase() ?? EXTENSION_BY_TYPE[contentType];
  return extension ? `${prefix}-${position}.${extension}` : `${prefix}-${position}`;
}

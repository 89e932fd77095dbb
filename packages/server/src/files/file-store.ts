// Where uploaded files live: $DATA_DIR/files/<random name>. An upload streams
// into `.upload-*` beside them and is renamed into place only together with its
// database row, so a crash leaves at most a temp file, which start-up removes.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const TEMP_PREFIX = '.upload-';

export class FileStore {
  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  }

  newTempPath(): string {
    return join(this.dir, TEMP_PREFIX + randomBytes(12).toString('hex'));
  }

  newStoredName(): string {
    return randomBytes(16).toString('hex');
  }

  pathOf(storedName: string): string {
    return join(this.dir, storedName);
  }

  remove(storedName: string): void {
    rmSync(this.pathOf(storedName), { force: true });
  }

  discard(tempPath: string): void {
    rmSync(tempPath, { force: true });
  }

  /**
   * At start-up only (no upload is in flight then): removes temp files and any
   * file no row points at. Returns how many were removed.
   */
  removeLeftovers(knownNames: ReadonlySet<string>): number {
    let removed = 0;
    for (const name of readdirSync(this.dir)) {
      if (name.startsWith(TEMP_PREFIX) || !knownNames.has(name)) {
        rmSync(join(this.dir, name), { force: true, recursive: true });
        removed += 1;
      }
    }
    return removed;
  }
}

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_TOKEN_POLICY } from '@clawdforge/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest, openDatabase, type Db } from '../db/database.js';
import { MIN_FREE_DISK_BYTES, StorageGate } from './storage-gate.js';

describe('StorageGate', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cf-storage-gate-'));
  let db: Db;
  beforeAll(async () => {
    db = openDatabase(dir);
    await migrateToLatest(db);
  });
  afterAll(async () => {
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps MIN_FREE_DISK_BYTES free whatever MAX_STORAGE_BYTES allows', async () => {
    let free = MIN_FREE_DISK_BYTES + 1000;
    const gate = new StorageGate(db, { maxStorageBytes: 2 ** 40, freeBytes: () => free });
    const fits = await gate.reserve('app', DEFAULT_TOKEN_POLICY, 900);
    expect(fits.room).toBe(1000);
    fits.release();
    await expect(gate.reserve('app', DEFAULT_TOKEN_POLICY, 1001)).rejects.toMatchObject({ apiCode: 'storage_full' });
    free = MIN_FREE_DISK_BYTES - 1;
    await expect(gate.reserve('app', DEFAULT_TOKEN_POLICY, 0)).rejects.toMatchObject({ apiCode: 'storage_full' });
  });

  it('counts what uploads in flight have reserved', async () => {
    const gate = new StorageGate(db, { maxStorageBytes: 1000, freeBytes: () => 2 ** 40 });
    const first = await gate.reserve('a', DEFAULT_TOKEN_POLICY, 600);
    await expect(gate.reserve('b', DEFAULT_TOKEN_POLICY, 600)).rejects.toMatchObject({ apiCode: 'storage_full' });
    first.release();
    (await gate.reserve('b', DEFAULT_TOKEN_POLICY, 600)).release();
  });
});

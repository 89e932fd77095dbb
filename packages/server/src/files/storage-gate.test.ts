import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_TOKEN_POLICY } from '@clawdforge/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest, openDatabase, type Db } from '../db/database.js';
import { MIN_FREE_DISK_BYTES, StorageGate } from './storage-gate.js';

/** A migrated database in a temp dir for the describe block it is called in, removed after it. */
function migratedDatabase(prefix: string): { readonly db: Db } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const holder = {} as { db: Db };
  beforeAll(async () => {
    holder.db = openDatabase(dir);
    await migrateToLatest(holder.db);
  });
  afterAll(async () => {
    await holder.db.destroy();
    rmSync(dir, { recursive: true, force: true });
  });
  return holder;
}

describe('StorageGate', () => {
  const database = migratedDatabase('cf-storage-gate--');

  it('keeps MIN_FREE_DISK_BYTES free whatever MAX_STORAGE_BYTES allows', async () => {
    let free = MIN_FREE_DISK_BYTES + 1000;
    const gate = new StorageGate(database.db, { maxStorageBytes: 2 ** 40, freeBytes: () => free });
    const fits = await gate.reserve('app', DEFAULT_TOKEN_POLICY, 900);
    expect(fits.room).toBe(1000);
    fits.release();
    await expect(gate.reserve('app', DEFAULT_TOKEN_POLICY, 1001)).rejects.toMatchObject({ apiCode: 'storage_full' });
    free = MIN_FREE_DISK_BYTES - 1;
    await expect(gate.reserve('app', DEFAULT_TOKEN_POLICY, 0)).rejects.toMatchObject({ apiCode: 'storage_full' });
  });

  it('counts what uploads in flight have reserved', async () => {
    const gate = new StorageGate(database.db, { maxStorageBytes: 1000, freeBytes: () => 2 ** 40 });
    const first = await gate.reserve('a', DEFAULT_TOKEN_POLICY, 600);
    await expect(gate.reserve('b', DEFAULT_TOKEN_POLICY, 600)).rejects.toMatchObject({ apiCode: 'storage_full' });
    first.release();
    (await gate.reserve('b', DEFAULT_TOKEN_POLICY, 600)).release();
  });
});

describe('StorageGate reservations that grow (uploads of unknown length)', () => {
  const database = migratedDatabase('cf-storage-grow--');

  it('grows with what arrives, and cuts off past MAX_STORAGE_BYTES counting the others in flight', async () => {
    const gate = new StorageGate(database.db, { maxStorageBytes: 1000, freeBytes: () => 2 ** 40 });
    const first = await gate.reserve('a', DEFAULT_TOKEN_POLICY, 0);
    const second = await gate.reserve('b', DEFAULT_TOKEN_POLICY, 0);
    expect(first.grow(600)).toBeNull();
    expect(first.reserved).toBe(600);
    expect(second.grow(400)).toBeNull();
    expect(second.grow(401)).toMatchObject({ apiCode: 'storage_full' });
    first.release();
    expect(second.grow(900)).toBeNull();
    second.release();
  });

  it('cuts off at the app max_stored_bytes with storage_quota_exceeded', async () => {
    const gate = new StorageGate(database.db, { maxStorageBytes: 2 ** 40, freeBytes: () => 2 ** 40 });
    const upload = await gate.reserve('a', { ...DEFAULT_TOKEN_POLICY, max_stored_bytes: 500 }, 0);
    expect(upload.grow(500)).toBeNull();
    expect(upload.grow(501)).toMatchObject({ apiCode: 'storage_quota_exceeded' });
    upload.release();
  });

  it('cuts off when the disk falls below the free-space floor while it streams', async () => {
    let free = 2 ** 40;
    const gate = new StorageGate(database.db, { maxStorageBytes: 2 ** 50, freeBytes: () => free });
    const upload = await gate.reserve('a', DEFAULT_TOKEN_POLICY, 0);
    expect(upload.grow(2 * 1024 * 1024)).toBeNull();
    free = MIN_FREE_DISK_BYTES - 1;
    expect(upload.grow(4 * 1024 * 1024)).toMatchObject({ apiCode: 'storage_full' });
    upload.release();
  });
});

describe('StorageGate while others commit', () => {
  const database = migratedDatabase('cf-storage-commit--');

  it('counts what another upload committed after this one started when it grows', async () => {
    const gate = new StorageGate(database.db, { maxStorageBytes: 1000, freeBytes: () => 2 ** 40 });
    const streaming = await gate.reserve('a', DEFAULT_TOKEN_POLICY, 0);
    const other = await gate.reserve('b', DEFAULT_TOKEN_POLICY, 600);
    // The other upload commits (its row stands in for the file) and gives its reservation back.
    await gate.commitWithin('b', DEFAULT_TOKEN_POLICY, 600, other, async () => {
      await database.db.insertInto('files').values({ token_hash: 'h-b', app: 'b', stored_name: 's-b', name: 'b', size: 600, sha256: 'x', content_type: 'text/plain', ttl_secs: 60, created_at: '2026-01-01T00:00:00.000Z', expires_at: '2099-01-01T00:00:00.000Z' }).execute();
    });
    other.release();
    expect(streaming.grow(400)).toBeNull();
    expect(streaming.grow(401)).toMatchObject({ apiCode: 'storage_full' });
    streaming.release();
  });
});

import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { assertSha256, blobMissing, spoolToTemp, type FileStore, type PutBody, type PutOptions, type PutResult } from './store';

/**
 * Blobs under `root/ab/cd/<sha256>` (two shard levels keep directories small: 65,536 leaves). A new blob is written
 * to `root/tmp`, fsynced, then renamed into place — rename within one file system is atomic, so a reader sees the
 * whole blob or none — and the shard directory is fsynced so the rename survives a crash.
 */
export class LocalDirectoryStore implements FileStore {
  readonly kind = 'local';
  constructor(readonly root: string) {}

  pathOf(sha256: string): string {
    assertSha256(sha256);
    return path.join(this.root, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  }

  async put(body: PutBody, opts?: PutOptions): Promise<PutResult> {
    const { tmpPath, sha256, size } = await spoolToTemp(body, path.join(this.root, 'tmp'), opts);
    const final = this.pathOf(sha256);
    try {
      if (await this.exists(sha256)) return { sha256, size }; // same bytes already stored
      const dir = path.dirname(final);
      await fs.promises.mkdir(dir, { recursive: true });
      await fs.promises.chmod(tmpPath, 0o440); // blobs are immutable
      await fs.promises.rename(tmpPath, final);
      await fsyncDir(dir);
      return { sha256, size };
    } finally {
      await fs.promises.rm(tmpPath, { force: true });
    }
  }

  async get(sha256: string): Promise<Readable> {
    const file = this.pathOf(sha256);
    try {
      const fh = await fs.promises.open(file, 'r');
      return fh.createReadStream();
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw blobMissing(sha256);
      throw e;
    }
  }

  async exists(sha256: string): Promise<boolean> {
    try {
      await fs.promises.access(this.pathOf(sha256));
      return true;
    } catch {
      return false;
    }
  }

  async remove(sha256: string): Promise<void> {
    await fs.promises.rm(this.pathOf(sha256), { force: true });
  }
}

async function fsyncDir(dir: string): Promise<void> {
  const fh = await fs.promises.open(dir, 'r');
  try {
    await fh.sync();
  } catch {
    // Some file systems refuse fsync on a directory handle; the rename itself has still happened.
  } finally {
    await fh.close();
  }
}

/**
 * Node-only helpers around @yiwang/sdk/sealing: files in, files out, with back-pressure and cleanup on failure.
 * Not for the browser bundle (imports node:fs). Used by the yiwang-bid CLI and by the server.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { once } from 'node:events';
import { exportKeyFile, importKeyFile, type KeyFile, type ScryptParams } from './keyfile';
import type { BidKeyPair } from './keys';
import { sealBid, type BidFileInput, type SealBidInput, type SealSummary } from './seal';
import { openSealedBid, type OpenOptions, type OpenedSealedBid } from './open';

const TYPES: Record<string, string> = {
  '.pdf': 'application/pdf',
  '.zip': 'application/zip',
  '.json': 'application/json',
  '.txt': 'text/plain',
  '.xml': 'application/xml',
  '.doc': 'application/msword',
  '.docx': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  '.xls': 'application/vnd.ms-excel',
  '.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  '.ofd': 'application/ofd',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
};

export function guessMediaType(file: string): string {
  return TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/** A bid file read from disk as a stream (64 KiB pieces). */
export async function fileInput(file: string, options: { name?: string; mediaType?: string } = {}): Promise<BidFileInput> {
  const st = await stat(file);
  if (!st.isFile()) throw new Error(`${file} is not a regular file`);
  return {
    name: options.name ?? path.basename(file),
    mediaType: options.mediaType ?? guessMediaType(file),
    size: st.size,
    content: createReadStream(file),
  };
}

export async function readKeyFile(file: string, password: string): Promise<BidKeyPair> {
  return importKeyFile(await readFile(file, 'utf8'), password);
}

/** Write a key file readable by its owner only; refuses to overwrite. */
export async function writeKeyFile(
  file: string,
  key: BidKeyPair,
  password: string,
  options: { label?: string; scrypt?: ScryptParams } = {},
): Promise<KeyFile> {
  const kf = await exportKeyFile(key, password, options);
  await writeFile(file, JSON.stringify(kf, null, 2) + '\n', { mode: 0o600, flag: 'wx' });
  return kf;
}

/** Seal to `out` (written as out.partial, renamed when complete, removed on failure). */
export async function sealBidToFile(input: SealBidInput, out: string): Promise<SealSummary> {
  const tmp = `${out}.partial`;
  const ws = createWriteStream(tmp, { flags: 'wx' });
  try {
    const summary = await sealBid(input, async (b) => {
      if (!ws.write(b)) await once(ws, 'drain');
    });
    ws.end();
    await once(ws, 'finish');
    await rename(tmp, out);
    return summary;
  } catch (e) {
    ws.destroy();
    await rm(tmp, { force: true });
    throw e;
  }
}

/**
 * Open a sealed bid file into `dir`: price-sheet.json, and each file under files/ by its (checked, plain) name.
 * On any failure the files written so far are removed, since they were not yet known to be authentic.
 */
export async function openSealedBidToDir(
  envelope: string,
  contentKey: Uint8Array,
  dir: string,
  options: Omit<OpenOptions, 'onFile'> = {},
): Promise<OpenedSealedBid> {
  await mkdir(path.join(dir, 'files'), { recursive: true });
  const written: string[] = [];
  try {
    const opened = await openSealedBid(createReadStream(envelope), contentKey, {
      ...options,
      onFile: async (meta, content) => {
        const target = path.join(dir, 'files', meta.name); // names are checked: no separators, not . or ..
        written.push(target);
        const ws = createWriteStream(target, { flags: 'wx' });
        try {
          for await (const piece of content) if (!ws.write(piece)) await once(ws, 'drain');
          ws.end();
          await once(ws, 'finish');
        } catch (e) {
          ws.destroy();
          throw e;
        }
      },
    });
    const sheet = path.join(dir, 'price-sheet.json');
    written.push(sheet);
    await writeFile(sheet, JSON.stringify(opened.priceSheet, null, 2) + '\n', { flag: 'wx' });
    return opened;
  } catch (e) {
    for (const f of written) await rm(f, { force: true });
    throw e;
  }
}

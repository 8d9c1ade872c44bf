/**
 * Content-addressed file store (issue 2 §7). `ctx.files` is the FileStore; uploads go through POST /api/files and are
 * referenced by their upload id. Modules that publish files grant access with `registerFileAccessRule`.
 * Stores: LocalDirectoryStore (default) and S3CompatibleStore (selected by YIWANG_S3_* variables; see createFileStore).
 */
export { LocalDirectoryStore } from './local';
export { S3CompatibleStore, signV4, type S3Options } from './s3';
export { type FileStore, type PutBody, type PutOptions, type PutResult, SHA256_RE } from './store';
export { registerFileAccessRule, canReadFile, type FileAccessRule, type FileRef } from './access';
export { findUpload, openUpload, removeUnreferenced, saveUpload, type UploadView } from './service';
export { ALLOWED as ALLOWED_FILE_TYPES, classify, contentDisposition, sanitizeFilename } from './names';

import path from 'node:path';
import type { Config } from '../config';
import { LocalDirectoryStore } from './local';
import { S3CompatibleStore } from './s3';
import type { FileStore } from './store';

/**
 * The configured store. Default: a local directory (config.filesDir). With YIWANG_S3_ENDPOINT set, an S3-compatible
 * object store: YIWANG_S3_BUCKET, YIWANG_S3_REGION (default us-east-1), YIWANG_S3_ACCESS_KEY_ID,
 * YIWANG_S3_SECRET_ACCESS_KEY, YIWANG_S3_PREFIX (optional); uploads are spooled under filesDir/tmp first.
 */
export function createFileStore(config: Config, env: NodeJS.ProcessEnv = process.env): FileStore {
  if (!env.YIWANG_S3_ENDPOINT) return new LocalDirectoryStore(config.filesDir);
  const need = (name: string) => {
    const v = env[name];
    if (!v) throw new Error(`YIWANG_S3_ENDPOINT 已设置但缺少 ${name} / YIWANG_S3_ENDPOINT is set but ${name} is missing`);
    return v;
  };
  return new S3CompatibleStore({
    endpoint: env.YIWANG_S3_ENDPOINT,
    bucket: need('YIWANG_S3_BUCKET'),
    region: env.YIWANG_S3_REGION || 'us-east-1',
    accessKeyId: need('YIWANG_S3_ACCESS_KEY_ID'),
    secretAccessKey: need('YIWANG_S3_SECRET_ACCESS_KEY'),
    prefix: env.YIWANG_S3_PREFIX || '',
    tmpDir: path.join(config.filesDir, 'tmp'),
  });
}

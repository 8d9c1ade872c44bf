/**
 * Content-addressed file store (issue 2 §7). `ctx.files` is the FileStore; uploads go through POST /api/files and are
 * referenced by their upload id. Modules that publish files grant access with `registerFileAccessRule`.
 */
export { LocalDirectoryStore } from './local';
export { type FileStore, type PutOptions, type PutResult, SHA256_RE } from './store';
export { registerFileAccessRule, canReadFile, type FileAccessRule, type FileRef } from './access';
export { findUpload, openUpload, removeUnreferenced, saveUpload, type UploadView } from './service';
export { ALLOWED as ALLOWED_FILE_TYPES, classify, contentDisposition, sanitizeFilename } from './names';

import type { Config } from '../config';
import { LocalDirectoryStore } from './local';
import type { FileStore } from './store';

/** The configured store: a local directory (config.filesDir). See docs/adr/0004 for adding an S3-compatible store. */
export function createFileStore(config: Config): FileStore {
  return new LocalDirectoryStore(config.filesDir);
}

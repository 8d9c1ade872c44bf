import { createHmac, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../../platform/config';

/**
 * Natural persons' ID numbers are personal information (《个人信息保护法》第二十八条: sensitive). We keep only
 * HMAC-SHA256(key, number): enough to refuse a second registration of the same person, useless to a database
 * reader without the key. The key comes from YIWANG_PII_HMAC_KEY, else a random key kept beside the data.
 */
const cache = new Map<string, Buffer>();

function keyFor(config: Config): Buffer {
  if (config.piiHmacKey) return Buffer.from(config.piiHmacKey, 'utf8');
  const file = path.join(config.dataDir, 'secrets', 'pii-hmac.key');
  const hit = cache.get(file);
  if (hit) return hit;
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    // 'wx' fails if another process created it meanwhile; then we read theirs.
    try {
      fs.writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600, flag: 'wx' });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
  const key = Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'utf8');
  cache.set(file, key);
  return key;
}

export function personIdHash(config: Config, idNumber: string): string {
  return createHmac('sha256', keyFor(config)).update(idNumber.trim().toUpperCase()).digest('hex');
}

import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/**
 * Draw seeds at rest. Until its reveal a seed is the one secret of a draw: with it and the (later) inputs anyone
 * could predict the result before the draw. As platform/ledger/keys.ts does for the checkpoint key: with
 * YIWANG_MASTER_KEY set the seed is stored AES-256-GCM encrypted, so a database dump alone does not hold it; without
 * it (development) it is stored in clear. Differences from keys.ts: the key is derived with its own label (one
 * master secret, separate keys per use) and the draw id is the GCM associated data, so a sealed seed copied onto
 * another draw's row does not decrypt.
 */
function seedKey(): Buffer | undefined {
  // Read directly (not via Config) so the secret is not carried around in the context object.
  const secret = process.env.YIWANG_MASTER_KEY;
  return secret ? createHash('sha256').update('yiwang-master-key/v1\nlottery-seeds\n').update(secret).digest() : undefined;
}

export function newSeed(): string {
  return randomBytes(32).toString('hex');
}

export function sealSeed(seedHex: string, drawId: string): { protection: 'aes-256-gcm' | 'none'; sealed: string } {
  const key = seedKey();
  if (!key) return { protection: 'none', sealed: seedHex };
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', key, iv);
  c.setAAD(Buffer.from(`lottery-draw:${drawId}`, 'utf8'));
  const ct = Buffer.concat([c.update(Buffer.from(seedHex, 'hex')), c.final()]);
  return { protection: 'aes-256-gcm', sealed: [iv, c.getAuthTag(), ct].map((b) => b.toString('base64')).join('.') };
}

export function openSeed(row: { id: string; seed_protection: 'aes-256-gcm' | 'none'; seed_sealed: string }): string {
  if (row.seed_protection === 'none') return row.seed_sealed;
  const key = seedKey();
  if (!key) throw new Error('抽取种子已加密，但未配置 YIWANG_MASTER_KEY / the draw seed is encrypted but YIWANG_MASTER_KEY is not set');
  const [iv, tag, ct] = row.seed_sealed.split('.').map((p) => Buffer.from(p, 'base64'));
  try {
    const d = createDecipheriv('aes-256-gcm', key, iv!);
    d.setAAD(Buffer.from(`lottery-draw:${row.id}`, 'utf8'));
    d.setAuthTag(tag!);
    return Buffer.concat([d.update(ct!), d.final()]).toString('hex');
  } catch {
    throw new Error('YIWANG_MASTER_KEY 无法解密抽取种子 / YIWANG_MASTER_KEY does not decrypt the draw seed');
  }
}

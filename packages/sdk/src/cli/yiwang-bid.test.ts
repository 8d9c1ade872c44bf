import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parsePublicKey as registryParse, verifyProof as registryVerify } from '../../../../apps/server/src/modules/identity/identity.keys';
import { generateKeyPair } from '../sealing/keys';
import { writeKeyFile } from '../sealing/node';
import { CHEAP_SCRYPT } from '../sealing/testing';

const BIN = fileURLToPath(new URL('../../bin/yiwang-bid.mjs', import.meta.url));

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function run(args: string[], cwd: string, env: Record<string, string> = { YIWANG_KEY_PASSWORD: 'bidder pw 投标' }): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { cwd, env: { PATH: process.env.PATH ?? '', ...env } }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

async function ok(args: string[], cwd: string, env?: Record<string, string>): Promise<string> {
  const r = await run(args, cwd, env);
  if (r.code !== 0) throw new Error(`yiwang-bid ${args.join(' ')} → ${r.code}\n${r.stderr}`);
  return r.stdout;
}

describe('yiwang-bid CLI', () => {
  it(
    'keygen, proof, seal, inspect, unwrap, combine and open, end to end on files',
    { timeout: 480_000 } /* 4 full-strength scrypt runs and 15 process starts; slow on a loaded 2-core machine */,
    async () => {
      const dir = await mkdtemp(path.join(tmpdir(), 'yiwang-bid-'));
      try {
        // The bidder's key, with the default (full-strength) scrypt.
        const pub = JSON.parse(await ok(['keygen', '--alg', 'sm2', '--out', 'bidder.json', '--label', '投标密钥'], dir)) as {
          algorithm: string;
          publicKey: string;
          fingerprint: string;
        };
        const keyFile = JSON.parse(await readFile(path.join(dir, 'bidder.json'), 'utf8')) as { kdf: { N: number }; fingerprint: string };
        expect(keyFile.kdf.N).toBe(2 ** 17);
        expect(keyFile.fingerprint).toBe(pub.fingerprint);
        expect((await run(['keygen', '--alg', 'sm2', '--out', 'bidder.json'], dir)).code).toBe(1); // never overwrites a key

        // Proof of possession, checked by the registry's own code.
        const challenge = 'yiwang-key-proof:acc-1:Zm9vYmFyYmF6cXV4';
        const proof = (await ok(['proof', '--key', 'bidder.json', '--challenge', challenge], dir)).trim();
        expect(registryVerify(registryParse('sm2', pub.publicKey), challenge, proof)).toBe(true);

        // Custodians (center p256, regulator ed25519, tenderer sm2) and their key files.
        const roles = [
          ['center', 'p256'],
          ['regulator', 'ed25519'],
          ['tenderer', 'sm2'],
        ] as const;
        const custodians = [];
        for (const [role, alg] of roles) {
          const k = generateKeyPair(alg);
          await writeKeyFile(path.join(dir, `${role}.json`), k, `${role} pw`, { scrypt: CHEAP_SCRYPT });
          custodians.push({ kind: role, accountId: `acc-${role}`, algorithm: alg, publicKey: k.publicKey });
        }
        await writeFile(path.join(dir, 'custodians.json'), JSON.stringify(custodians));
        const sheet = { currency: 'CNY', lots: [{ lotId: 'L1', priceYuan: '8800000.00', durationDays: 365, quality: '合格' }] };
        await writeFile(path.join(dir, 'sheet.json'), JSON.stringify(sheet));
        await writeFile(path.join(dir, '投标函.pdf'), '%PDF-1.7 fake but fine');
        await writeFile(path.join(dir, 'tech.bin'), Buffer.alloc(300_000, 7));
        await writeFile(path.join(dir, 'pw.txt'), 'bidder pw 投标\n');

        const sealed = JSON.parse(
          await ok(
            [
              'seal',
              '--key',
              'bidder.json',
              '--tender',
              'T-9',
              '--lot',
              'L1',
              '--price-sheet',
              'sheet.json',
              '--custodians',
              'custodians.json',
              '--k',
              '2',
              '--out',
              'bid.sealed',
              '--password-file',
              'pw.txt',
              '--chunk-size',
              '65536',
              '投标函.pdf',
              'tech.bin',
            ],
            dir,
            {},
          ),
        ) as { digest: string; size: number };
        expect(sealed.digest).toMatch(/^[0-9a-f]{64}$/);

        const inspected = JSON.parse(await ok(['inspect', 'bid.sealed', '--public-key', 'bidder.json'], dir, {})) as {
          header: { tenderId: string; escrow: { threshold: number; shares: unknown[] }; payload: { chunkSize: number } };
          digest: string;
          signatureVerified: boolean;
        };
        expect(inspected).toMatchObject({
          digest: sealed.digest,
          signatureVerified: true,
          header: { tenderId: 'T-9', escrow: { threshold: 2 }, payload: { chunkSize: 65536 } },
        });
        expect(inspected.header.escrow.shares).toHaveLength(3);

        const contentKey = (await ok(['unwrap', '--key', 'bidder.json', 'bid.sealed'], dir)).trim();
        expect(contentKey).toMatch(/^[0-9a-f]{64}$/);

        const shareOf = async (role: string) =>
          (await ok(['unwrap', '--key', `${role}.json`, 'bid.sealed'], dir, { YIWANG_KEY_PASSWORD: `${role} pw` })).trim();
        const [center, tenderer] = [await shareOf('center'), await shareOf('tenderer')];
        expect((await ok(['combine', 'bid.sealed', center, tenderer], dir, {})).trim()).toBe(contentKey);
        const tooFew = await run(['combine', 'bid.sealed', center], dir, {});
        expect(tooFew.code).toBe(1);
        expect(tooFew.stderr).toContain('error ESCROW_INSUFFICIENT');

        const opened = JSON.parse(
          await ok(['open', '--content-key', contentKey, 'bid.sealed', '--out', 'opened', '--public-key', 'bidder.json'], dir, {}),
        ) as {
          signatureVerified: boolean;
          priceSheet: unknown;
          digest: string;
        };
        expect(opened).toMatchObject({ signatureVerified: true, priceSheet: sheet, digest: sealed.digest });
        expect(JSON.parse(await readFile(path.join(dir, 'opened/price-sheet.json'), 'utf8'))).toEqual(sheet);
        expect(await readFile(path.join(dir, 'opened/files/投标函.pdf'), 'utf8')).toBe('%PDF-1.7 fake but fine');
        expect((await readFile(path.join(dir, 'opened/files/tech.bin'))).equals(Buffer.alloc(300_000, 7))).toBe(true);

        // Failures carry their stable codes and leave nothing behind.
        const wrongKey = await run(['open', '--content-key', '00'.repeat(32), 'bid.sealed', '--out', 'wrong'], dir, {});
        expect([wrongKey.code, wrongKey.stderr]).toEqual([1, expect.stringContaining('error WRONG_CONTENT_KEY')]);
        const wrongPw = await run(['unwrap', '--key', 'center.json', 'bid.sealed'], dir, { YIWANG_KEY_PASSWORD: 'nope' });
        expect([wrongPw.code, wrongPw.stderr]).toEqual([1, expect.stringContaining('error KEY_FILE_PASSWORD')]);
        const bytes = await readFile(path.join(dir, 'bid.sealed'));
        bytes[bytes.length - 400]! ^= 1;
        await writeFile(path.join(dir, 'tampered.sealed'), bytes);
        const tampered = await run(['inspect', 'tampered.sealed'], dir, {});
        expect([tampered.code, tampered.stderr]).toEqual([1, expect.stringContaining('error DIGEST_MISMATCH')]);
        const badOpen = await run(['open', '--content-key', contentKey, 'tampered.sealed', '--out', 'bad'], dir, {});
        expect([badOpen.code, badOpen.stderr]).toEqual([1, expect.stringContaining('error CHUNK_AUTH_FAILED')]);
        await expect(readFile(path.join(dir, 'bad/files/tech.bin'))).rejects.toThrow(); // provisional output removed
        const usage = await run(['seal', '--key', 'bidder.json'], dir);
        expect(usage.code).toBe(2);
        const noPassword = await run(['unwrap', '--key', 'bidder.json', 'bid.sealed'], dir, {});
        expect([noPassword.code, noPassword.stderr]).toEqual([2, expect.stringContaining('YIWANG_KEY_PASSWORD')]);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  );
});

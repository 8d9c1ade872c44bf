/**
 * yiwang-bid — seal, inspect and open bids from a terminal (packages/sdk/bin/yiwang-bid.mjs).
 *
 *   keygen  --alg sm2|ed25519|p256 --out key.json [--label text]
 *   proof   --key key.json --challenge <challenge>            signature for POST /api/identity/keys
 *   seal    --key key.json --tender <id> --lot <id> [--lot <id>…] --price-sheet sheet.json
 *           --custodians custodians.json --k <k> --out bid.sealed [--chunk-size bytes] [files…]
 *   inspect bid.sealed [--public-key file]                    header, digest, trailer (and signature) check
 *   unwrap  --key key.json bid.sealed                         bidder: content key (hex); custodian: share (base64)
 *   combine bid.sealed <share> <share>…                       rebuild the content key from k escrow shares
 *   open    (--content-key hex | --content-key-file f) bid.sealed --out dir [--public-key file]
 *
 * Passwords: YIWANG_KEY_PASSWORD, or --password-file (first line), or typed at a terminal prompt.
 * Output: the requested value (key, share) or JSON on stdout; messages on stderr. Exit 1 with the stable error code
 * on failure (e.g. "error SIGNATURE_INVALID: …"), 2 on a usage error.
 * Submitting over HTTP comes with the bid-submission endpoints: the seam is SealedBidSubmitter in ../sealing/submit.ts.
 */
import { readFile } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import { parseArgs } from 'node:util';
import { createInterface } from 'node:readline';
import {
  SealedBidError,
  combineEscrowShares,
  decodeContentKey,
  decodeShare,
  encodeContentKey,
  encodeShare,
  generateKeyPair,
  readSealedBidHeader,
  signKeyProof,
  unwrapContentKey,
  unwrapEscrowShare,
  verifySealedBid,
  type Custodian,
  type KeyAlgorithm,
  type PriceSheet,
  type PublicKeyRef,
  type SealedBidHeader,
} from '../sealing/index';
import { fileInput, openSealedBidToDir, readKeyFile, sealBidToFile, writeKeyFile } from '../sealing/node';

class UsageError extends Error {}

const USAGE = `yiwang-bid — seal, inspect and open sealed bids (format yiwang-sealed-bid/1, docs/adr/0008-sealed-bids.md)

  keygen  --alg sm2|ed25519|p256 --out key.json [--label text]
  proof   --key key.json --challenge <challenge>          signature for registering the public key
  seal    --key key.json --tender <id> --lot <id> [--lot <id>…] --price-sheet sheet.json
          --custodians custodians.json --k <k> --out bid.sealed [--chunk-size bytes] [files…]
  inspect bid.sealed [--public-key file]                  header, digest, signature check
  unwrap  --key key.json bid.sealed                       bidder: content key (hex); custodian: escrow share (base64)
  combine bid.sealed <share> <share>…                     content key from k escrow shares
  open    (--content-key hex | --content-key-file f) bid.sealed --out dir [--public-key file]

Password of key files: YIWANG_KEY_PASSWORD, --password-file <file>, or typed at a terminal.
custodians.json: [{ "kind": "center|regulator|tenderer", "accountId": "…", "algorithm": "sm2|ed25519|p256", "publicKey": "…" }]
sheet.json: { "currency": "CNY", "lots": [{ "lotId": "…", "priceYuan": "1234.50" | "priceFen": 123450, "durationDays": 90 }] }`;

const out = (s: string) => process.stdout.write(s + '\n');
const note = (s: string) => process.stderr.write(s + '\n');

async function password(opts: { 'password-file'?: string }, confirm = false): Promise<string> {
  if (opts['password-file']) return (await readFile(opts['password-file'], 'utf8')).split(/\r?\n/)[0]!;
  const env = process.env.YIWANG_KEY_PASSWORD;
  if (env) return env;
  if (!process.stdin.isTTY) throw new UsageError('no password: set YIWANG_KEY_PASSWORD or pass --password-file');
  const ask = async (q: string) => {
    const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
    // Echo nothing while the password is typed.
    (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = (s: string) => {
      if (s.startsWith(q)) process.stderr.write(q);
    };
    const answer = await new Promise<string>((resolve) => rl.question(q, resolve));
    rl.close();
    process.stderr.write('\n');
    return answer;
  };
  const p = await ask('Key file password: ');
  if (confirm && (await ask('Repeat password: ')) !== p) throw new UsageError('the passwords differ');
  return p;
}

async function readJson<T>(file: string, what: string): Promise<T> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as T;
  } catch (e) {
    throw new UsageError(`${what} ${file}: ${(e as Error).message}`);
  }
}

/** A public key file: PEM, or SM2 hex; or a key file (its public half). Algorithm from the file or the header. */
async function publicKeyFile(file: string, header: SealedBidHeader): Promise<PublicKeyRef> {
  const text = (await readFile(file, 'utf8')).trim();
  if (text.startsWith('{')) {
    const k = JSON.parse(text) as { algorithm: KeyAlgorithm; publicKey: string };
    return { algorithm: k.algorithm, publicKey: k.publicKey };
  }
  return { algorithm: header.bidder.algorithm, publicKey: text };
}

function need<T>(v: T | undefined, flag: string): T {
  if (v === undefined || v === '') throw new UsageError(`--${flag} is required`);
  return v;
}

const common = { 'password-file': { type: 'string' } } as const;

async function main(argv: string[]): Promise<void> {
  const [cmd, ...rest] = argv;
  if (cmd === undefined || cmd === 'help' || cmd === '--help' || cmd === '-h' || rest.includes('--help') || rest.includes('-h')) {
    out(USAGE);
    if (cmd === undefined) process.exitCode = 2;
    return;
  }
  switch (cmd) {
    case 'keygen': {
      const { values } = parseArgs({
        args: rest,
        options: { ...common, alg: { type: 'string' }, out: { type: 'string' }, label: { type: 'string' } },
      });
      const alg = need(values.alg, 'alg') as KeyAlgorithm;
      if (!['sm2', 'ed25519', 'p256'].includes(alg)) throw new UsageError('--alg must be sm2, ed25519 or p256');
      const file = need(values.out, 'out');
      const key = generateKeyPair(alg);
      const kf = await writeKeyFile(file, key, await password(values, true), values.label ? { label: values.label } : {});
      note(`wrote ${file} (${alg}, fingerprint ${kf.fingerprint}); register the public key below with a proof (yiwang-bid proof)`);
      out(JSON.stringify({ algorithm: kf.algorithm, publicKey: kf.publicKey, fingerprint: kf.fingerprint }, null, 2));
      return;
    }
    case 'proof': {
      const { values } = parseArgs({ args: rest, options: { ...common, key: { type: 'string' }, challenge: { type: 'string' } } });
      const key = await readKeyFile(need(values.key, 'key'), await password(values));
      out(signKeyProof(key, need(values.challenge, 'challenge')));
      return;
    }
    case 'seal': {
      const { values, positionals } = parseArgs({
        args: rest,
        allowPositionals: true,
        options: {
          ...common,
          key: { type: 'string' },
          tender: { type: 'string' },
          lot: { type: 'string', multiple: true },
          'price-sheet': { type: 'string' },
          custodians: { type: 'string' },
          k: { type: 'string' },
          out: { type: 'string' },
          'chunk-size': { type: 'string' },
        },
      });
      const priceSheet = await readJson<PriceSheet>(need(values['price-sheet'], 'price-sheet'), 'price sheet');
      const custodians = await readJson<Custodian[]>(need(values.custodians, 'custodians'), 'custodians');
      const k = Number(need(values.k, 'k'));
      const outFile = need(values.out, 'out');
      const lotIds = values.lot ?? [];
      if (lotIds.length === 0) throw new UsageError('--lot is required (repeat it for several lots)');
      const bidderKey = await readKeyFile(need(values.key, 'key'), await password(values));
      const files = await Promise.all(positionals.map((f) => fileInput(f)));
      const summary = await sealBidToFile(
        {
          tenderId: need(values.tender, 'tender'),
          lotIds,
          priceSheet,
          files,
          bidderKey,
          custodians,
          threshold: k,
          ...(values['chunk-size'] ? { chunkSize: Number(values['chunk-size']) } : {}),
        },
        outFile,
      );
      note(`sealed ${outFile}: ${summary.size} bytes, ${files.length} file(s), escrow ${k} of ${custodians.length}`);
      out(JSON.stringify({ file: outFile, digest: summary.digest, size: summary.size, signature: summary.signature }, null, 2));
      return;
    }
    case 'inspect': {
      const { values, positionals } = parseArgs({
        args: rest,
        allowPositionals: true,
        options: { ...common, 'public-key': { type: 'string' } },
      });
      const file = positionals[0];
      if (!file) throw new UsageError('inspect <bid.sealed>');
      const header = await readSealedBidHeader(createReadStream(file));
      const bidderKey = values['public-key'] ? await publicKeyFile(values['public-key'], header) : null;
      const v = await verifySealedBid(createReadStream(file), { bidderKey });
      out(JSON.stringify({ header: v.header, digest: v.digest, size: v.size, signatureVerified: v.signatureVerified }, null, 2));
      if (!bidderKey) note('structure and digest checked; pass --public-key to check the bidder signature');
      return;
    }
    case 'unwrap': {
      const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { ...common, key: { type: 'string' } } });
      const file = positionals[0];
      if (!file) throw new UsageError('unwrap --key key.json <bid.sealed>');
      const header = await readSealedBidHeader(createReadStream(file));
      const key = await readKeyFile(need(values.key, 'key'), await password(values));
      if (key.fingerprint === header.bidder.fingerprint) {
        note('content key (send it at the opening; it opens this bid only):');
        out(encodeContentKey(await unwrapContentKey(header, key)));
      } else {
        const share = await unwrapEscrowShare(header, key);
        note(`escrow share ${share.position + 1} of ${header.escrow.shares.length} (${share.kind}); ${header.escrow.threshold} needed:`);
        out(encodeShare(share.share));
      }
      return;
    }
    case 'combine': {
      const { positionals } = parseArgs({ args: rest, allowPositionals: true, options: common });
      const [file, ...shares] = positionals;
      if (!file || shares.length === 0) throw new UsageError('combine <bid.sealed> <share> <share>…');
      const header = await readSealedBidHeader(createReadStream(file));
      out(encodeContentKey(await combineEscrowShares(header, shares.map(decodeShare))));
      return;
    }
    case 'open': {
      const { values, positionals } = parseArgs({
        args: rest,
        allowPositionals: true,
        options: {
          ...common,
          'content-key': { type: 'string' },
          'content-key-file': { type: 'string' },
          out: { type: 'string' },
          'public-key': { type: 'string' },
        },
      });
      const file = positionals[0];
      if (!file) throw new UsageError('open --content-key <hex> <bid.sealed> --out <dir>');
      const keyText =
        values['content-key'] ?? (values['content-key-file'] ? await readFile(values['content-key-file'], 'utf8') : undefined);
      const contentKey = decodeContentKey(need(keyText, 'content-key'));
      const header = await readSealedBidHeader(createReadStream(file));
      const bidderKey = values['public-key'] ? await publicKeyFile(values['public-key'], header) : undefined;
      const dir = need(values.out, 'out');
      const opened = await openSealedBidToDir(file, contentKey, dir, bidderKey ? { bidderKey } : {});
      note(`opened into ${dir}: price-sheet.json and ${opened.files.length} file(s) under files/`);
      out(
        JSON.stringify(
          {
            tenderId: opened.header.tenderId,
            digest: opened.digest,
            signatureVerified: opened.signatureVerified,
            priceSheet: opened.priceSheet,
            files: opened.files,
          },
          null,
          2,
        ),
      );
      return;
    }
    default:
      throw new UsageError(`unknown command ${cmd}; yiwang-bid --help lists them`);
  }
}

main(process.argv.slice(2)).then(
  () => process.exit(process.exitCode ?? 0),
  (e: unknown) => {
    if (e instanceof SealedBidError) {
      note(`error ${e.code}: ${e.message}（${e.zh}）`);
      process.exit(1);
    }
    if (e instanceof UsageError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      note(`usage: ${(e as Error).message}`);
      process.exit(2);
    }
    note(`error: ${(e as Error).message}`);
    process.exit(1);
  },
);

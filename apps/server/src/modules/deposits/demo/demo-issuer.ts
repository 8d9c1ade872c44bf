import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { GuaranteeDocument } from '../deposits.rules';

/**
 * A built-in demo guarantee issuer: a real HTTP server speaking the v1 wire format of adapters/issuer.ts, for the
 * demo and the tests. It keeps guarantees in memory and signs every answer with its Ed25519 key. `signingKey` may
 * be replaced to play a forger (answers signed with a key the platform has not registered); `replayNonce` makes it
 * answer with a stale nonce (a replayed answer).
 */
export interface DemoIssuer {
  url: string;
  publicKeyPem: string;
  guarantees: Map<string, GuaranteeDocument>;
  /** Requests seen, for tests: `${guaranteeNo}`. */
  seen: string[];
  signingKey: KeyObject;
  replayNonce: string | null;
  close(): Promise<void>;
}

export async function startDemoIssuer(opts: { host?: string; port?: number } = {}): Promise<DemoIssuer> {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const state: Omit<DemoIssuer, 'url' | 'close'> = {
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    guarantees: new Map(),
    seen: [],
    signingKey: privateKey,
    replayNonce: null,
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/v1/guarantees/verify') return res.writeHead(404).end();
      let q: { guaranteeNo?: unknown; nonce?: unknown };
      try {
        q = JSON.parse(Buffer.concat(chunks).toString('utf8')) as typeof q;
      } catch {
        return res.writeHead(400).end();
      }
      if (typeof q.guaranteeNo !== 'string' || typeof q.nonce !== 'string') return res.writeHead(400).end();
      state.seen.push(q.guaranteeNo);
      const doc = state.guarantees.get(q.guaranteeNo);
      const answer = {
        nonce: state.replayNonce ?? q.nonce,
        signedAt: new Date().toISOString(),
        ...(doc ? { guarantee: doc } : { error: 'not_found' }),
      };
      const body = Buffer.from(JSON.stringify(answer), 'utf8');
      const signature = sign(null, body, state.signingKey).toString('base64');
      res
        .writeHead(doc ? 200 : 404, { 'content-type': 'application/json', 'x-issuer-signature': signature, 'content-length': body.length })
        .end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', resolve));
  const addr = server.address() as AddressInfo;
  return Object.assign(state, {
    url: `http://${addr.address}:${addr.port}`,
    close: () => new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  });
}

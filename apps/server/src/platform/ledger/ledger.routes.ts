import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { bytesToHex, checkpointMessage } from '@yiwang/contracts/merkle';
import { AppError, Errors } from '../http/errors';
import { ProblemSchema } from '../http/schemas';
import { hasRole, requireRole } from '../auth/actor';
import type { Role } from '@yiwang/contracts';
import { createCheckpoint, toCheckpoint } from './checkpoint';
import { signingKey } from './keys';
import { ledgerInclusionPath } from './proof';
import { leafOf } from './stream';

const CheckpointSchema = Type.Object({
  treeSize: Type.Integer(),
  root: Type.String({ description: 'Merkle root (hex), RFC 6962' }),
  signature: Type.String({ description: 'Ed25519 signature (hex) over `message`' }),
  keyId: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  message: Type.String({ description: 'The exact signed text (UTF-8)' }),
});

function present(c: ReturnType<typeof toCheckpoint>) {
  const createdAt = c.createdAt.toISOString();
  return {
    treeSize: c.treeSize,
    root: c.root,
    signature: c.signature,
    keyId: c.keyId,
    createdAt,
    message: checkpointMessage({ treeSize: c.treeSize, rootHex: c.root, createdAt }),
  };
}

/** Who may see what an entry is about (its type and subject), not only that it exists. */
const STAFF: Role[] = ['admin', 'auditor', 'regulator', 'manager', 'center_intake', 'center_witness', 'center_venue', 'center_archive'];

const notCheckpointed = (seq: number) =>
  new AppError(
    'LEDGER_NOT_CHECKPOINTED',
    409,
    `第 ${seq} 条账本记录尚未纳入已签名的检查点，请稍后再试`,
    `Ledger entry ${seq} is not yet covered by a signed checkpoint; try again later`,
    'seq',
  );

/** Public, read-only ledger endpoints: anyone may check the platform's signed roots and inclusion proofs. */
export async function ledgerRoutes(app: FastifyInstance) {
  const { db, clock } = app.ctx;

  app.get(
    '/api/ledger/public-key',
    {
      schema: {
        tags: ['ledger'],
        summary: '平台账本签名公钥 / Platform ledger signing key',
        response: {
          200: Type.Object({
            keyId: Type.String(),
            algorithm: Type.Literal('Ed25519'),
            publicKeyPem: Type.String(),
            publicKeyHex: Type.String(),
          }),
        },
      },
    },
    async () => {
      const key = await signingKey(db, clock.now());
      return { keyId: key.id, algorithm: 'Ed25519' as const, publicKeyPem: key.publicKeyPem, publicKeyHex: key.publicKeyHex };
    },
  );

  app.get(
    '/api/ledger/checkpoints',
    {
      schema: {
        tags: ['ledger'],
        summary: '账本检查点（最新在前）/ Signed ledger checkpoints, latest first',
        querystring: Type.Object({
          before: Type.Optional(Type.Integer({ minimum: 1 })),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
        }),
        response: { 200: Type.Object({ items: Type.Array(CheckpointSchema), nextBefore: Type.Union([Type.Integer(), Type.Null()]) }) },
      },
    },
    async (req) => {
      const { before, limit = 20 } = req.query as { before?: number; limit?: number };
      let q = db
        .selectFrom('ledger_checkpoints')
        .select(['tree_size', 'root', 'signature', 'key_id', 'created_at'])
        .orderBy('tree_size', 'desc')
        .limit(limit + 1);
      if (before !== undefined) q = q.where('tree_size', '<', before);
      const rows = await q.execute();
      const page = rows.slice(0, limit);
      return {
        items: page.map((r) => present(toCheckpoint(r))),
        nextBefore: rows.length > limit ? page[page.length - 1]!.tree_size : null,
      };
    },
  );

  app.post(
    '/api/ledger/checkpoints',
    {
      schema: {
        tags: ['ledger'],
        summary: '立即生成检查点（管理员）/ Create a checkpoint now (admin)',
        response: { 200: CheckpointSchema, 401: ProblemSchema, 403: ProblemSchema, 409: ProblemSchema },
      },
    },
    async (req) => {
      requireRole(req, 'admin');
      const c = await createCheckpoint(app.ctx);
      if (!c) throw Errors.conflict('LEDGER_EMPTY', '账本为空，无需生成检查点', 'The ledger is empty; there is nothing to checkpoint');
      return present(c);
    },
  );

  const SeqParams = Type.Object({ seq: Type.Integer({ minimum: 1 }) });

  app.get(
    '/api/ledger/entries/:seq',
    {
      schema: {
        tags: ['ledger'],
        summary: '账本记录（公开字段）/ Ledger entry, public fields',
        description:
          'Anyone gets the hashes and time. Type and subject are shown only to center, supervision and admin staff: ' +
          'entries like bid.submitted would otherwise reveal how many bids a project has before opening (招标投标法 第二十二条). ' +
          'Payloads are never published.',
        params: SeqParams,
        response: {
          200: Type.Object({
            seq: Type.Integer(),
            entryHash: Type.String(),
            prevHash: Type.String(),
            leafHash: Type.String(),
            type: Type.Optional(Type.String()),
            subjectType: Type.Optional(Type.String()),
            subjectId: Type.Optional(Type.String()),
            recordedAt: Type.String({ format: 'date-time' }),
          }),
          404: ProblemSchema,
        },
      },
    },
    async (req) => {
      const { seq } = req.params as { seq: number };
      const e = await db
        .selectFrom('ledger_entries')
        .select(['seq', 'entry_hash', 'prev_hash', 'type', 'subject_type', 'subject_id', 'recorded_at'])
        .where('seq', '=', seq)
        .executeTakeFirst();
      if (!e) throw Errors.notFound(`Ledger entry ${seq}`, `第 ${seq} 条账本记录`);
      const staff = hasRole(req.actor, ...STAFF);
      return {
        seq: e.seq,
        entryHash: e.entry_hash,
        prevHash: e.prev_hash,
        leafHash: bytesToHex(leafOf(e.entry_hash)),
        ...(staff ? { type: e.type, subjectType: e.subject_type, subjectId: e.subject_id } : {}),
        recordedAt: e.recorded_at.toISOString(),
      };
    },
  );

  app.get(
    '/api/ledger/entries/:seq/proof',
    {
      schema: {
        tags: ['ledger'],
        summary: '账本记录的包含证明 / Inclusion proof of a ledger entry',
        description:
          'Audit path (RFC 6962) from the entry to the root of a signed checkpoint. Without treeSize, the latest checkpoint that covers the entry.',
        params: SeqParams,
        querystring: Type.Object({ treeSize: Type.Optional(Type.Integer({ minimum: 1 })) }),
        response: {
          200: Type.Object({
            seq: Type.Integer(),
            entryHash: Type.String(),
            leafHash: Type.String(),
            treeSize: Type.Integer(),
            path: Type.Array(Type.String()),
            checkpoint: CheckpointSchema,
          }),
          400: ProblemSchema,
          404: ProblemSchema,
          409: ProblemSchema,
        },
      },
    },
    async (req) => {
      const { seq } = req.params as { seq: number };
      const { treeSize } = req.query as { treeSize?: number };
      const e = await db.selectFrom('ledger_entries').select(['seq', 'entry_hash']).where('seq', '=', seq).executeTakeFirst();
      if (!e) throw Errors.notFound(`Ledger entry ${seq}`, `第 ${seq} 条账本记录`);
      if (treeSize !== undefined && treeSize < seq)
        throw Errors.validation('treeSize', `treeSize 不能小于 ${seq}`, `treeSize must be at least ${seq}`);
      let q = db.selectFrom('ledger_checkpoints').select(['tree_size', 'root', 'signature', 'key_id', 'created_at']);
      q =
        treeSize !== undefined
          ? q.where('tree_size', '=', treeSize)
          : q.where('tree_size', '>=', seq).orderBy('tree_size', 'desc').limit(1);
      const cp = await q.executeTakeFirst();
      if (!cp) {
        if (treeSize !== undefined) throw Errors.notFound(`Checkpoint of tree size ${treeSize}`, `树大小为 ${treeSize} 的检查点`);
        throw notCheckpointed(seq);
      }
      const path = await ledgerInclusionPath(db, seq, cp.tree_size);
      return {
        seq,
        entryHash: e.entry_hash,
        leafHash: bytesToHex(leafOf(e.entry_hash)),
        treeSize: cp.tree_size,
        path,
        checkpoint: present(toCheckpoint(cp)),
      };
    },
  );
}

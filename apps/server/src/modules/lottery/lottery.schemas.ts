import { Type } from 'typebox';

// The draw record (packages/contracts/src/lottery-verify.ts DrawRecord) as a TypeBox schema: the response of
// GET /api/lottery/draws/:id/record and the body of POST /api/lottery/verify. Value formats (hex, id patterns) are
// NOT constrained here: a malformed value in a submitted record is a verification finding, not a 400.

// Null first: with coerceTypes on, Ajv would otherwise turn a null into "" by trying the string branch first.
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([Type.Null(), t]);
const Str = Type.String({ maxLength: 1000 });
const Candidate = Type.Object({ id: Str, groups: Type.Array(Str, { maxItems: 1000 }) }, { additionalProperties: false });
const Selection = Type.Object({ id: Str, group: Str }, { additionalProperties: false });
const Assignment = Type.Object({ to: Str, id: Str }, { additionalProperties: false });

export const ExecutionSchema = Type.Object(
  {
    pool: Type.Object(
      { size: Type.Integer({ minimum: 0 }), hash: Str, candidates: Nullable(Type.Array(Candidate, { maxItems: 1_000_000 })) },
      { additionalProperties: false },
    ),
    strata: Type.Array(Type.Object({ group: Str, count: Type.Integer() }, { additionalProperties: false }), { maxItems: 10_000 }),
    exclusions: Type.Array(Type.Object({ commitment: Str, reason: Str }, { additionalProperties: false }), { maxItems: 100_000 }),
    assignTo: Nullable(Type.Object({ count: Type.Integer({ minimum: 0 }), ids: Nullable(Type.Array(Str, { maxItems: 100_000 })) }, { additionalProperties: false })),
    entropy: Str,
    inputsHash: Str,
    result: Type.Object(
      {
        count: Type.Integer({ minimum: 0 }),
        hash: Str,
        selected: Nullable(Type.Array(Selection, { maxItems: 1_000_000 })),
        assignments: Nullable(Type.Array(Assignment, { maxItems: 100_000 })),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);

export const PlatformInfoSchema = Type.Object({
  status: Type.Union([Type.Literal('committed'), Type.Literal('executed'), Type.Literal('revealed')]),
  secret: Type.Boolean(),
  revealAfter: Nullable(Type.String()),
  committedAt: Type.String(),
  executedAt: Nullable(Type.String()),
  revealedAt: Nullable(Type.String()),
  replaceReason: Nullable(Type.String()),
  replacedBy: Nullable(Type.String()),
  ledger: Type.Object({ committed: Type.Integer(), executed: Nullable(Type.Integer()), revealed: Nullable(Type.Integer()) }),
});

const recordFields = {
  algorithm: Str,
  drawId: Str,
  purpose: Str,
  subject: Str,
  replaces: Nullable(Str),
  commitment: Str,
  seed: Nullable(Str),
  execution: Nullable(ExecutionSchema),
  ledger: Type.Optional(
    Type.Array(
      Type.Object(
        { type: Str, seq: Type.Integer(), recordedAt: Str, actorId: Nullable(Str), prevHash: Str, entryHash: Str },
        { additionalProperties: false },
      ),
      { maxItems: 10 },
    ),
  ),
  exclusionOpenings: Type.Optional(
    Type.Array(Type.Object({ id: Str, reason: Str, detail: Type.String({ maxLength: 2000 }), salt: Str }, { additionalProperties: false }), { maxItems: 100_000 }),
  ),
};

/** What the API returns. */
export const DrawRecordSchema = Type.Object({ ...recordFields, platform: PlatformInfoSchema });

/** What anyone may submit for verification (the platform part is informational and passed through unchecked). */
export const DrawRecordBody = Type.Object(
  { ...recordFields, platform: Type.Optional(Type.Record(Type.String(), Type.Unknown())) },
  { additionalProperties: false },
);

const Check = Type.Object({
  check: Type.String(),
  status: Type.Union([Type.Literal('pass'), Type.Literal('fail'), Type.Literal('pending'), Type.Literal('skipped')]),
  zh: Type.String(),
  en: Type.String(),
  expected: Type.Optional(Type.String()),
  actual: Type.Optional(Type.String()),
});

export const VerificationSchema = Type.Object({
  ok: Type.Boolean(),
  problems: Type.Array(Check),
  pending: Type.Array(Check),
  checks: Type.Array(Check),
  recomputed: Type.Optional(Type.Object({ selected: Type.Array(Selection), assignments: Nullable(Type.Array(Assignment)), resultHash: Type.String() })),
});

export const DrawSummarySchema = Type.Object({
  id: Type.String(),
  purpose: Type.String(),
  subject: Type.String(),
  status: Type.String(),
  commitment: Type.String(),
  replaces: Nullable(Type.String()),
  replaceReason: Nullable(Type.String()),
  committedAt: Type.String(),
  executedAt: Nullable(Type.String()),
  revealedAt: Nullable(Type.String()),
});

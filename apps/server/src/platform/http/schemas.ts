import { Type, type TSchema } from 'typebox';

/** Shape of every error response, referenced by routes for OpenAPI. */
export const ProblemSchema = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    code: Type.String(),
    message: Type.Object({ zh: Type.String(), en: Type.String() }),
    field: Type.Optional(Type.String()),
    details: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    instance: Type.Optional(Type.String()),
  },
  { $id: 'Problem' },
);

export const Uuid = Type.String({ format: 'uuid' });

/** Keyset page: opaque cursor, stable under inserts. */
export function Page<T extends TSchema>(item: T) {
  return Type.Object({ items: Type.Array(item), nextCursor: Type.Union([Type.String(), Type.Null()]), total: Type.Optional(Type.Integer()) });
}

export const PageQuery = Type.Object({
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
});

export function encodeCursor(parts: (string | number)[]): string {
  return Buffer.from(JSON.stringify(parts)).toString('base64url');
}

export function decodeCursor(cursor: string | undefined, arity: number): (string | number)[] | undefined {
  if (!cursor) return undefined;
  try {
    const parts = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(parts) && parts.length === arity) return parts as (string | number)[];
  } catch {
    /* fall through */
  }
  return undefined;
}

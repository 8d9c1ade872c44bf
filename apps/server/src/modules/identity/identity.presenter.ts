import { Type } from 'typebox';
import type { Role } from '@yiwang/contracts';
import { maskPersonName } from './identity.rules';
import { decodeCursor } from '../../platform/http/schemas';

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A (text, uuid) keyset cursor; anything malformed reads as "from the start" rather than reaching SQL. */
export function nameIdCursor(cursor: string | undefined): [string, string] | undefined {
  const parts = decodeCursor(cursor, 2);
  if (!parts || typeof parts[0] !== 'string' || typeof parts[1] !== 'string' || !UUID_RE.test(parts[1])) return undefined;
  return [parts[0], parts[1]];
}

export const GrantSchema = Type.Object({ role: Type.String(), industries: Type.Array(Type.String()), regions: Type.Array(Type.String()) });

export const OrgProfileSchema = Type.Object({
  id: Type.String(),
  kind: Type.Union([Type.Literal('organisation'), Type.Literal('person')]),
  name: Type.String(),
  uscc: Type.Union([Type.String(), Type.Null()]),
  regionCode: Type.String(),
  status: Type.String(),
  registeredAt: Type.String(),
});

export const AccountSchema = Type.Object({
  id: Type.String(),
  username: Type.String(),
  displayName: Type.String(),
  orgId: Type.Union([Type.String(), Type.Null()]),
  isOrgAdmin: Type.Boolean(),
  totpEnabled: Type.Boolean(),
  status: Type.String(),
  roles: Type.Array(GrantSchema),
  createdAt: Type.String(),
});

/** A row of the administrator's account list: the account plus its organisation's name (null for staff). */
export const AccountListItemSchema = Type.Object({
  ...AccountSchema.properties,
  orgName: Type.Union([Type.String(), Type.Null()]),
});

export const TokenSchema = Type.Object({
  id: Type.String(),
  accountId: Type.String(),
  name: Type.String(),
  prefix: Type.String(),
  scopes: Type.Array(Type.String()),
  createdAt: Type.String(),
  expiresAt: Type.String(),
  revokedAt: Type.Union([Type.String(), Type.Null()]),
  lastUsedAt: Type.Union([Type.String(), Type.Null()]),
});

export const KeySchema = Type.Object({
  id: Type.String(),
  algorithm: Type.String(),
  publicKey: Type.String(),
  fingerprint: Type.String(),
  label: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
  revokedAt: Type.Union([Type.String(), Type.Null()]),
});

interface OrgRow {
  id: string;
  kind: 'organisation' | 'person';
  name: string;
  uscc: string | null;
  region_code: string;
  status: string;
  created_at: Date;
}

/**
 * Public profile. An organisation's name and credit code are public (企业信息公示暂行条例 第六条); a natural
 * person shows a masked name and nothing of the ID number. `full` (staff) shows a person's full name.
 */
export function presentOrg(o: OrgRow, full = false) {
  return {
    id: o.id,
    kind: o.kind,
    name: o.kind === 'person' && !full ? maskPersonName(o.name) : o.name,
    uscc: o.uscc,
    regionCode: o.region_code,
    status: o.status,
    registeredAt: o.created_at.toISOString(),
  };
}

export function presentAccount(
  a: {
    id: string;
    username: string;
    display_name: string;
    org_id: string | null;
    is_org_admin: boolean;
    totp_enabled: boolean;
    status: string;
    created_at: Date;
  },
  roles: { role: string; industries: string[]; regions: string[] }[],
) {
  return {
    id: a.id,
    username: a.username,
    displayName: a.display_name,
    orgId: a.org_id,
    isOrgAdmin: a.is_org_admin,
    totpEnabled: a.totp_enabled,
    status: a.status,
    roles: roles.map((r) => ({ role: r.role as Role, industries: r.industries, regions: r.regions })),
    createdAt: a.created_at.toISOString(),
  };
}

export function presentToken(t: {
  id: string;
  account_id: string;
  name: string;
  token_prefix: string;
  scopes: string[];
  created_at: Date;
  expires_at: Date;
  revoked_at: Date | null;
  last_used_at: Date | null;
}) {
  return {
    id: t.id,
    accountId: t.account_id,
    name: t.name,
    prefix: t.token_prefix,
    scopes: t.scopes,
    createdAt: t.created_at.toISOString(),
    expiresAt: t.expires_at.toISOString(),
    revokedAt: t.revoked_at?.toISOString() ?? null,
    lastUsedAt: t.last_used_at?.toISOString() ?? null,
  };
}

export function presentKey(k: {
  id: string;
  algorithm: string;
  public_key: string;
  fingerprint: string;
  label: string | null;
  created_at: Date;
  revoked_at: Date | null;
}) {
  return {
    id: k.id,
    algorithm: k.algorithm,
    publicKey: k.public_key,
    fingerprint: k.fingerprint,
    label: k.label,
    createdAt: k.created_at.toISOString(),
    revokedAt: k.revoked_at?.toISOString() ?? null,
  };
}

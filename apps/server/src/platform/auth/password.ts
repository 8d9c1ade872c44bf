import type * as Argon2 from '@node-rs/argon2';

/**
 * Argon2id with OWASP's recommended floor (19 MiB, 2 passes, 1 lane). @node-rs/argon2 is a maintained native
 * binding shipped prebuilt in the npm package: ~50 ms a hash here, against ~300 ms for scrypt at comparable
 * strength in pure node:crypto. Parameters live in the encoded hash, so they can be raised later.
 */
const PARAMS = { memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

// The native addon is loaded by the first hash or verification, not at start-up (docs/adr/0014-startup.md).
let argon2: Promise<typeof Argon2> | undefined;
const lib = () => (argon2 ??= import('@node-rs/argon2'));

export async function hashPassword(password: string): Promise<string> {
  return (await lib()).hash(password, PARAMS);
}

export async function verifyPassword(encoded: string, password: string): Promise<boolean> {
  const { verify } = await lib();
  try {
    return await verify(encoded, password);
  } catch {
    return false;
  }
}

/** Minimum policy: 10+ characters with letters and digits. */
export function passwordProblem(password: string): { zh: string; en: string } | undefined {
  if (password.length < 10 || !/[A-Za-z]/.test(password) || !/\d/.test(password)) {
    return { zh: '密码至少 10 位，且须同时包含字母和数字', en: 'The password needs at least 10 characters with letters and digits' };
  }
  return undefined;
}

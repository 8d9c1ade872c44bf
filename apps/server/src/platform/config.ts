import path from 'node:path';

/** Runtime configuration, read once from the environment. Every knob has a safe default so `npm start` needs none. */
export interface Config {
  /** PostgreSQL connection string; when absent the embedded PGlite engine is used. */
  databaseUrl: string | undefined;
  /** PGlite data directory (ignored when databaseUrl is set). */
  dataDir: string;
  /** Content-addressed file store root. */
  filesDir: string;
  host: string;
  port: number;
  /** Seed the demo city when the database is empty. */
  seedDemo: boolean;
  /** Demo/test time acceleration: 1 = real time; 60 = one real second is one simulated minute. */
  timeAcceleration: number;
  /** Simulated start instant for accelerated clocks (ISO string). */
  clockStart: string | undefined;
  /** Served web bundle, if built. */
  webDist: string;
  /** Largest accepted upload, bytes. */
  maxUploadBytes: number;
  /** Cookie `secure` flag; on behind TLS in production. */
  secureCookies: boolean;
  sessionTtlMinutes: number;
  /** Unauthenticated, costly routes (sign-in, registration): requests per minute per client address. */
  authRateLimitPerMinute: number;
  /**
   * Staff accounts (STAFF_ROLES) must pass TOTP before any route but the TOTP ones. On by default in production
   * (NODE_ENV=production); YIWANG_REQUIRE_STAFF_TOTP=1|0 overrides; the demo and most tests leave it off.
   */
  requireStaffTotp: boolean;
  /**
   * Key for the HMAC that stores natural persons' ID numbers (never the numbers themselves). Set
   * YIWANG_PII_HMAC_KEY in production (and keep it: changing it orphans every stored hash); when unset a random
   * key is kept in <dataDir>/secrets/pii-hmac.key.
   */
  piiHmacKey: string | undefined;
  logLevel: string;
  /**
   * OCDS ocid prefix (`ocds-` + 6 characters), registered by the installation with the Open Contracting Partnership.
   * The default marks data from an unregistered installation; change it before publishing open data.
   */
  ocidPrefix: string;
  /** Demo and end-to-end runs: administrators may move the clock forward (POST /api/dev/clock). Never in production. */
  clockControl: boolean;
}

const repoRoot = path.resolve(import.meta.dirname, '../../../..');

function int(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n)) throw new Error(`环境变量 ${name} 不是数字 / ${name} is not a number: ${raw}`);
  return n;
}

export function loadConfig(overrides: Partial<Config> = {}): Config {
  const dataDir = path.resolve(process.env.YIWANG_DATA_DIR ?? path.join(repoRoot, 'data'));
  return {
    databaseUrl: process.env.DATABASE_URL || undefined,
    dataDir,
    filesDir: path.resolve(process.env.YIWANG_FILES_DIR ?? path.join(dataDir, 'files')),
    host: process.env.HOST ?? '127.0.0.1',
    port: int('PORT', 3000),
    seedDemo: process.env.YIWANG_SEED_DEMO !== '0',
    timeAcceleration: int('YIWANG_TIME_ACCELERATION', 1),
    clockStart: process.env.YIWANG_CLOCK_START || undefined,
    webDist: path.resolve(process.env.YIWANG_WEB_DIST ?? path.join(repoRoot, 'apps/web/dist')),
    maxUploadBytes: int('YIWANG_MAX_UPLOAD_BYTES', 50 * 1024 * 1024),
    secureCookies: process.env.YIWANG_SECURE_COOKIES === '1',
    sessionTtlMinutes: int('YIWANG_SESSION_TTL_MINUTES', 120),
    authRateLimitPerMinute: int('YIWANG_AUTH_RATE_LIMIT', 30),
    requireStaffTotp: process.env.YIWANG_REQUIRE_STAFF_TOTP ? process.env.YIWANG_REQUIRE_STAFF_TOTP === '1' : process.env.NODE_ENV === 'production',
    piiHmacKey: process.env.YIWANG_PII_HMAC_KEY || undefined,
    logLevel: process.env.LOG_LEVEL ?? 'info',
    ocidPrefix: process.env.YIWANG_OCID_PREFIX ?? 'ocds-ywtest',
    clockControl: process.env.YIWANG_CLOCK_CONTROL === '1',
    ...overrides,
  };
}

export const REPO_ROOT = repoRoot;

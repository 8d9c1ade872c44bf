import { loadConfig } from './platform/config';
import { openDatabase } from './platform/db/database';
import { migrate } from './platform/db/migrate';
import { seedCommand } from './seed/command';
import { createContext } from './platform/boot';
import { createFirstAdmin } from './modules/identity/commands/bootstrap';
import { systemClock } from './platform/clock';
import { verifyLedger } from './platform/ledger/verify';
import { createCheckpoint } from './platform/ledger/checkpoint';
import { verifyDrawCommand } from './platform/lottery/cli';

/**
 * `yiwang <command>`: operator commands. Each command is registered in `commands` with a one-line description;
 * platform services and modules add theirs here.
 */
type Command = { describe: string; run: (args: string[]) => Promise<number> };

export const commands: Record<string, Command> = {
  admin: {
    describe: 'admin create-first --username U [--name N] — first administrator (password from YIWANG_ADMIN_PASSWORD)',
    async run(args) {
      const flag = (name: string) => {
        const i = args.indexOf(name);
        return i >= 0 ? args[i + 1] : undefined;
      };
      const username = flag('--username');
      const password = process.env.YIWANG_ADMIN_PASSWORD;
      if (args[0] !== 'create-first' || !username || !password) {
        console.error('usage: YIWANG_ADMIN_PASSWORD=… yiwang admin create-first --username U [--name 显示名]');
        return 2;
      }
      const ctx = await createContext(loadConfig({ seedDemo: false }));
      try {
        const a = await createFirstAdmin(ctx, { username, password, displayName: flag('--name') ?? username });
        console.log(`administrator ${a.username} created`);
        return 0;
      } catch (e) {
        const err = e as { code?: string; zh?: string; en?: string; message: string };
        console.error(err.code ? `${err.code}: ${err.zh} / ${err.en}` : err.message);
        return 1;
      } finally {
        await ctx.handle.close();
      }
    },
  },
  ledger: {
    describe: 'ledger verify [--json] | ledger checkpoint — check the hash chain and signed roots; sign a root now',
    async run(args) {
      const [sub, ...flags] = args;
      if (sub !== 'verify' && sub !== 'checkpoint') {
        console.error('usage: yiwang ledger verify [--json] | yiwang ledger checkpoint');
        return 2;
      }
      const config = loadConfig();
      const handle = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.databaseUrl ? undefined : config.dataDir });
      try {
        if (sub === 'checkpoint') {
          const c = await createCheckpoint({ db: handle.db, clock: systemClock });
          console.log(c ? `checkpoint: tree size ${c.treeSize}, root ${c.root}` : 'the ledger is empty');
          return 0;
        }
        const json = flags.includes('--json');
        // Progress arrives per network chunk on PostgreSQL (COPY), per batch on PGlite: print every 100,000 or so.
        let shown = 0;
        const progress = (n: number) => {
          if (n - shown < 100_000) return;
          shown = n;
          process.stderr.write(`  ${n} entries…\r`);
        };
        const report = await verifyLedger(handle.db, { onProgress: json ? undefined : progress });
        if (json) console.log(JSON.stringify(report, null, 2));
        else {
          for (const p of report.problems) console.log(`PROBLEM ${p.kind.padEnd(24)} ${p.message}`);
          if (report.problemCount > report.problems.length) console.log(`… and ${report.problemCount - report.problems.length} more`);
          console.log(
            `${report.ok ? 'OK' : 'FAILED'}: ${report.entries} entries, head ${report.headSeq}, ${report.checkpointsChecked} checkpoint(s) checked, ` +
              `${report.problemCount} problem(s), ${report.ms} ms`,
          );
        }
        return report.ok ? 0 : 1;
      } finally {
        await handle.close();
      }
    },
  },
  seed: seedCommand,
  'verify-draw': {
    describe: 'verify-draw <record.json> [--json] — recompute a lottery draw from its public record (exit 0 = verified)',
    run: (args) => verifyDrawCommand(args),
  },
  migrate: {
    describe: 'apply pending database migrations (PGlite data dir, or DATABASE_URL)',
    async run() {
      const config = loadConfig();
      const handle = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.databaseUrl ? undefined : config.dataDir });
      try {
        const applied = await migrate(handle, (m) => console.log(m));
        console.log(applied.length ? `${applied.length} migration(s) applied` : 'database is up to date');
        return 0;
      } finally {
        await handle.close();
      }
    },
  },
};

async function main(argv: string[]) {
  const [name, ...rest] = argv;
  const cmd = name ? commands[name] : undefined;
  if (!cmd) {
    console.log('usage: yiwang <command> [args]\n');
    for (const [n, c] of Object.entries(commands)) console.log(`  ${n.padEnd(16)} ${c.describe}`);
    return name ? 2 : 0;
  }
  return cmd.run(rest);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: unknown) => {
      console.error(e instanceof Error ? e.message : e);
      process.exit(1);
    },
  );
}

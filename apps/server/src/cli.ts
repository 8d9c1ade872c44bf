import { loadConfig } from './platform/config';
import { openDatabase } from './platform/db/database';
import { migrate } from './platform/db/migrate';

/**
 * `yiwang <command>`: operator commands. Each command is registered in `commands` with a one-line description;
 * platform services and modules add theirs here.
 */
type Command = { describe: string; run: (args: string[]) => Promise<number> };

export const commands: Record<string, Command> = {
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

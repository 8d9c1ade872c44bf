import { loadConfig } from '../platform/config';
import { createContext } from '../platform/boot';
import { DEMO_PASSWORD, seedDemoIfEmpty } from './demo';

/**
 * `yiwang seed`: put the demo city into the configured database (PGlite data dir or DATABASE_URL) when it has no
 * organisations yet. Refuses — changing nothing — on a database already in use: the demo is never mixed into real data.
 */
export const seedCommand = {
  describe: 'seed the demo city (厦门市) into an empty database; does nothing if it already has organisations',
  async run(): Promise<number> {
    const ctx = await createContext(loadConfig({ seedDemo: false }), { log: (m) => console.log(`[migrate] ${m}`) });
    try {
      const r = await seedDemoIfEmpty(ctx, (m) => console.log(m));
      if (!r) {
        console.error('数据库中已有单位，未写入示范数据 / the database already has organisations; the demo city was not seeded');
        return 1;
      }
      console.log(`demo accounts: see README.md (admin, tenderer1, agency1, bidder1, intake1, …), password ${DEMO_PASSWORD}`);
      return 0;
    } finally {
      await ctx.handle.close();
    }
  },
};

import { randomBytes } from 'node:crypto';
import { dropPgTemplate, preparePgliteDump, preparePgTemplate } from './fixture-db';

/**
 * Runs once before the integration suite: migrate the templates every test file clones. The PostgreSQL template
 * is private to this run (test workers inherit its name through the environment), so runs sharing one server
 * never drop each other's template.
 */
export default async function setup() {
  // Workers use this run's dump even if a migration file appears in the working tree while the run is going.
  process.env.YIWANG_TEST_PGLITE_DUMP = await preparePgliteDump();
  const url = process.env.TEST_DATABASE_URL;
  if (!url) return;
  const template = `yiwang_tpl_${process.pid}_${randomBytes(3).toString('hex')}`;
  process.env.YIWANG_TEST_PG_TEMPLATE = template;
  await preparePgTemplate(url, template);
  return async () => {
    await dropPgTemplate(url, template);
  };
}

import { preparePgliteDump, preparePgTemplate } from './fixture-db';

/** Runs once before the integration suite: migrate the templates every test file clones. */
export default async function setup() {
  await preparePgliteDump();
  if (process.env.TEST_DATABASE_URL) await preparePgTemplate(process.env.TEST_DATABASE_URL);
}

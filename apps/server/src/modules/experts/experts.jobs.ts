import { registerJobHandler } from '../../platform/chronograph/jobs';
import { ANNUAL_REVIEW_JOB, sweepOverdueReviews } from './commands/annual';

/**
 * Timed transitions (platform/chronograph): at the annual review deadline of year Y, suspend the active experts
 * without a result for Y and schedule the next deadline. The handler decides from the rows as they are now (a late
 * or repeated run suspends nobody twice). Job subject: the year under review.
 */
registerJobHandler(ANNUAL_REVIEW_JOB, async (job, trx, { now }) => {
  const year = Number(job.subjectId);
  if (!Number.isInteger(year)) return;
  await sweepOverdueReviews(trx, year, now);
});

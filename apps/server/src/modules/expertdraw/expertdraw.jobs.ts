import { registerJobHandler } from '../../platform/chronograph/jobs';
import { registerOutboxProcessor } from '../../platform/outbox/processors';
import { RESPOND_JOB } from './commands/draw';
import { expire, publish } from './commands/respond';

// An expert's answer deadline passed without an answer → expired, and a replacement is drawn (ADR 0019).
registerJobHandler(RESPOND_JOB, async (job, trx, ctx) => {
  await expire(trx, job.subjectId, ctx.now);
});

// The award (中标结果) is made → the committee's names are published and the lot's draws revealed (法 第三十七条).
registerOutboxProcessor({
  name: 'expertdraw.publish',
  types: ['award.awarded'],
  async handle(events, trx, ctx) {
    const now = ctx.clock.now();
    for (const e of events) {
      const lotId = e.payload.lotId;
      if (typeof lotId === 'string') await publish(trx, lotId, now);
    }
  },
});

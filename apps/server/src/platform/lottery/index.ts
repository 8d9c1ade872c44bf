/**
 * The verifiable lottery service (ARCHITECTURE §5, docs/adr/0015-verifiable-lottery.md). Modules import from here:
 * commit before the inputs exist, execute once, reveal when the secrecy period ends, publish the record.
 * The algorithm itself (yiwang-draw/1) lives in @yiwang/contracts/lottery, shared with the SDK and the browser.
 */
export { commitDraw, executeDraw, revealDraw, lotteryErrors, nodeSha256, REVEAL_JOB, type CommitDrawInput, type ExecuteDrawInput, type DrawResult } from './service';
export { getDrawRecord, drawsOfSubject, drawRequester, type DrawSummary, type DrawPlatformInfo, type PublicDrawRecord } from './records';

import { AppError } from '../../platform/http/errors';

/** Stable, bilingual errors of the auction module. A rejected bid changes nothing (its transaction rolls back). */
export const AuctionErrors = {
  notFound: () => new AppError('AUCTION_NOT_FOUND', 404, '竞价项目不存在', 'Auction not found'),
  notOrganiser: () => new AppError('AUCTION_NOT_ORGANISER', 403, '只有组织方（交易中心或代理机构）可以操作', 'Only the organiser (center staff or agency) may do this'),
  notStarted: (startsAt: Date) =>
    new AppError('AUCTION_NOT_STARTED', 409, `竞价尚未开始（开始时间 ${startsAt.toISOString()}）`, `Bidding has not started (it starts at ${startsAt.toISOString()})`, undefined, { startsAt: startsAt.toISOString() }),
  closed: (endsAt: Date) =>
    new AppError('AUCTION_CLOSED', 409, `竞价已结束（按服务器时间，截止 ${endsAt.toISOString()}）`, `Bidding is closed (server time; it ended at ${endsAt.toISOString()})`, undefined, { endsAt: endsAt.toISOString() }),
  belowMinimum: (minimumFen: number) =>
    new AppError('AUCTION_BID_BELOW_MINIMUM', 422, `出价低于最低应价 ${minimumFen} 分`, `The bid is below the minimum of ${minimumFen} fen`, 'amountFen', { minimumFen }),
  offIncrement: (incrementFen: number) =>
    new AppError('AUCTION_BID_NOT_MULTIPLE', 422, `加价须为增价幅度 ${incrementFen} 分的整数倍`, `The raise must be a whole multiple of the ${incrementFen}-fen increment`, 'amountFen', { incrementFen }),
  notRegistered: () => new AppError('AUCTION_NOT_REGISTERED', 403, '您未报名该竞价项目', 'You have not registered for this auction'),
  notApproved: () => new AppError('AUCTION_BIDDER_NOT_APPROVED', 403, '您的竞买申请尚未通过审核', 'Your bidder application has not been approved'),
  depositMissing: () =>
    new AppError('AUCTION_DEPOSIT_NOT_CONFIRMED', 403, '竞买保证金尚未经银行确认到账', 'Your deposit has not been confirmed by the bank', undefined),
  depositReleased: () =>
    new AppError('AUCTION_DEPOSIT_RELEASED', 403, '您的竞买保证金已开始退还，不能继续出价', 'Your deposit is being refunded; you can no longer bid'),
  numbersNotDrawn: (at: Date) =>
    new AppError('AUCTION_NUMBERS_NOT_DRAWN', 409, `竞买号牌于报名截止（${at.toISOString()}）时随机抽取`, `Bidding numbers are drawn at random when registration ends (${at.toISOString()})`, undefined, { drawAt: at.toISOString() }),
  noConfirmation: () => new AppError('AUCTION_NO_CONFIRMATION', 404, '该项目尚无成交确认书', 'This auction has no confirmation of sale'),
  notParty: () => new AppError('AUCTION_NOT_PARTY', 403, '只有组织方和买受人可以下载成交确认书', 'Only the organiser and the buyer may download the confirmation'),
  clientBidIdReused: () =>
    new AppError('AUCTION_CLIENT_BID_ID_REUSED', 409, '该出价编号已用于另一金额的出价', 'This client bid id was already used for a different amount', 'clientBidId'),
  clockSkew: (serverTime: Date, skewMs: number) =>
    new AppError(
      'AUCTION_CLIENT_CLOCK_SKEWED',
      400,
      `您的设备时间与服务器相差 ${Math.round(skewMs / 1000)} 秒，请以服务器时间为准后重试`,
      `Your device clock is ${Math.round(skewMs / 1000)} s off the server's; resync and retry`,
      'clientTime',
      { serverTime: serverTime.toISOString(), skewMs },
    ),
  registrationClosed: () => new AppError('AUCTION_REGISTRATION_CLOSED', 409, '报名已截止', 'Registration has closed', undefined),
  alreadyApplied: () => new AppError('AUCTION_ALREADY_APPLIED', 409, '您已报名该项目', 'You have already applied'),
  decided: () => new AppError('AUCTION_APPLICATION_DECIDED', 409, '该申请已审核', 'This application has already been decided'),
  organiserCannotBid: () =>
    new AppError('AUCTION_PARTY_CANNOT_BID', 403, '组织方不得参与竞买（拍卖法 第二十二条）', 'The organiser may not bid (拍卖法 art. 22)'),
  noPreemption: () => new AppError('AUCTION_NO_PREEMPTION_WINDOW', 409, '当前不在优先购买权行使期内', 'No pre-emption window is open'),
  notPreemptionHolder: () => new AppError('AUCTION_NOT_PREEMPTION_HOLDER', 403, '您不是优先购买权人', 'You do not hold the pre-emption right'),
  setup: (field: string, zh: string, en: string) => new AppError('AUCTION_SETUP_INVALID', 400, zh, en, field),
};

import type { CommitteeRules, Period, PeriodUnit, ProcedurePolicy, StageAnnouncements, TenderingProcedure } from './types';

/**
 * The statutory policy of each tendering procedure (DOMAIN §3). Values and articles:
 * - 招标投标法 (法), 招标投标法实施条例 (条例), 政府采购法 (采购法), 政府采购法实施条例 (采购条例): texts in
 *   ../shared/reference/laws, quoted in the comments below.
 * - 政府采购非招标采购方式管理办法 (财政部令第74号, "74号令"), 政府采购竞争性磋商采购方式管理暂行办法 (财库〔2014〕214号,
 *   "214号文"), 政府采购货物和服务招标投标管理办法 (财政部令第87号, "87号令"): not in the reference folder; articles cited
 *   from the published texts, not checked against a copy here (see the tendering ADR, "what to re-check").
 * A locality may configure stricter values (engine.ts applyOverrides); looser ones are refused.
 */

const p = (n: number, unit: PeriodUnit, basis: string): Period => ({ n, unit, basis });
const D = 'day' as const;
const WD = 'working_day' as const;

const DECRYPTION = {
  value: 30,
  basis: '平台默认 30 分钟（电子招标投标办法第三十一条：因投标人原因未能解密的视为撤销投标文件；解密时限由招标文件载明）',
};

// ---- 工程建设项目 (招标投标法 + 条例) -------------------------------------------------------------------------------
const WORKS_PERIODS: ProcedurePolicy['periods'] = {
  // 法 第二十四条：自招标文件开始发出之日起至投标人提交投标文件截止之日止，最短不得少于二十日。
  minBidPeriod: p(20, D, '招标投标法 第二十四条'),
  // 条例 第十六条：资格预审文件或者招标文件的发售期不得少于5日。
  documentsOnSale: p(5, D, '招标投标法实施条例 第十六条'),
  // 条例 第二十一条：澄清或者修改…应当在投标截止时间至少15日前…通知；不足15日的，应当顺延提交投标文件的截止时间。
  clarificationLead: p(15, D, '招标投标法实施条例 第二十一条'),
  decryptionWindowMinutes: DECRYPTION,
  // 条例 第五十四条：自收到评标报告之日起3日内公示中标候选人，公示期不得少于3日；异议…自收到异议之日起3日内作出答复。
  publicityMin: p(3, D, '招标投标法实施条例 第五十四条'),
  publicityWithinOfReport: p(3, D, '招标投标法实施条例 第五十四条'),
  publicityObjectionAnswer: p(3, D, '招标投标法实施条例 第五十四条'),
  awardWithinOfReport: null,
  awardNoticeWithin: null,
  // 法 第四十六条：自中标通知书发出之日起三十日内…订立书面合同。
  contractWithinOfNotice: p(30, D, '招标投标法 第四十六条'),
  contractPublicationWithin: null,
  // 条例 第五十七条：最迟应当在书面合同签订后5日内向中标人和未中标的投标人退还投标保证金。
  refundLosers: p(5, D, '招标投标法实施条例 第五十七条'),
  refundWinner: p(5, D, '招标投标法实施条例 第五十七条'),
};

const WORKS_OBJECTIONS: ProcedurePolicy['objections'] = {
  // 条例 第二十二条：对招标文件有异议的，应当在投标截止时间10日前提出。招标人应当自收到异议之日起3日内作出答复；
  // 作出答复前，应当暂停招标投标活动。
  leadBeforeDeadline: p(10, D, '招标投标法实施条例 第二十二条'),
  windowFromObtaining: null,
  answerWithin: p(3, D, '招标投标法实施条例 第二十二条'),
  pausesProcess: { value: true, basis: '招标投标法实施条例 第二十二条' },
};

// 法 第三十七条：评标委员会由招标人的代表和有关技术、经济等方面的专家组成，成员人数为五人以上单数，其中技术、经济等方面的
// 专家不得少于成员总数的三分之二。
const WORKS_COMMITTEE: CommitteeRules = { minSize: 5, odd: true, expertShare: { num: 2, den: 3 }, basis: '招标投标法 第三十七条' };

// 条例 第二十六条：投标保证金不得超过招标项目估算价的2%（现金或者支票形式提交的应当从其基本账户转出：现金不被禁止）。
const WORKS_DEPOSIT = { capPercent: 2, base: 'estimate' as const, cashAllowed: true, basis: '招标投标法实施条例 第二十六条' };

// 条例 第四十四条：投标人少于3个的，不得开标；招标人应当重新招标。
const WORKS_MIN_BIDDERS = { value: 3, basis: '招标投标法实施条例 第四十四条；招标投标法 第二十八条' };

const TENDER_NOTICES: StageAnnouncements = {
  publish: 'tender_notice',
  change: 'change_notice',
  opening: 'opening_record',
  publicity: 'candidate_publicity',
  award: 'award_notice',
  contract: 'contract_notice',
  failure: 'failure_notice',
  termination: 'termination_notice',
};
// 邀请招标 sends 投标邀请书 to the invited (法 第十七条), not a public notice; later stages are public as usual.
const INVITED_NOTICES: StageAnnouncements = { ...TENDER_NOTICES, publish: null, change: null };
const NO_ROUNDS = {
  value: false,
  basis: '招标投标法 第四十三条：在确定中标人前，招标人不得与投标人就投标价格、投标方案等实质性内容进行谈判',
};

// ---- 政府采购 (采购法 + 采购条例) -----------------------------------------------------------------------------------
const GP_TAIL = {
  decryptionWindowMinutes: DECRYPTION,
  publicityMin: null,
  publicityWithinOfReport: null,
  publicityObjectionAnswer: null,
  // 采购条例 第四十三条：采购人应当自收到评审报告之日起5个工作日内…确定中标或者成交供应商；自确定之日起2个工作日内发出
  // 中标、成交通知书，并…公告中标、成交结果。
  awardWithinOfReport: p(5, WD, '政府采购法实施条例 第四十三条'),
  awardNoticeWithin: p(2, WD, '政府采购法实施条例 第四十三条'),
  // 采购法 第四十六条：自中标、成交通知书发出之日起三十日内…签订政府采购合同。
  contractWithinOfNotice: p(30, D, '政府采购法 第四十六条'),
  // 采购条例 第五十条：自政府采购合同签订之日起2个工作日内…公告。
  contractPublicationWithin: p(2, WD, '政府采购法实施条例 第五十条'),
  // 采购条例 第三十三条：自中标通知书发出之日起5个工作日内退还未中标供应商的投标保证金，自政府采购合同签订之日起5个工作日内
  // 退还中标供应商的投标保证金。
  refundLosers: p(5, WD, '政府采购法实施条例 第三十三条'),
  refundWinner: p(5, WD, '政府采购法实施条例 第三十三条'),
};

const GP_OBJECTIONS: ProcedurePolicy['objections'] = {
  leadBeforeDeadline: null,
  // 采购法 第五十二条：知道或者应知其权益受到损害之日起七个工作日内…提出质疑；采购条例 第五十三条（一）：对采购文件提出质疑的，
  // 为收到采购文件之日。
  windowFromObtaining: p(7, WD, '政府采购法 第五十二条；政府采购法实施条例 第五十三条'),
  // 采购法 第五十三条：收到供应商的书面质疑后七个工作日内作出答复。
  answerWithin: p(7, WD, '政府采购法 第五十三条'),
  pausesProcess: {
    value: true,
    basis:
      '平台规则：答复前不开标，答复可能修改采购文件（政府采购法实施条例 第三十一条 澄清期）；法定的暂停见 政府采购法实施条例 第五十四条（暂停签订合同）',
  },
};

// 采购条例 第三十三条：投标保证金不得超过采购项目预算金额的2%…以支票、汇票、本票或者金融机构、担保机构出具的保函等非现金形式提交。
const GP_DEPOSIT = { capPercent: 2, base: 'budget' as const, cashAllowed: false, basis: '政府采购法实施条例 第三十三条' };
// 采购条例 第三十三条第三款：竞争性谈判或者询价采购中要求…提交保证金的，参照前两款的规定执行（≤ 预算 2%，非现金）。
const NON_TENDER_DEPOSIT = {
  capPercent: 2,
  base: 'budget' as const,
  cashAllowed: false,
  basis: '政府采购法实施条例 第三十三条第三款；财政部令第74号 第十四条',
};

// 87号令 第四十七条：评标委员会由采购人代表和评审专家组成，成员人数应当为5人以上单数，其中评审专家不得少于成员总数的三分之二。
const GP_COMMITTEE: CommitteeRules = {
  minSize: 5,
  odd: true,
  expertShare: { num: 2, den: 3 },
  basis: '政府采购货物和服务招标投标管理办法（财政部令第87号）第四十七条',
};
// 采购法 第三十八条（一）、第四十条（一）：小组由采购人的代表和有关专家共三人以上的单数组成，其中专家的人数不得少于成员总数的三分之二。
const PANEL = (basis: string): CommitteeRules => ({ minSize: 3, odd: true, expertShare: { num: 2, den: 3 }, basis });

const GP_TENDER_PERIODS: ProcedurePolicy['periods'] = {
  // 采购法 第三十五条：自招标文件开始发出之日起至投标人提交投标文件截止之日止，不得少于二十日。
  minBidPeriod: p(20, D, '政府采购法 第三十五条'),
  // 采购条例 第三十一条：招标文件的提供期限自招标文件开始发出之日起不得少于5个工作日。
  documentsOnSale: p(5, WD, '政府采购法实施条例 第三十一条'),
  // 采购条例 第三十一条：应当在投标截止时间至少15日前…通知；不足15日的…应当顺延提交投标文件的截止时间。
  clarificationLead: p(15, D, '政府采购法实施条例 第三十一条'),
  ...GP_TAIL,
};

const GP_MIN_BIDDERS = { value: 3, basis: '政府采购法 第三十六条（供应商不足三家的应予废标）' };
const GP_NOTICES: StageAnnouncements = { ...TENDER_NOTICES, publicity: null };

export const POLICIES: Record<TenderingProcedure, ProcedurePolicy> = {
  works_open_tender: {
    code: 'works_open_tender',
    nameZh: '工程 公开招标',
    nameEn: 'Works — open tender',
    regime: 'works',
    invitational: false,
    minInvited: null,
    periods: WORKS_PERIODS,
    objections: WORKS_OBJECTIONS,
    minBidders: WORKS_MIN_BIDDERS,
    committee: WORKS_COMMITTEE,
    deposit: WORKS_DEPOSIT,
    announcements: TENDER_NOTICES,
    negotiationRounds: NO_ROUNDS,
  },
  works_invited_tender: {
    code: 'works_invited_tender',
    nameZh: '工程 邀请招标',
    nameEn: 'Works — invited tender',
    regime: 'works',
    invitational: true,
    // 法 第十七条：应当向三个以上具备承担招标项目的能力、资信良好的特定的法人或者其他组织发出投标邀请书。
    minInvited: { value: 3, basis: '招标投标法 第十七条' },
    periods: WORKS_PERIODS,
    objections: WORKS_OBJECTIONS,
    minBidders: WORKS_MIN_BIDDERS,
    committee: WORKS_COMMITTEE,
    deposit: WORKS_DEPOSIT,
    announcements: INVITED_NOTICES,
    negotiationRounds: NO_ROUNDS,
  },
  gp_open_tender: {
    code: 'gp_open_tender',
    nameZh: '政府采购 公开招标',
    nameEn: 'Government procurement — open tender',
    regime: 'government_procurement',
    invitational: false,
    minInvited: null,
    periods: GP_TENDER_PERIODS,
    objections: GP_OBJECTIONS,
    minBidders: GP_MIN_BIDDERS,
    committee: GP_COMMITTEE,
    deposit: GP_DEPOSIT,
    announcements: GP_NOTICES,
    negotiationRounds: { value: false, basis: '招标方式一次报价；谈判程序只属于竞争性谈判（政府采购法 第三十八条）、磋商（214号文）' },
  },
  gp_invited_tender: {
    code: 'gp_invited_tender',
    nameZh: '政府采购 邀请招标',
    nameEn: 'Government procurement — invited tender',
    regime: 'government_procurement',
    invitational: true,
    // 采购法 第三十四条：应当从符合相应资格条件的供应商中，通过随机方式选择三家以上的供应商，并向其发出投标邀请书。
    minInvited: { value: 3, basis: '政府采购法 第三十四条' },
    periods: GP_TENDER_PERIODS,
    objections: GP_OBJECTIONS,
    minBidders: GP_MIN_BIDDERS,
    committee: GP_COMMITTEE,
    deposit: GP_DEPOSIT,
    announcements: { ...GP_NOTICES, publish: null, change: null },
    negotiationRounds: { value: false, basis: '招标方式一次报价；谈判程序只属于竞争性谈判（政府采购法 第三十八条）' },
  },
  competitive_negotiation: {
    code: 'competitive_negotiation',
    nameZh: '竞争性谈判',
    nameEn: 'Competitive negotiation',
    regime: 'government_procurement',
    invitational: false,
    minInvited: null,
    periods: {
      // 74号令 第二十九条：从谈判文件发出之日起至供应商提交首次响应文件截止之日止不得少于3个工作日；澄清或者修改…应当在提交
      // 首次响应文件截止之日3个工作日前…通知；不足3个工作日的，应当顺延。
      minBidPeriod: p(3, WD, '政府采购非招标采购方式管理办法（财政部令第74号）第二十九条'),
      documentsOnSale: null,
      clarificationLead: p(3, WD, '政府采购非招标采购方式管理办法（财政部令第74号）第二十九条'),
      ...GP_TAIL,
    },
    objections: GP_OBJECTIONS,
    // 采购法 第三十八条（三）：确定不少于三家的供应商参加谈判。
    minBidders: { value: 3, basis: '政府采购法 第三十八条' },
    committee: PANEL('政府采购法 第三十八条；财政部令第74号 第七条（达到公开招标数额标准的 5 人以上单数）'),
    deposit: NON_TENDER_DEPOSIT,
    announcements: GP_NOTICES,
    // 采购法 第三十八条（四）（五）：谈判小组所有成员集中与单一供应商分别进行谈判…最后报价。
    negotiationRounds: { value: true, basis: '政府采购法 第三十八条' },
  },
  competitive_consultation: {
    code: 'competitive_consultation',
    nameZh: '竞争性磋商',
    nameEn: 'Competitive consultation',
    regime: 'government_procurement',
    invitational: false,
    minInvited: null,
    periods: {
      // 214号文 第十条：从磋商文件发出之日起至供应商提交首次响应文件截止之日止不得少于10日；磋商文件的发售期限自开始之日起
      // 不得少于5个工作日；澄清或者修改…应当在提交首次响应文件截止时间至少5日前…通知；不足5日的，应当顺延。
      minBidPeriod: p(10, D, '政府采购竞争性磋商采购方式管理暂行办法（财库〔2014〕214号）第十条'),
      documentsOnSale: p(5, WD, '政府采购竞争性磋商采购方式管理暂行办法（财库〔2014〕214号）第十条'),
      clarificationLead: p(5, D, '政府采购竞争性磋商采购方式管理暂行办法（财库〔2014〕214号）第十条'),
      ...GP_TAIL,
    },
    objections: GP_OBJECTIONS,
    minBidders: { value: 3, basis: '政府采购竞争性磋商采购方式管理暂行办法（财库〔2014〕214号）第六条' },
    committee: PANEL('政府采购竞争性磋商采购方式管理暂行办法（财库〔2014〕214号）第十四条'),
    deposit: { ...NON_TENDER_DEPOSIT, basis: '政府采购竞争性磋商采购方式管理暂行办法（财库〔2014〕214号）第十二条' },
    announcements: GP_NOTICES,
    negotiationRounds: { value: true, basis: '政府采购竞争性磋商采购方式管理暂行办法（财库〔2014〕214号）第二十一条（磋商、最后报价）' },
  },
  inquiry: {
    code: 'inquiry',
    nameZh: '询价',
    nameEn: 'Request for quotation',
    regime: 'government_procurement',
    invitational: false,
    minInvited: null,
    periods: {
      // 74号令 第四十五条：从询价通知书发出之日起至供应商提交响应文件截止之日止不得少于3个工作日；第四十六条：澄清或者修改
      // 应当在提交响应文件截止之日3个工作日前…通知；不足3个工作日的，应当顺延。
      minBidPeriod: p(3, WD, '政府采购非招标采购方式管理办法（财政部令第74号）第四十五条'),
      documentsOnSale: null,
      clarificationLead: p(3, WD, '政府采购非招标采购方式管理办法（财政部令第74号）第四十六条'),
      ...GP_TAIL,
    },
    objections: GP_OBJECTIONS,
    // 采购法 第四十条（二）：确定不少于三家的供应商，并向其发出询价通知书让其报价。
    minBidders: { value: 3, basis: '政府采购法 第四十条' },
    committee: PANEL('政府采购法 第四十条；财政部令第74号 第七条'),
    deposit: NON_TENDER_DEPOSIT,
    announcements: GP_NOTICES,
    // 采购法 第四十条（三）：一次报出不得更改的价格。
    negotiationRounds: { value: false, basis: '政府采购法 第四十条' },
  },
  single_source: {
    code: 'single_source',
    nameZh: '单一来源',
    nameEn: 'Single source',
    regime: 'government_procurement',
    invitational: true,
    minInvited: { value: 1, basis: '政府采购法 第三十一条（只能从唯一供应商处采购）' },
    periods: {
      // 采购条例 第三十八条：将采购项目信息和唯一供应商名称…公示，公示期不得少于5个工作日。The response deadline is not before
      // the publicity ends.
      minBidPeriod: p(5, WD, '政府采购法实施条例 第三十八条'),
      documentsOnSale: null,
      clarificationLead: null,
      ...GP_TAIL,
    },
    objections: GP_OBJECTIONS,
    minBidders: { value: 1, basis: '政府采购法 第三十一条' },
    // 采购法 第三十九条 / 74号令 第四十二条: prices are agreed by the purchaser's staff with the supplier; no expert committee.
    committee: null,
    deposit: NON_TENDER_DEPOSIT,
    announcements: { ...GP_NOTICES, publish: 'single_source_publicity', change: 'change_notice' },
    negotiationRounds: { value: true, basis: '政府采购法 第三十九条（双方商定合理价格）' },
  },
};

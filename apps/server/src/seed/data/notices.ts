/**
 * Text of the demo announcements: project names by catalog category, and bodies in the usual shape of 厦门 notices
 * (项目概况、资格要求、文件获取、联系方式, with tables for lots, candidates and results). Pure functions of a PRNG.
 */
import type { AnnouncementType } from '@yiwang/contracts';
import type { Rng } from '../prng';

export type Family = 'works' | 'gp' | 'rights';

export interface ProjectStem {
  category: string;
  family: Family;
  /** Name without the district prefix; {n} becomes a batch number. */
  names: string[];
  /** Estimate range in 万元. */
  wan: [number, number];
  /** Who publishes: tenderer usernames (an agency may publish on their behalf for works and gp). */
  owners: string[];
}

export const STEMS: ProjectStem[] = [
  { category: 'works.housing', family: 'works', wan: [600, 9000], owners: ['tenderer1', 'tenderer2', 'tenderer3', 'tenderer4', 'tenderer5', 'tenderer6', 'tenderer7'],
    names: ['第二实验小学教学楼改扩建工程', '社区卫生服务中心新建工程', '保障性租赁住房项目（一期）', '老旧小区改造工程（第{n}批）', '中学体育馆及风雨操场工程', '街道综合服务中心装修工程', '幼儿园新建工程', '人才公寓项目（二期）'] },
  { category: 'works.municipal', family: 'works', wan: [450, 12000], owners: ['tenderer1', 'tenderer2', 'tenderer3', 'tenderer11', 'tenderer4'],
    names: ['主干道市政道路提升改造工程', '雨污分流改造工程（第{n}标段）', '人行天桥新建工程', '城市绿道及景观提升工程', '片区市政配套管网工程', '公园改造提升工程'] },
  { category: 'works.transport', family: 'works', wan: [800, 20000], owners: ['tenderer14', 'tenderer11', 'tenderer6'],
    names: ['快速公交站点改造工程', '公路大中修工程（{n}标）', '隧道机电设施更新改造工程', '公交首末站建设工程', '跨海通道附属设施维修工程'] },
  { category: 'works.water', family: 'works', wan: [500, 15000], owners: ['tenderer12', 'tenderer5', 'tenderer6'],
    names: ['溪流域综合治理工程', '水库除险加固工程', '供水管网改造工程（第{n}期）', '再生水厂提标改造工程', '海堤加固工程'] },
  { category: 'works.energy', family: 'works', wan: [300, 3000], owners: ['tenderer11', 'tenderer10'],
    names: ['公共停车场充电设施建设工程', '屋顶分布式光伏发电项目', '配电房增容改造工程'] },
  { category: 'gp.goods', family: 'gp', wan: [80, 2600], owners: ['tenderer7', 'tenderer8', 'tenderer10', 'tenderer1'],
    names: ['医用设备采购项目', '中小学教学设备采购项目', '智慧教室设备采购项目', '办公家具采购项目', '信息化设备采购项目', '救护车采购项目', '图书馆图书采购项目'] },
  { category: 'gp.services', family: 'gp', wan: [60, 1500], owners: ['tenderer8', 'tenderer10', 'tenderer7', 'tenderer2', 'tenderer3'],
    names: ['物业管理服务采购项目', '保洁及垃圾清运服务采购项目', '食堂餐饮服务采购项目', '安保服务采购项目', '政府投资项目审计服务采购项目', '信息系统运维服务采购项目', '公共场所消毒服务采购项目'] },
  { category: 'gp.works', family: 'gp', wan: [130, 900], owners: ['tenderer10', 'tenderer7'],
    names: ['办公楼修缮工程采购项目', '学校校舍维修工程采购项目'] },
  { category: 'medical', family: 'gp', wan: [200, 3000], owners: ['tenderer8'], names: ['医用耗材集中采购项目', '检验试剂带量采购项目'] },
  { category: 'land', family: 'rights', wan: [8000, 120000], owners: ['tenderer9'], names: ['2026P{n}号地块国有建设用地使用权', '2026TP{n}号地块国有建设用地使用权'] },
  { category: 'official_vehicles', family: 'rights', wan: [5, 60], owners: ['tenderer10'], names: ['市直机关第{n}批公务用车', '罚没车辆（第{n}批）'] },
  { category: 'state_property', family: 'rights', wan: [300, 30000], owners: ['tenderer13'], names: ['所持有公司{n}%股权', '临街商铺租赁权（第{n}批）'] },
  { category: 'assets_resources', family: 'rights', wan: [20, 500], owners: ['tenderer13', 'tenderer10'], names: ['公共停车位经营权', '公园配套商业用房经营权'] },
  { category: 'outdoor_ads', family: 'rights', wan: [50, 800], owners: ['tenderer13'], names: ['公交候车亭广告经营权', '地铁站点户外广告经营权'] },
];

/** Bidders who appear in candidate and result tables, by family. */
export const WINNERS: Record<Family, string[]> = {
  works: ['厦门鹭江建设集团有限公司', '厦门海沧湾建筑工程有限公司', '福建闽南路桥工程有限公司', '厦门同安建工有限公司', '厦门翔安水利水电工程有限公司', '厦门海丝市政园林有限公司', '厦门翔实钢结构工程有限公司', '厦门海天电力安装有限公司'],
  gp: ['厦门思源医疗器械有限公司', '厦门湖光信息技术有限公司', '厦门集贤教学设备有限公司', '厦门白鹭物业服务有限公司', '厦门银城环境卫生服务有限公司', '福建八闽智慧交通科技有限公司', '厦门五缘湾装饰工程有限公司'],
  rights: ['厦门鹭府置业有限公司', '厦门湖滨商业管理有限公司', '厦门集美新城投资有限公司', '厦门海峡二手车经纪有限公司'],
};

export const wanText = (fen: number) => (fen / 1_000_000).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** Beijing date as 2026年11月25日. */
export function cnDate(d: Date): string {
  const b = new Date(d.getTime() + 8 * 3600_000);
  return `${b.getUTCFullYear()}年${b.getUTCMonth() + 1}月${b.getUTCDate()}日`;
}

export function cnDateTime(d: Date): string {
  const b = new Date(d.getTime() + 8 * 3600_000);
  return `${cnDate(d)} ${String(b.getUTCHours()).padStart(2, '0')}:${String(b.getUTCMinutes()).padStart(2, '0')}`;
}

export interface NoticeContext {
  project: string;
  code: string;
  family: Family;
  category: string;
  district: string;
  owner: string;
  agency: string | null;
  estimateFen: number;
  lots: { name: string; estimateFen: number }[];
  /** The tender notice's date: deadlines are counted from it. */
  start: Date;
  at: Date;
  winners: string[];
  contact: string;
  phone: string;
}

export const TITLE_SUFFIX: Partial<Record<AnnouncementType, (c: NoticeContext) => string>> = {
  procurement_intention: () => '采购意向公开',
  tender_notice: (c) => (c.family === 'works' ? '施工招标公告' : '公开招标公告'),
  change_notice: () => '变更公告',
  opening_record: () => '开标记录',
  candidate_publicity: () => '中标候选人公示',
  award_notice: (c) => (c.family === 'works' ? '中标结果公告' : '中标（成交）结果公告'),
  contract_notice: () => '合同公告',
  failure_notice: () => '流标公告',
  transfer_notice: (c) => (c.category === 'land' ? '挂牌出让公告' : c.category === 'official_vehicles' ? '拍卖公告' : '转让（出租）公告'),
  deal_publicity: () => '成交公示',
};

const plus = (d: Date, days: number) => new Date(d.getTime() + days * 86_400_000);

function lotTable(c: NoticeContext): string {
  const rows = c.lots.map((l, i) => `<tr><td>${i + 1}</td><td>${l.name}</td><td>${wanText(l.estimateFen)}</td></tr>`).join('');
  return `<table><thead><tr><th>序号</th><th>标段（包）名称</th><th>估算金额（万元）</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function contactBlock(c: NoticeContext): string {
  const agency = c.agency ? `<p>招标代理机构：${c.agency}</p>` : '';
  return `<h3>联系方式</h3><p>${c.family === 'rights' ? '出让（转让）方' : '招标人（采购人）'}：${c.owner}</p>${agency}<p>联系人：${c.contact}，电话：${c.phone}</p><p>交易场所：厦门市公共资源交易中心</p>`;
}

function qualification(c: NoticeContext, rand: Rng): string {
  if (c.family === 'works') {
    const grade = c.estimateFen > 5e9 ? '一级' : '二级';
    const kind = c.category === 'works.municipal' ? '市政公用工程' : c.category === 'works.water' ? '水利水电工程' : c.category === 'works.transport' ? '公路工程' : '建筑工程';
    return `<ul><li>具备${kind}施工总承包${grade}及以上资质，并具有有效的安全生产许可证；</li><li>拟派项目经理具备${kind.slice(0, 2)}专业${rand.chance(0.5) ? '一' : '二'}级注册建造师资格，且未担任其他在建工程项目的项目经理；</li><li>近三年内无重大质量、安全事故；</li><li>未被列入失信被执行人名单、重大税收违法失信主体名单；</li><li>本项目不接受联合体投标。</li></ul>`;
  }
  if (c.family === 'gp') {
    return `<ul><li>满足《中华人民共和国政府采购法》第二十二条规定；</li><li>落实政府采购政策需满足的资格要求：本项目${rand.chance(0.5) ? '专门面向中小企业采购' : '非专门面向中小企业采购，对小微企业报价给予 10% 的扣除'}；</li><li>未被列入“信用中国”失信被执行人、重大税收违法失信主体及中国政府采购网政府采购严重违法失信行为记录名单。</li></ul>`;
  }
  return `<ul><li>中华人民共和国境内的法人、其他组织或自然人（法律法规另有规定的除外）均可申请参加竞买；</li><li>申请人应在报名截止前足额交纳竞买保证金；</li><li>本次交易不接受联合竞买。</li></ul>`;
}

/** The body HTML of one announcement. */
export function noticeBody(type: AnnouncementType, c: NoticeContext, rand: Rng, original?: { title: string }): string {
  const deadline = plus(c.start, c.family === 'gp' ? 20 : 21);
  switch (type) {
    case 'procurement_intention':
      return `<p>为便于供应商及时了解政府采购信息，根据《财政部关于开展政府采购意向公开工作的通知》（财库〔2020〕10号）等有关规定，现将${c.owner}${c.project}采购意向公开如下：</p><table><thead><tr><th>采购项目名称</th><th>采购需求概况</th><th>预算金额（万元）</th><th>预计采购时间</th></tr></thead><tbody><tr><td>${c.project}</td><td>详见采购需求，满足采购人使用要求</td><td>${wanText(c.estimateFen)}</td><td>${cnDate(plus(c.at, 30)).slice(0, -3)}</td></tr></tbody></table><p>本次公开的采购意向是本单位政府采购工作的初步安排，具体采购项目情况以相关采购公告和采购文件为准。</p>`;
    case 'tender_notice':
      return `<h3>一、项目概况</h3><p>${c.project}（项目编号：${c.code}）已具备招标条件，资金来源为${rand.pick(['财政资金', '自筹资金', '专项债券资金', '财政资金及自筹资金'])}，已落实。现对该项目进行公开招标，欢迎符合条件的潜在投标人参加投标。</p><p>项目地点：厦门市${c.district}。招标估算价：${wanText(c.estimateFen)} 万元。</p>${lotTable(c)}<h3>二、投标人资格要求</h3>${qualification(c, rand)}<h3>三、招标文件的获取</h3><p>凡有意参加投标者，请于 <strong>${cnDate(plus(c.start, 1))}至${cnDate(plus(c.start, 6))}</strong> 登录一网交易平台，使用数字证书下载电子招标文件，招标文件不收取费用。</p><h3>四、投标文件的递交</h3><p>投标文件递交截止时间（投标截止时间，下同）为 <strong>${cnDateTime(new Date(deadline.getTime() - deadline.getTime() % 86_400_000 + 1.5 * 3600_000))}</strong>，投标人应在截止时间前通过一网交易平台递交电子投标文件。逾期送达的投标文件，平台将予以拒收。</p><h3>五、发布公告的媒介</h3><p>本次招标公告同时在中国招标投标公共服务平台、福建省公共资源交易电子公共服务平台和一网交易门户发布。</p>${contactBlock(c)}`;
    case 'change_notice':
      return `<p>原公告名称：${original?.title ?? c.project}</p><h3>一、变更事项</h3><p>因${rand.pick(['招标文件技术条款调整', '工程量清单修正', '采购需求补充', '答疑澄清'])}，现对原公告作如下变更：</p><table><thead><tr><th>变更内容</th><th>原内容</th><th>变更后内容</th></tr></thead><tbody><tr><td>投标截止时间</td><td>${cnDate(deadline)} 09:30</td><td>${cnDate(plus(deadline, 7))} 09:30</td></tr><tr><td>开标时间</td><td>${cnDate(deadline)} 09:30</td><td>${cnDate(plus(deadline, 7))} 09:30</td></tr></tbody></table><h3>二、其他说明</h3><p>除上述变更内容外，原公告其他内容不变。潜在投标人应登录一网交易平台下载最新的澄清（修改）文件，因未及时下载造成的后果由投标人自行承担。</p>${contactBlock(c)}`;
    case 'opening_record': {
      const rows = c.winners.map((w, i) => `<tr><td>${i + 1}</td><td>${w}</td><td>${wanText(Math.round(c.estimateFen * (0.86 + i * 0.027)))}</td><td>${rand.int(180, 540)}</td></tr>`).join('');
      return `<p>${c.project}于 ${cnDateTime(c.at)} 在厦门市公共资源交易中心远程开标，共有 ${c.winners.length} 家投标人递交投标文件，开标记录如下：</p><table><thead><tr><th>序号</th><th>投标人名称</th><th>投标报价（万元）</th><th>工期（日历天）</th></tr></thead><tbody>${rows}</tbody></table><p>开标过程由交易中心见证，记录已存入平台交易存证账本。</p>`;
    }
    case 'candidate_publicity': {
      const rows = c.winners.slice(0, 3).map((w, i) => `<tr><td>第${'一二三'[i]}中标候选人</td><td>${w}</td><td>${wanText(Math.round(c.estimateFen * (0.88 + i * 0.021)))}</td><td>${(92.5 - i * 2.37).toFixed(2)}</td></tr>`).join('');
      return `<p>${c.project}（项目编号：${c.code}）评标工作已经结束，根据《中华人民共和国招标投标法实施条例》第五十四条规定，现将中标候选人公示如下：</p><table><thead><tr><th>排序</th><th>投标人名称</th><th>投标报价（万元）</th><th>综合得分</th></tr></thead><tbody>${rows}</tbody></table><p>公示期：${cnDate(c.at)}至${cnDate(plus(c.at, 3))}（不少于 3 日）。投标人或者其他利害关系人对评标结果有异议的，应当在公示期间向招标人提出。</p>${contactBlock(c)}`;
    }
    case 'award_notice':
      return `<p>${c.project}（项目编号：${c.code}）已完成评标及公示，现将中标结果公告如下：</p><table><thead><tr><th>中标人</th><th>中标金额（万元）</th><th>项目负责人</th></tr></thead><tbody><tr><td>${c.winners[0]}</td><td>${wanText(Math.round(c.estimateFen * 0.88))}</td><td>${rand.pick(['陈', '林', '黄', '吴', '郑'])}${rand.pick(['国强', '志伟', '丽萍', '建平', '海燕'])}</td></tr></tbody></table><p>招标人将在中标通知书发出之日起 30 日内与中标人订立书面合同。</p>${contactBlock(c)}`;
    case 'contract_notice':
      return `<p>${c.owner}与${c.winners[0]}已就${c.project}签订合同，合同金额 ${wanText(Math.round(c.estimateFen * 0.88))} 万元，履约期限 ${rand.int(6, 24)} 个月。</p>`;
    case 'failure_notice':
      return `<p>${c.project}（项目编号：${c.code}）于 ${cnDateTime(c.at)} 开标，因递交投标文件的投标人不足 3 家，根据《中华人民共和国招标投标法》第二十八条规定，本次招标失败。招标人将依法重新组织招标。</p>${contactBlock(c)}`;
    case 'transfer_notice':
      return `<h3>一、交易标的</h3><table><thead><tr><th>标的名称</th><th>所在区域</th><th>起始价（万元）</th><th>竞买保证金（万元）</th></tr></thead><tbody><tr><td>${c.project}</td><td>厦门市${c.district}</td><td>${wanText(c.estimateFen)}</td><td>${wanText(Math.round(c.estimateFen * 0.2))}</td></tr></tbody></table><h3>二、竞买人资格</h3>${qualification(c, rand)}<h3>三、交易方式及时间</h3><p>本次交易采用${c.category === 'land' ? '网上挂牌' : '网络竞价'}方式。报名时间：${cnDate(plus(c.start, 1))}至${cnDate(plus(c.start, 20))}；${c.category === 'land' ? '挂牌' : '竞价'}时间：${cnDate(plus(c.start, 21))} 09:00 起。</p>${contactBlock(c)}`;
    case 'deal_publicity':
      return `<p>${c.project}已于 ${cnDateTime(c.at)} 通过一网交易平台完成交易，经 ${rand.int(2, 9)} 轮报价，成交情况公示如下：</p><table><thead><tr><th>标的名称</th><th>竞得人（买受人）</th><th>成交价（万元）</th></tr></thead><tbody><tr><td>${c.project}</td><td>${c.winners[0]}</td><td>${wanText(Math.round(c.estimateFen * (1.05 + rand() * 0.4)))}</td></tr></tbody></table><p>公示期为 5 个工作日。对成交结果有异议的，请于公示期内向出让（转让）方书面提出。</p>${contactBlock(c)}`;
    default:
      return `<p>${c.project}相关事项公告。</p>`;
  }
}

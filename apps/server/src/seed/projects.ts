/**
 * Demo projects at every intake stage, driven through the intake module's commands (register, submit, return,
 * accept, green channel) with uploaded PDF materials, so statuses, due instants, the 一次告知 list and the ledger are
 * exactly what the workbench would have produced.
 */
import { Readable } from 'node:stream';
import type { AppContext } from '../platform/context';
import type { Actor } from '../platform/auth/actor';
import { saveUpload } from '../platform/files/index';
import { shanghaiDate } from '../platform/calendar/index';
import { registerProject, updateProject, type RegistrationInput } from '../modules/intake/commands/register';
import { accept, acceptGreen, returnProject, submit } from '../modules/intake/commands/transitions';
import { projectCode } from '../modules/intake/index';

const DAY = 86_400_000;
const wan = (n: number) => Math.round(n * 1_000_000);

/** A small valid PDF (one page of ASCII text): enough for the sniffed allow-list and for a download to open. */
export function demoPdf(lines: string[]): Buffer {
  const text = lines.map((l, i) => `BT /F1 12 Tf 56 ${780 - i * 18} Td (${l.replace(/[()\\]/g, '')}) Tj ET`).join('\n');
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${Buffer.byteLength(text)} >>\nstream\n${text}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(Buffer.byteLength(body));
    body += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = Buffer.byteLength(body);
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

const MATERIAL_FILE: Record<string, string> = {
  project_approval: '项目审批（核准、备案）文件.pdf',
  funding_proof: '资金来源证明.pdf',
  tender_plan: '招标方案.pdf',
  agency_contract: '委托代理合同.pdf',
  procurement_plan: '政府采购计划.pdf',
  procurement_requirements: '采购需求.pdf',
};

async function upload(ctx: AppContext, actor: Actor, at: Date, project: string, code: string, revision = 1): Promise<string> {
  const bytes = demoPdf([
    'Yiwang demo material (not a real document)',
    `project: ${project}`,
    `material: ${code}`,
    `revision: ${revision}`,
  ]);
  const r = await saveUpload({ db: ctx.db, files: ctx.files, now: () => at }, actor, {
    stream: Readable.from([bytes]),
    filename: MATERIAL_FILE[code] ?? `${code}.pdf`,
    maxBytes: 1 << 20,
  });
  return r.id;
}

interface Fixture {
  key: string;
  by: string;
  tenderer?: string;
  input: Omit<RegistrationInput, 'materials'>;
  materials: string[];
  /** Steps, days relative to now (negative = past). */
  steps: (
    | { at: number; do: 'submit' | 'accept' }
    | { at: number; do: 'resubmit'; replace: string[] }
    | { at: number; do: 'return'; items: { code: string; note: string }[] }
    | { at: number; do: 'green'; pending: { code: string; dueInDays: number }[] }
  )[];
  registeredAt: number;
}

const works = (
  name: string,
  regionCode: string,
  totalWan: number,
  lots: [string, number][],
  extra: Partial<RegistrationInput> = {},
): Omit<RegistrationInput, 'materials'> => ({
  name,
  catalogCode: 'works.housing',
  procedureType: 'works_open_tender',
  subject: 'works',
  regionCode,
  estimateFen: wan(totalWan),
  lots: lots.map(([n, w]) => ({ name: n, estimateFen: wan(w) })),
  ...extra,
});

const WORKS_ALL = ['project_approval', 'funding_proof', 'tender_plan'];

export const FIXTURES: Fixture[] = [
  // Accepted a month ago; its tender notice and a change notice are published (see announcements.ts SPECIAL).
  {
    key: 'school',
    by: 'tenderer1',
    registeredAt: -33,
    materials: WORKS_ALL,
    input: works('思明区第二实验小学教学楼改扩建工程', '350203', 2240.5, [
      ['第一标段（土建）', 1280],
      ['第二标段（安装）', 960.5],
    ]),
    steps: [
      { at: -32, do: 'submit' },
      { at: -31.8, do: 'accept' },
    ],
  },
  // Registered by an agency for the tenderer, returned once with a complete list, fixed, resubmitted, accepted.
  {
    key: 'sewer',
    by: 'agency1',
    tenderer: 'tenderer5',
    registeredAt: -24,
    materials: ['project_approval', 'funding_proof', 'tender_plan', 'agency_contract'],
    input: works('同安区西柯街道雨污分流改造工程', '350212', 1860, [['全部', 1860]], { catalogCode: 'works.municipal' }),
    steps: [
      { at: -23, do: 'submit' },
      {
        at: -22.8,
        do: 'return',
        items: [{ code: 'funding_proof', note: '资金来源证明为复印件且未加盖财政部门公章，请上传盖章原件扫描件' }],
      },
      { at: -21, do: 'resubmit', replace: ['funding_proof'] },
      { at: -20.9, do: 'accept' },
    ],
  },
  // Waiting at the window, within its 1 working day.
  {
    key: 'waiting',
    by: 'tenderer2',
    registeredAt: -1.2,
    materials: WORKS_ALL,
    input: works('湖里区金山小学综合楼新建工程', '350206', 5630, [['施工总承包', 5630]]),
    steps: [{ at: -0.15, do: 'submit' }],
  },
  // Waiting far beyond its due instant: shown as overdue.
  {
    key: 'overdue',
    by: 'tenderer3',
    registeredAt: -12,
    materials: WORKS_ALL,
    input: works(
      '集美区杏林湾路市政道路改造工程',
      '350211',
      3120,
      [
        ['道路工程', 2200],
        ['排水工程', 920],
      ],
      { catalogCode: 'works.municipal' },
    ),
    steps: [{ at: -10, do: 'submit' }],
  },
  // Returned with the one-time list (一次告知), waiting for the registrant to fix it.
  {
    key: 'returned',
    by: 'tenderer4',
    registeredAt: -5,
    materials: ['project_approval', 'funding_proof', 'tender_plan'],
    input: works('海沧区新阳街道社区卫生服务中心新建工程', '350205', 1450, [
      ['第一标段（土建）', 1150],
      ['第二标段（装修）', 300],
    ]),
    steps: [
      { at: -4, do: 'submit' },
      {
        at: -3.8,
        do: 'return',
        items: [
          { code: 'funding_proof', note: '资金来源证明未加盖财政部门公章，请补充盖章件' },
          { code: 'lots', note: '第二标段（装修）估算金额与概算批复（厦发改投〔2026〕112号）不符，请核对后调整标段划分' },
          { code: 'tender_plan', note: '招标方案未明确是否接受联合体投标，请补充' },
        ],
      },
    ],
  },
  // Green channel (容缺受理): accepted with a material pending, due in a week.
  {
    key: 'green',
    by: 'tenderer6',
    registeredAt: -2.5,
    materials: ['project_approval', 'tender_plan'],
    input: works('翔安区九溪流域防洪应急整治工程', '350213', 2980, [['全部', 2980]], {
      catalogCode: 'works.water',
      greenChannelReason: '汛期防洪应急工程，资金来源证明正在财政部门办理，申请容缺受理',
    }),
    steps: [
      { at: -2, do: 'submit' },
      { at: -1.7, do: 'green', pending: [{ code: 'funding_proof', dueInDays: 7 }] },
    ],
  },
  // Government procurement through the window, accepted.
  {
    key: 'hospital',
    by: 'tenderer8',
    registeredAt: -20,
    materials: ['procurement_plan', 'procurement_requirements'],
    input: {
      name: '湖里区人民医院医用设备采购项目',
      catalogCode: 'gp.goods',
      procedureType: 'gp_open_tender',
      subject: null,
      regionCode: '350206',
      estimateFen: wan(860),
      lots: [
        { name: '包1：医学影像设备', estimateFen: wan(620) },
        { name: '包2：监护设备', estimateFen: wan(240) },
      ],
    },
    steps: [
      { at: -19, do: 'submit' },
      { at: -18.9, do: 'accept' },
    ],
  },
  // A draft the tenderer is still filling in.
  {
    key: 'draft',
    by: 'tenderer1',
    registeredAt: -0.5,
    materials: ['project_approval'],
    input: works('思明区滨海街道社区养老服务中心改造工程', '350203', 780, [['全部', 780]]),
    steps: [],
  },
];

export interface DemoProject {
  key: string;
  id: string;
  code: string;
  name: string;
  regionCode: string;
  catalogCode: string;
  estimateFen: number;
  lots: { name: string; estimateFen: number }[];
  publisher: string;
  acceptedAt: Date | null;
}

/** An event of the timeline: the caller interleaves them with announcements and runs them in time order. */
export interface TimedStep {
  at: Date;
  run: () => Promise<void>;
}

/**
 * The projects' steps as timed events. `at(days)` maps a day offset to an office-hours instant. Materials missing
 * from the registration (the returned project's funding proof) are supplied on resubmission, as a registrant would.
 */
export function projectSteps(
  ctx: AppContext,
  actors: Map<string, Actor & { orgId: string | null }>,
  at: (days: number) => Date,
  out: DemoProject[],
): TimedStep[] {
  const intake = actors.get('intake1')!;
  const steps: TimedStep[] = [];
  for (const f of FIXTURES) {
    const by = actors.get(f.by)!;
    const state: { id?: string } = {};
    const registeredAt = at(f.registeredAt);
    steps.push({
      at: registeredAt,
      run: async () => {
        const materials = [];
        for (const code of f.materials) materials.push({ code, fileId: await upload(ctx, by, registeredAt, f.input.name, code) });
        state.id = await registerProject(
          ctx.db,
          by,
          { ...f.input, materials, ...(f.tenderer ? { tendererOrgId: actors.get(f.tenderer)!.orgId! } : {}) },
          registeredAt,
        );
        const row = await ctx.db.selectFrom('projects').select('serial_no').where('id', '=', state.id).executeTakeFirstOrThrow();
        out.push({
          key: f.key,
          id: state.id,
          code: projectCode(row.serial_no),
          name: f.input.name,
          regionCode: f.input.regionCode,
          catalogCode: f.input.catalogCode,
          estimateFen: f.input.estimateFen,
          lots: f.input.lots,
          publisher: f.by,
          acceptedAt: null,
        });
      },
    });
    for (const s of f.steps) {
      const when = at(s.at);
      steps.push({
        at: when,
        run: async () => {
          const id = state.id!;
          if (s.do === 'submit') {
            await submit(ctx.db, by, id, when);
          } else if (s.do === 'resubmit') {
            // The registrant replaces what the list named (a new upload), keeps the rest, and resubmits.
            const current = await ctx.db.selectFrom('project_materials').select(['code', 'file_id']).where('project_id', '=', id).execute();
            const materials = [];
            for (const m of current)
              materials.push({
                code: m.code,
                fileId: s.replace.includes(m.code) ? await upload(ctx, by, when, f.input.name, m.code, 2) : m.file_id,
              });
            await updateProject(ctx.db, by, id, { ...f.input, materials }, when);
            await submit(ctx.db, by, id, when);
          } else if (s.do === 'accept') {
            await accept(ctx.db, intake, id, when);
            out.find((p) => p.id === id)!.acceptedAt = when;
          } else if (s.do === 'return') {
            await returnProject(ctx.db, intake, id, s.items, when);
          } else if (s.do === 'green') {
            await acceptGreen(
              ctx.db,
              intake,
              id,
              s.pending.map((p) => ({ code: p.code, dueDate: shanghaiDate(new Date(when.getTime() + p.dueInDays * DAY)) })),
              when,
            );
            out.find((p) => p.id === id)!.acceptedAt = when;
          }
        },
      });
    }
  }
  return steps;
}

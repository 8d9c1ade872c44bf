import { useEffect, useMemo, useState, type HTMLAttributes } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { Alert, Button, Card, Descriptions, Grid, Input, List, Space, Table, Tag, Typography, Upload } from 'antd';
import { CheckCircleOutlined, ClockCircleOutlined, CloseCircleOutlined, MinusCircleOutlined, UploadOutlined } from '@ant-design/icons';
import {
  DRAW_CHECK_LABELS,
  DRAW_PURPOSES,
  EXCLUSION_REASONS,
  verifyDrawAnchors,
  verifyDrawRecord,
  type DrawAnchors,
  type DrawCheck,
  type DrawRecord,
  type DrawVerification,
} from '@yiwang/sdk/lottery';
import { api } from '../lib/api';
import { formatDateTime } from '../lib/format';
import { errorText } from '../lib/problem';
import { useI18n } from '../lib/i18n/I18nProvider';

interface PlatformInfo {
  status?: 'committed' | 'executed' | 'revealed';
  secret?: boolean;
  revealAfter?: string | null;
  committedAt?: string;
  executedAt?: string | null;
  revealedAt?: string | null;
  replaceReason?: string | null;
  replacedBy?: string | null;
  ledger?: { committed: number; executed: number | null; revealed: number | null };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * 抽取结果验证 (issue 4): anyone loads a draw's public record — by its number from the platform, or pasted / from a
 * file — and this page recomputes the draw in the browser with the same yiwang-draw/1 code the server drew with
 * (@yiwang/sdk/lottery). Nothing is taken on the server's word: a tampered record fails, check by check.
 */
export default function DrawVerifyPage() {
  const { lang } = useI18n();
  const zh = lang !== 'en';
  const params = useParams();
  const navigate = useNavigate();
  const [idText, setIdText] = useState(params.id ?? '');
  const [jsonText, setJsonText] = useState('');
  const [loaded, setLoaded] = useState<{ record: DrawRecord; source: 'platform' | 'pasted' } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);

  async function loadById(id: string) {
    setError(null);
    if (!UUID.test(id.trim())) {
      setError(zh ? '请输入抽取编号（UUID 格式）' : 'Enter a draw number (a UUID)');
      return;
    }
    setLoading(true);
    try {
      const record = await api.get<DrawRecord>(`/api/lottery/draws/${id.trim()}/record`);
      setLoaded({ record, source: 'platform' });
      setJsonText(JSON.stringify(record, null, 2));
    } catch (e) {
      setLoaded(null);
      setError(errorText(e, lang));
    } finally {
      setLoading(false);
    }
  }

  // Load when the address names a draw (loadById reads only state setters and the language).
  useEffect(() => {
    if (params.id) void loadById(params.id);
  }, [params.id]);

  function verifyPasted(text: string) {
    setError(null);
    try {
      const record = JSON.parse(text) as DrawRecord;
      if (!record || typeof record !== 'object') throw new Error('not an object');
      setLoaded({ record, source: 'pasted' });
    } catch {
      setLoaded(null);
      setError(zh ? '内容不是合法的 JSON 抽取记录' : 'This is not a JSON draw record');
    }
  }

  const verification: DrawVerification | null = useMemo(() => (loaded ? verifyDrawRecord(loaded.record) : null), [loaded]);
  // Online half: the ledger entries the record names must be in the platform's signed ledger (ADR 0003).
  const [anchors, setAnchors] = useState<DrawAnchors | 'checking' | null>(null);
  useEffect(() => {
    setAnchors(null);
    if (!loaded || !Array.isArray(loaded.record.ledger) || loaded.record.ledger.length === 0) return;
    let live = true;
    setAnchors('checking');
    verifyDrawAnchors(window.location.origin, loaded.record).then(
      (a) => live && setAnchors(a),
      () => live && setAnchors({ ok: false, entries: [] }),
    );
    return () => {
      live = false;
    };
  }, [loaded]);

  return (
    <div className="yw-container yw-main">
      <Typography.Title level={3} style={{ marginTop: 0 }}>
        {zh ? '抽取结果验证' : 'Verify a draw'}
      </Typography.Title>
      <Typography.Paragraph type="secondary">
        {zh
          ? '专家抽取、评标工位分配、远程异地评标副场和同分抽签均由同一可验证算法（yiwang-draw/1）完成：抽取前公布种子承诺，抽取时公布候选池哈希与参数，保密期满后公布种子。本页在您的浏览器中按记录独立重算结果，不依赖平台的结论。'
          : 'Expert draws, seat assignment, remote secondary venues and tie-breaks all use one verifiable algorithm (yiwang-draw/1): a seed commitment is published before the draw, the pool hash and parameters at the draw, the seed after the secrecy period. This page recomputes the result in your browser from the record alone.'}
      </Typography.Paragraph>
      <Space direction="vertical" size="middle" style={{ width: '100%' }}>
        <Card title={zh ? '载入抽取记录' : 'Load a draw record'}>
          <Space direction="vertical" style={{ width: '100%' }}>
            <Input.Search
              data-testid="draw-id-input"
              value={idText}
              onChange={(e) => setIdText(e.target.value)}
              placeholder={zh ? '抽取编号，如公告或通知中所载' : 'Draw number, as given in the notice'}
              enterButton={zh ? '从平台载入并验证' : 'Load and verify'}
              loading={loading}
              onSearch={(v) => (v.trim() === params.id ? void loadById(v) : navigate(`/verify/draw/${encodeURIComponent(v.trim())}`))}
              style={{ maxWidth: 640 }}
            />
            <Typography.Text type="secondary">{zh ? '或粘贴记录 JSON（也可选择文件）：' : 'or paste the record JSON (or choose a file):'}</Typography.Text>
            <Input.TextArea
              data-testid="draw-json-input"
              value={jsonText}
              onChange={(e) => setJsonText(e.target.value)}
              autoSize={{ minRows: 4, maxRows: 12 }}
              style={{ fontFamily: 'monospace', fontSize: 12 }}
              placeholder='{"algorithm": "yiwang-draw/1", …}'
            />
            <Space wrap>
              <Button type="primary" data-testid="draw-verify-json" onClick={() => verifyPasted(jsonText)} disabled={!jsonText.trim()}>
                {zh ? '验证粘贴的记录' : 'Verify the pasted record'}
              </Button>
              <Upload
                accept=".json,application/json"
                showUploadList={false}
                beforeUpload={async (file) => {
                  const text = await file.text();
                  setJsonText(text);
                  verifyPasted(text);
                  return false;
                }}
              >
                <Button icon={<UploadOutlined />}>{zh ? '选择文件' : 'Choose a file'}</Button>
              </Upload>
            </Space>
          </Space>
          {error && <Alert style={{ marginTop: 16 }} type="warning" showIcon message={error} data-testid="draw-load-error" />}
        </Card>
        {loaded && verification && <Verdict record={loaded.record} source={loaded.source} v={verification} anchors={anchors} zh={zh} />}
      </Space>
    </div>
  );
}

function statusTag(status: DrawCheck['status'], zh: boolean) {
  switch (status) {
    case 'pass':
      return <Tag color="success" icon={<CheckCircleOutlined />}>{zh ? '通过' : 'Pass'}</Tag>;
    case 'fail':
      return <Tag color="error" icon={<CloseCircleOutlined />}>{zh ? '不符' : 'Fail'}</Tag>;
    case 'pending':
      return <Tag color="warning" icon={<ClockCircleOutlined />}>{zh ? '待揭示' : 'Pending'}</Tag>;
    default:
      return <Tag icon={<MinusCircleOutlined />}>{zh ? '不适用' : 'N/A'}</Tag>;
  }
}

/** The online anchoring as one more check row. */
function anchorCheck(anchors: DrawAnchors | 'checking' | null, hasLedger: boolean): DrawCheck & { key: string } {
  const base = { key: 'anchor', check: 'ledger' as const };
  if (!hasLedger) return { ...base, status: 'skipped', zh: '记录未附账本序号，无法与平台账本核对', en: 'No ledger entries in the record: it cannot be checked against the platform ledger' };
  if (anchors === 'checking' || anchors === null) return { ...base, status: 'pending', zh: '正在向平台核对已签名的账本存证…', en: 'Checking the signed ledger…' };
  const bad = anchors.entries.filter((e) => e.status === 'mismatch');
  if (bad.length) return { ...base, status: 'fail', zh: `账本中序号 ${bad.map((e) => `#${e.seq}`).join('、')} 的存证与本记录不符`, en: `Ledger entries ${bad.map((e) => `#${e.seq}`).join(', ')} in the signed ledger differ from this record` };
  if (anchors.ok) return { ...base, status: 'pass', zh: `${anchors.entries.length} 条账本记录均在平台签名的账本树中`, en: `All ${anchors.entries.length} ledger entries are in the platform's signed ledger tree` };
  if (anchors.entries.some((e) => e.status === 'not_checkpointed'))
    return { ...base, status: 'pending', zh: '最新的账本检查点尚未覆盖这些记录，请稍后再试', en: 'No signed checkpoint covers these entries yet; try again later' };
  return { ...base, status: 'pending', zh: '暂时无法取得账本证明', en: 'The ledger proofs are unavailable right now' };
}

function Verdict({ record, source, v, anchors, zh }: { record: DrawRecord; source: 'platform' | 'pasted'; v: DrawVerification; anchors: DrawAnchors | 'checking' | null; zh: boolean }) {
  const p = (record.platform ?? {}) as PlatformInfo;
  const purpose = DRAW_PURPOSES[record.purpose as keyof typeof DRAW_PURPOSES];
  const x = record.execution;
  const anchor = anchorCheck(anchors, Array.isArray(record.ledger) && record.ledger.length > 0);
  const problems: (DrawCheck & { key: string })[] = [...v.problems.map((c) => ({ ...c, key: c.check as string })), ...(anchor.status === 'fail' ? [anchor] : [])];
  const verdict = problems.length
    ? {
        type: 'error' as const,
        status: 'failed',
        zh: `验证失败：${problems.map((c) => (c.key === 'anchor' ? '账本存证' : DRAW_CHECK_LABELS[c.check].zh)).join('、')}不符`,
        en: `Verification failed: ${problems.map((c) => (c.key === 'anchor' ? 'signed ledger' : DRAW_CHECK_LABELS[c.check].en.toLowerCase())).join(', ')} do not match`,
      }
    : !v.ok
      ? { type: 'warning' as const, status: 'pending', zh: '尚不能完全验证：保密期内，种子或名单尚未公布', en: 'Not yet verifiable: the seed or the names are still within their secrecy period' }
      : anchor.status === 'pass'
        ? { type: 'success' as const, status: 'verified', zh: '验证通过：结果可由记录独立重算，种子与抽取前的承诺一致，且与平台签名账本相符', en: 'Verified: the result follows from the record, the seed is the one committed to before the draw, and the record matches the signed ledger' }
        : anchor.status === 'pending'
          ? { type: 'info' as const, status: anchors === 'checking' ? 'checking' : 'consistent', zh: '记录自洽，结果可重算；账本存证尚待核对', en: 'The record is consistent and the result recomputes; the signed ledger is not confirmed yet' }
          : { type: 'warning' as const, status: 'consistent', zh: '记录自洽，结果可重算；但未能与平台账本核对', en: 'The record is consistent and the result recomputes, but it could not be tied to the platform ledger' };
  const screens = Grid.useBreakpoint();
  // With assignments, each row is "assignee ← drawn"; otherwise the drawn ids in order. When the result check failed,
  // the recomputed id is shown beside each row and rows that differ are marked.
  const assigned = x?.result.assignments ?? null;
  const rows = (assigned ?? x?.result.selected ?? []).map((r, k) => ({
    key: k,
    n: k + 1,
    id: r.id,
    group: x?.result.selected?.[k]?.group ?? '',
    to: assigned ? assigned[k]!.to : undefined,
    computed: v.recomputed ? (assigned ? v.recomputed.assignments?.[k]?.id : v.recomputed.selected[k]?.id) : undefined,
  }));
  const resultFailed = v.problems.some((c) => c.check === 'result');
  return (
    <>
      <Alert
        type={verdict.type}
        showIcon
        data-testid="draw-verdict"
        data-status={verdict.status}
        message={zh ? verdict.zh : verdict.en}
        description={source === 'pasted' ? (zh ? '记录来自粘贴或文件，未经平台确认；验证仅依据记录本身。' : 'The record was pasted or loaded from a file; it is verified on its own.') : undefined}
      />
      <Card title={zh ? '逐项核验' : 'Checks'}>
        <List
          dataSource={[...v.checks.map((c) => ({ ...c, key: c.check as string })), anchor]}
          renderItem={(c) => (
            <List.Item data-testid={`draw-check-${c.key}`} data-status={c.status}>
              <Space direction="vertical" size={2} style={{ width: '100%' }}>
                <Space wrap>
                  {statusTag(c.status, zh)}
                  <Typography.Text strong>
                    {c.key === 'anchor' ? (zh ? '账本存证（已签名）' : 'Signed ledger') : zh ? DRAW_CHECK_LABELS[c.check].zh : DRAW_CHECK_LABELS[c.check].en}
                  </Typography.Text>
                  <span>{zh ? c.zh : c.en}</span>
                </Space>
                {c.status === 'fail' && c.expected !== undefined && (
                  <Typography.Text type="secondary" style={{ fontSize: 12, wordBreak: 'break-all' }}>
                    {zh ? '记录所载' : 'Recorded'}: <code>{c.expected}</code> · {zh ? '重算所得' : 'Computed'}: <code>{c.actual}</code>
                  </Typography.Text>
                )}
              </Space>
            </List.Item>
          )}
        />
      </Card>
      <Card title={zh ? '抽取信息' : 'The draw'}>
        <Descriptions size="small" column={{ xs: 1, md: 2 }} bordered layout={screens.md ? 'horizontal' : 'vertical'}>
          <Descriptions.Item label={zh ? '用途' : 'Purpose'}>{purpose ? (zh ? purpose.zh : purpose.en) : record.purpose}</Descriptions.Item>
          <Descriptions.Item label={zh ? '事项' : 'Subject'}>{record.subject}</Descriptions.Item>
          <Descriptions.Item label={zh ? '抽取编号' : 'Draw number'}>
            <Typography.Text copyable style={{ wordBreak: 'break-all' }}>{record.drawId}</Typography.Text>
          </Descriptions.Item>
          <Descriptions.Item label={zh ? '算法' : 'Algorithm'}>{record.algorithm}</Descriptions.Item>
          {p.committedAt && <Descriptions.Item label={zh ? '承诺时间' : 'Committed'}>{formatDateTime(p.committedAt, true)}</Descriptions.Item>}
          {p.executedAt && <Descriptions.Item label={zh ? '抽取时间' : 'Drawn'}>{formatDateTime(p.executedAt, true)}</Descriptions.Item>}
          {p.revealedAt && <Descriptions.Item label={zh ? '种子公布时间' : 'Seed revealed'}>{formatDateTime(p.revealedAt, true)}</Descriptions.Item>}
          {!p.revealedAt && p.revealAfter && <Descriptions.Item label={zh ? '保密期至' : 'Secret until'}>{formatDateTime(p.revealAfter, true)}</Descriptions.Item>}
          {p.ledger && (
            <Descriptions.Item label={zh ? '账本序号' : 'Ledger entries'}>
              <Link to="/verify">
                {[p.ledger.committed, p.ledger.executed, p.ledger.revealed].filter((n) => n !== null).map((n) => `#${n}`).join(' · ')}
              </Link>
            </Descriptions.Item>
          )}
          {record.replaces && (
            <Descriptions.Item label={zh ? '补抽，接续' : 'Follows draw'}>
              <Link to={`/verify/draw/${record.replaces}`}>{record.replaces}</Link>
              {p.replaceReason ? `（${p.replaceReason}）` : ''}
            </Descriptions.Item>
          )}
          {p.replacedBy && (
            <Descriptions.Item label={zh ? '已由补抽接续' : 'Followed by'}>
              <Link to={`/verify/draw/${p.replacedBy}`} data-testid="draw-replaced-by">{p.replacedBy}</Link>
            </Descriptions.Item>
          )}
          <Descriptions.Item label={zh ? '种子承诺' : 'Commitment'} span={2}>
            <Typography.Text code style={{ wordBreak: 'break-all' }}>{record.commitment}</Typography.Text>
          </Descriptions.Item>
          <Descriptions.Item label={zh ? '种子' : 'Seed'} span={2}>
            {record.seed ? <Typography.Text code style={{ wordBreak: 'break-all' }}>{record.seed}</Typography.Text> : <Tag>{zh ? '保密期内，尚未公布' : 'Not yet revealed'}</Tag>}
          </Descriptions.Item>
          {x && (
            <>
              <Descriptions.Item label={zh ? '候选池' : 'Pool'} span={2}>
                {zh ? `${x.pool.size} 个候选` : `${x.pool.size} candidates`}
                {x.pool.candidates === null && <Tag style={{ marginLeft: 8 }}>{zh ? '名单保密' : 'names secret'}</Tag>}
                <br />
                <Typography.Text code style={{ wordBreak: 'break-all', fontSize: 12 }}>{x.pool.hash}</Typography.Text>
              </Descriptions.Item>
              <Descriptions.Item label={zh ? '抽取分组' : 'Strata'}>
                {x.strata.map((s) => `${s.group === '*' ? (zh ? '全部' : 'all') : s.group} × ${s.count}`).join('，')}
              </Descriptions.Item>
              <Descriptions.Item label={zh ? '回避' : 'Exclusions'}>
                {x.exclusions.length === 0
                  ? zh ? '无' : 'none'
                  : x.exclusions
                      .map((e) => {
                        const r = EXCLUSION_REASONS[e.reason as keyof typeof EXCLUSION_REASONS];
                        return r ? (zh ? r.zh : r.en) : e.reason;
                      })
                      .join('，')}
              </Descriptions.Item>
              {x.entropy && <Descriptions.Item label={zh ? '现场公开随机数' : 'Public entropy'}>{x.entropy}</Descriptions.Item>}
            </>
          )}
        </Descriptions>
      </Card>
      {x && (
        <Card title={zh ? '抽取结果' : 'Result'}>
          {x.result.selected === null ? (
            <Typography.Text type="secondary">
              {zh ? `共抽取 ${x.result.count} 个，名单于结果公布后公开（结果哈希 ${x.result.hash.slice(0, 16)}…）` : `${x.result.count} drawn; the names are published with the result (hash ${x.result.hash.slice(0, 16)}…)`}
            </Typography.Text>
          ) : (
            <Table
              size="small"
              pagination={false}
              dataSource={rows}
              data-testid="draw-result"
              onRow={(r) => (resultFailed && r.computed !== r.id ? { style: { background: '#fff1f0' }, 'data-mismatch': 'true' } as HTMLAttributes<HTMLElement> : {})}
              columns={[
                { title: zh ? '顺序' : '#', dataIndex: 'n', width: 56 },
                ...(assigned ? [{ title: zh ? '分配给' : 'Assigned to', dataIndex: 'to', render: (t: string) => <code>{t}</code> }] : []),
                { title: zh ? '记录所载' : 'Recorded', dataIndex: 'id', render: (t: string) => <code>{t}</code> },
                ...(resultFailed
                  ? [
                      {
                        title: zh ? '重算所得' : 'Recomputed',
                        dataIndex: 'computed',
                        render: (t: string | undefined, r: { id: string }) => (
                          <Typography.Text type={t === r.id ? undefined : 'danger'} strong={t !== r.id} data-testid="draw-recomputed-cell">
                            <code>{t ?? '—'}</code>
                          </Typography.Text>
                        ),
                      },
                    ]
                  : []),
                { title: zh ? '分组' : 'Stratum', dataIndex: 'group', render: (g: string) => (g === '*' ? (zh ? '全部' : 'all') : g) },
              ]}
            />
          )}
        </Card>
      )}
    </>
  );
}

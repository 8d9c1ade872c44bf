import { useMemo, useRef, useState } from 'react';
import { Link } from 'react-router';
import { Alert, Card, Col, Descriptions, Empty, Grid, Input, Row, Space, Tag, Tree, Typography } from 'antd';
import { useI18n } from '../lib/i18n/I18nProvider';
import { indexCatalog, useCatalog, type CatalogNode } from '../features/portal/api';
import { QueryView } from '../components/Results';
import { formatDate, formatFen } from '../lib/format';
import { label, PROCEDURES, SUBJECTS } from '../lib/labels';
import type { Lang } from '../lib/i18n/lang';

interface TreeNode {
  key: string;
  title: React.ReactNode;
  children: TreeNode[];
}

function thresholdText(n: CatalogNode, lang: Lang, none: string): string {
  if (n.thresholds.length === 0) return none;
  return n.thresholds.map((th) => `${th.subject ? `${label(SUBJECTS, th.subject, lang)} ` : ''}≥ ${formatFen(th.amountFen)}`).join('；');
}

function matches(n: CatalogNode, kw: string): boolean {
  return !kw || n.code.toLowerCase().includes(kw) || n.name.includes(kw) || n.nameEn.toLowerCase().includes(kw) || n.children.some((c) => matches(c, kw));
}

export function EntryDetail({ node }: { node: CatalogNode }) {
  const { t, lang } = useI18n();
  return (
    <Descriptions
      column={1}
      size="small"
      bordered
      data-testid="catalog-entry"
      items={[
        { key: 'code', label: t('catalog.code'), children: <Typography.Text code>{node.code}</Typography.Text> },
        { key: 'name', label: t('catalog.name'), children: lang === 'en' ? node.nameEn : `${node.name}（${node.nameEn}）` },
        { key: 'th', label: t('catalog.threshold'), children: thresholdText(node, lang, t('catalog.noThreshold')) },
        {
          key: 'proc',
          label: t('catalog.procedures'),
          children: node.procedures.length ? <Space size={[4, 4]} wrap>{node.procedures.map((p) => <Tag key={p} color="blue">{label(PROCEDURES, p, lang)}</Tag>)}</Space> : '—',
        },
        ...(node.materials.length
          ? [{ key: 'mat', label: t('project.materials'), children: <ul style={{ margin: 0, paddingInlineStart: 18 }}>{node.materials.map((m) => <li key={m.code}>{lang === 'en' ? m.nameEn : m.nameZh}</li>)}</ul> }]
          : []),
        { key: 'ann', label: t('nav.announcements'), children: <Link to={`/announcements?category=${encodeURIComponent(node.code)}`}>{t('home.viewAll')}</Link> },
      ]}
    />
  );
}

export default function CatalogPage() {
  const { t, lang } = useI18n();
  const q = useCatalog();
  const [selected, setSelected] = useState<string | null>(null);
  const [kw, setKw] = useState('');
  const screens = Grid.useBreakpoint();
  const detailRef = useRef<HTMLDivElement>(null);
  const index = useMemo(() => indexCatalog(q.data?.categories ?? []), [q.data]);
  const toTree = (nodes: CatalogNode[]): TreeNode[] =>
    nodes
      .filter((n) => matches(n, kw.trim().toLowerCase()))
      .map((n) => ({
        key: n.code,
        title: (
          <span data-testid="catalog-node">
            <Typography.Text type="secondary" style={{ fontSize: 12, marginRight: 6 }}>{n.code}</Typography.Text>
            {lang === 'en' ? n.nameEn : n.name}
            {n.thresholds.length > 0 && <Tag style={{ marginInlineStart: 6 }} color="gold">{thresholdText(n, lang, '')}</Tag>}
          </span>
        ),
        children: toTree(n.children),
      }));
  const node = selected ? index.get(selected) : undefined;
  return (
    <div className="yw-container yw-main">
      <Typography.Title level={3} style={{ marginTop: 0 }}>{t('catalog.title')}</Typography.Title>
      <QueryView query={q} rows={10}>
        {(c) => (
          <>
            <Alert
              type="info"
              showIcon
              style={{ marginBottom: 16 }}
              title={
                <span data-testid="catalog-version">
                  {t('catalog.version')} {c.version}
                  {c.title ? ` · ${c.title}` : ''} · {t('catalog.effectiveFrom')} {formatDate(c.effectiveFrom)}
                </span>
              }
              description={t('catalog.intro')}
            />
            <Row gutter={[16, 16]}>
              <Col xs={24} md={12} lg={14}>
                <Card>
                  <Input.Search allowClear placeholder={`${t('catalog.code')} / ${t('catalog.name')}`} onChange={(e) => setKw(e.target.value)} style={{ marginBottom: 12 }} data-testid="catalog-filter" />
                  {c.categories.length === 0 ? (
                    <Empty />
                  ) : (
                    <Tree
                      key={kw}
                      blockNode
                      defaultExpandAll={!!kw || index.size < 60}
                      treeData={toTree(c.categories)}
                      selectedKeys={selected ? [selected] : []}
                      onSelect={(keys) => {
                        setSelected((keys[0] as string | undefined) ?? null);
                        // On a phone the detail sits below the tree: bring it into view.
                        if (!screens.md && keys[0]) setTimeout(() => detailRef.current?.scrollIntoView({ behavior: 'smooth', block: 'start' }), 50);
                      }}
                      data-testid="catalog-tree"
                      className="yw-wrap-tree"
                    />
                  )}
                </Card>
              </Col>
              <Col xs={24} md={12} lg={10}>
                <div ref={detailRef} style={screens.md ? { position: 'sticky', top: 76 } : { scrollMarginTop: 64 }}>
                  <Card title={node ? (lang === 'en' ? node.nameEn : node.name) : t('catalog.title')}>
                    {node ? <EntryDetail node={node} /> : <Typography.Text type="secondary">{lang === 'en' ? 'Select a category to see its thresholds and procedures.' : '选择左侧类别，查看应进场限额和交易方式。'}</Typography.Text>}
                  </Card>
                </div>
              </Col>
            </Row>
          </>
        )}
      </QueryView>
    </div>
  );
}

// 竞买大厅: organisers see their own auctions (and set up new ones); bidders see what they registered for and every
// auction they may register for. Bidders are never named here (numbers only, in the rooms).
import { Button, Space, Tabs, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { Link } from 'react-router';
import { useI18n } from '../../lib/i18n/I18nProvider';
import { useAuth } from '../../lib/auth/AuthProvider';
import type { DictKey } from '../../lib/i18n/dict';
import { formatDateTime, formatFen } from '../../lib/format';
import { QueryView } from '../../components/Results';
import { ResponsiveList } from '../../components/ResponsiveList';
import { useAuctionList, type AuctionItem } from './api';
import { StatusTag } from './parts';

export const isOrganiser = (roles: readonly string[]) => roles.includes('agency') || roles.includes('center_intake');

function AuctionList({ mine, organiser }: { mine?: 'organiser' | 'bidder'; organiser: boolean }) {
  const { t, lang } = useI18n();
  const q = useAuctionList(mine);
  const href = (a: AuctionItem) => (organiser ? `/workbench/auctions/${a.id}/manage` : `/workbench/auctions/${a.id}`);
  const link = (a: AuctionItem) => <Link to={href(a)} data-testid="au-item-link">{a.title}</Link>;
  const price = (a: AuctionItem) => formatFen(a.currentPriceFen ?? a.startPriceFen);
  const mineTag = (a: AuctionItem) =>
    a.me && <Typography.Text type="secondary" data-testid="au-item-me">{t(`au.app.${a.me.status}` as DictKey)}{a.me.biddingNo !== null ? ` · ${t('au.bidderN', { n: a.me.biddingNo })}` : ''}</Typography.Text>;
  return (
    <QueryView query={q}>
      {(r) => (
        <ResponsiveList<AuctionItem>
          data={r.items}
          rowKey={(a) => a.id}
          testId={`au-list-${mine ?? 'all'}`}
          itemTestId="au-item"
          columns={[
            { title: t('au.title'), render: (_, a) => <Space orientation="vertical" size={0}>{link(a)}{mineTag(a)}</Space> },
            { title: t('au.policy'), width: 130, render: (_, a) => (lang === 'en' ? a.policyLabel.en : a.policyLabel.zh) },
            { title: t('au.currentPrice'), width: 160, render: (_, a) => price(a) },
            { title: t('au.startsAt'), width: 150, render: (_, a) => formatDateTime(a.startsAt) },
            { title: t('au.endsAt'), width: 150, render: (_, a) => formatDateTime(a.endsAt) },
            { title: t('au.status'), width: 150, render: (_, a) => <StatusTag status={a.status} phase={a.phase} /> },
          ]}
          card={(a) => (
            <Space orientation="vertical" size={4} style={{ width: '100%' }}>
              <Space style={{ justifyContent: 'space-between', width: '100%' }} wrap><strong>{link(a)}</strong><StatusTag status={a.status} phase={a.phase} /></Space>
              <span>{lang === 'en' ? a.policyLabel.en : a.policyLabel.zh} · {price(a)}</span>
              <span>{t('au.startsAt')}：{formatDateTime(a.startsAt)}</span>
              {mineTag(a)}
            </Space>
          )}
        />
      )}
    </QueryView>
  );
}

export default function AuctionHallPage() {
  const { t } = useI18n();
  const { roles } = useAuth();
  const organiser = isOrganiser(roles);
  const bidder = roles.includes('auction_bidder');
  const items = [
    ...(organiser ? [{ key: 'organiser', label: t('au.mineOrganiser'), children: <AuctionList mine="organiser" organiser /> }] : []),
    ...(bidder ? [{ key: 'bidder', label: t('au.mineBidder'), children: <AuctionList mine="bidder" organiser={false} /> }] : []),
    ...(bidder ? [{ key: 'all', label: t('au.all'), children: <AuctionList organiser={false} /> }] : []),
  ];
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }} data-testid="au-hall">
      <Space style={{ justifyContent: 'space-between', width: '100%' }} wrap>
        <Typography.Title level={3} style={{ margin: 0 }}>{t('au.hall')}</Typography.Title>
        {organiser && <Link to="/workbench/auctions/new"><Button type="primary" icon={<PlusOutlined />} data-testid="au-create-link">{t('au.create')}</Button></Link>}
      </Space>
      <Typography.Paragraph type="secondary" style={{ margin: 0 }}>{t('au.hallIntro')}</Typography.Paragraph>
      <Tabs items={items} defaultActiveKey={bidder && !organiser ? 'all' : undefined} />
    </Space>
  );
}

import { useState } from 'react';
import { useInfiniteQuery } from '@tanstack/react-query';
import { Alert, App, Button, Card, Form, Input, Modal, Segmented, Space, Tag, Typography } from 'antd';
import { useI18n } from '../../lib/i18n/I18nProvider';
import { errorText } from '../../lib/problem';
import { formatFen, parseYuanToFen } from '../../lib/format';
import { ResponsiveList } from '../../components/ResponsiveList';
import { tenderApi, type Refund } from './api';
import { BjTime } from './parts';

/** The refunds desk (center_finance): open / overdue / done, complete with the bank reference (and interest). */
export default function RefundsPage() {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const [status, setStatus] = useState<'open' | 'overdue' | 'done'>('open');
  const [doing, setDoing] = useState<Refund | null>(null);
  const [form] = Form.useForm<{ bankRef: string; interest?: string }>();
  const [busy, setBusy] = useState(false);
  const q = useInfiniteQuery({
    queryKey: ['refunds', status],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) => tenderApi.refunds(status, pageParam),
    getNextPageParam: (p) => p.nextCursor ?? undefined,
  });
  const items = q.data?.pages.flatMap((p) => p.items) ?? [];
  const state = (r: Refund) => (
    <Space size={4} wrap>
      {r.status === 'done' ? <Tag color="success">{t('tn.refundDone')}</Tag> : <Tag color="processing">{t('tn.refundOpen')}</Tag>}
      {r.overdue && <Tag color="red" data-testid="refund-overdue">{t('tn.overdue')}</Tag>}
      {r.late && <Tag color="orange">{t('tn.late')}</Tag>}
    </Space>
  );
  const action = (r: Refund) => r.status === 'open' && <Button size="small" type="primary" onClick={() => { form.resetFields(); setDoing(r); }} data-testid="refund-complete">{t('tn.completeRefund')}</Button>;
  const columns = [
    { title: t('tn.bidder'), key: 'b', render: (_: unknown, r: Refund) => r.bidderName ?? r.bidderOrgId },
    { title: t('tn.lot'), key: 'l', render: (_: unknown, r: Refund) => r.lotLabel ?? '—' },
    { title: t('tn.amount'), dataIndex: 'amountFen', align: 'right' as const, width: 140, render: (v: number) => formatFen(v) },
    { title: t('tn.refundReason'), dataIndex: 'reason', width: 140 },
    { title: t('tn.dueBy'), dataIndex: 'dueAt', width: 200, render: (v: string) => <BjTime at={v} /> },
    { title: t('tn.status'), key: 's', width: 150, render: (_: unknown, r: Refund) => state(r) },
    { title: t('tn.bankRef'), key: 'ref', width: 160, render: (_: unknown, r: Refund) => r.bankRef ?? action(r) },
  ];
  return (
    <Card title={t('menu.refunds')}>
      <Segmented value={status} onChange={(v) => setStatus(v as typeof status)} style={{ marginBottom: 12 }} data-testid="refund-status"
        options={[{ value: 'open', label: t('tn.refundOpen') }, { value: 'overdue', label: t('tn.overdue') }, { value: 'done', label: t('tn.refundDone') }]} />
      {q.isError && <Alert type="error" showIcon title={errorText(q.error, lang)} />}
      <ResponsiveList<Refund>
        data={items}
        loading={q.isPending}
        columns={columns}
        rowKey={(r) => r.id}
        testId="refund-list"
        itemTestId="refund-item"
        card={(r) => (
          <Space orientation="vertical" size={2} style={{ width: '100%' }}>
            <Typography.Text strong>{r.bidderName ?? r.bidderOrgId} · {formatFen(r.amountFen)}</Typography.Text>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>{r.lotLabel} · {r.reason}</Typography.Text>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('tn.dueBy')} <BjTime at={r.dueAt} /></Typography.Text>
            {state(r)}
            {r.bankRef ? <Typography.Text>{t('tn.bankRef')}：{r.bankRef}</Typography.Text> : action(r)}
          </Space>
        )}
        footer={q.hasNextPage && <Button block style={{ marginTop: 12 }} loading={q.isFetchingNextPage} onClick={() => q.fetchNextPage()}>{t('common.loadMore')}</Button>}
      />
      <Modal open={!!doing} title={t('tn.completeRefund')} confirmLoading={busy} onCancel={() => setDoing(null)} okButtonProps={{ 'data-testid': 'refund-ok' } as never}
        onOk={async () => {
          const v = await form.validateFields();
          setBusy(true);
          try {
            await tenderApi.completeRefund(doing!.id, v.bankRef.trim(), v.interest?.trim() ? parseYuanToFen(v.interest) : undefined);
            setDoing(null);
            message.success(t('common.saved'));
            await q.refetch();
          } catch (e) {
            message.error(errorText(e, lang));
          } finally {
            setBusy(false);
          }
        }}>
        {doing && <Typography.Paragraph>{doing.bidderName} · {formatFen(doing.amountFen)}</Typography.Paragraph>}
        <Form form={form} layout="vertical">
          <Form.Item name="bankRef" label={t('tn.bankRef')} rules={[{ required: true, pattern: /^[A-Za-z0-9_.:-]{1,64}$/, message: t('tn.bankRefRule') }]}>
            <Input data-testid="refund-bankref" />
          </Form.Item>
          <Form.Item name="interest" label={t('tn.interest')} extra={t('tn.interestHint')}
            rules={[{ validator: (_, v?: string) => (!v?.trim() || parseYuanToFen(v) !== undefined ? Promise.resolve() : Promise.reject(new Error(t('tn.badYuan')))) }]}>
            <Input prefix="¥" inputMode="decimal" />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}

// Organiser set-up: policy, prices (typed in 元, sent as integer 分), periods, countdown and its guard. The server
// checks everything again (auctions.rules.ts checkSetup, the statutory minimum periods); its problem+json names the
// field, and the message is shown at that field.
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { Alert, App, Button, Card, Col, DatePicker, Form, Input, InputNumber, Row, Select, Space, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useQueryClient } from '@tanstack/react-query';
import { useI18n } from '../../lib/i18n/I18nProvider';
import type { DictKey } from '../../lib/i18n/dict';
import { parseYuanToFen } from '../../lib/format';
import { errorText, fieldErrors } from '../../lib/problem';
import { auctionApi, POLICY_CODES, type PolicyCode } from './api';

interface Values {
  title: string;
  policy: PolicyCode;
  industry: string;
  regionCode: string;
  startPriceFen: string;
  incrementFen: string;
  reserveFen?: string;
  depositFen: string;
  registrationEndsAt: Dayjs;
  startsAt: Dayjs;
  firstPhaseEndsAt: Dayjs;
  countdownSeconds: number;
  maxExtensionSeconds: number;
}

const INDUSTRIES = ['land', 'mining', 'state_property', 'assets'];
// The server names the guard `maxDurationSeconds` in its set-up check; the form field is the body's name.
const FIELD_ALIAS: Record<string, string> = { maxDurationSeconds: 'maxExtensionSeconds' };

export default function AuctionFormPage() {
  const { t, lang } = useI18n();
  const [form] = Form.useForm<Values>();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const money = (required: boolean) => [
    ...(required ? [{ required: true, message: t('au.required') }] : []),
    { validator: (_: unknown, v?: string) => (!v || parseYuanToFen(v) !== undefined ? Promise.resolve() : Promise.reject(new Error(t('au.money')))) },
  ];
  const start = dayjs().add(2, 'day').hour(10).minute(0).second(0);

  const submit = async (v: Values) => {
    setBusy(true);
    setError(null);
    try {
      const { id } = await auctionApi.create({
        title: v.title.trim(),
        policy: v.policy,
        industry: v.industry,
        regionCode: v.regionCode,
        startPriceFen: parseYuanToFen(v.startPriceFen)!,
        incrementFen: parseYuanToFen(v.incrementFen)!,
        reserveFen: v.reserveFen ? parseYuanToFen(v.reserveFen)! : null,
        depositFen: parseYuanToFen(v.depositFen)!,
        registrationEndsAt: v.registrationEndsAt.toISOString(),
        startsAt: v.startsAt.toISOString(),
        firstPhaseEndsAt: v.firstPhaseEndsAt.toISOString(),
        countdownSeconds: v.countdownSeconds,
        maxExtensionSeconds: v.maxExtensionSeconds,
      });
      message.success(t('au.created'));
      await qc.invalidateQueries({ queryKey: ['auctions'] });
      navigate(`/workbench/auctions/${id}/manage`);
    } catch (e) {
      const fe = fieldErrors(e, lang)?.map((f) => ({ ...f, name: f.name.map((n) => (typeof n === 'string' ? (FIELD_ALIAS[n] ?? n) : n)) }));
      if (fe) form.setFields(fe as never);
      setError(errorText(e, lang));
    } finally {
      setBusy(false);
    }
  };

  const dt = (name: keyof Values, label: DictKey) => (
    <Col xs={24} md={8}>
      <Form.Item name={name} label={t(label)} rules={[{ required: true, message: t('au.required') }]}>
        <DatePicker showTime format="YYYY-MM-DD HH:mm:ss" style={{ width: '100%' }} data-testid={`au-f-${name}`} />
      </Form.Item>
    </Col>
  );
  const text = (name: keyof Values, label: DictKey, required = true, extra?: string) => (
    <Col xs={24} sm={12} md={6}>
      <Form.Item name={name} label={t(label)} rules={money(required)} extra={extra}>
        <Input inputMode="decimal" prefix="¥" data-testid={`au-f-${name}`} />
      </Form.Item>
    </Col>
  );

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Typography.Title level={3} style={{ margin: 0 }}>{t('au.create')}</Typography.Title>
      <Card>
        <Form<Values>
          form={form}
          layout="vertical"
          onFinish={submit}
          data-testid="au-form"
          initialValues={{
            policy: 'auction',
            industry: 'land',
            regionCode: '350200',
            depositFen: '0',
            countdownSeconds: 300,
            maxExtensionSeconds: 4 * 3600,
            registrationEndsAt: start.subtract(1, 'day'),
            startsAt: start,
            firstPhaseEndsAt: start.add(1, 'hour'),
          }}
        >
          <Row gutter={16}>
            <Col xs={24} md={12}>
              <Form.Item name="title" label={t('au.title')} rules={[{ required: true, whitespace: true, message: t('au.required') }]}>
                <Input maxLength={200} data-testid="au-f-title" />
              </Form.Item>
            </Col>
            <Col xs={24} sm={12} md={6}>
              <Form.Item name="policy" label={t('au.policy')} rules={[{ required: true }]}>
                <Select data-testid="au-f-policy" options={POLICY_CODES.map((p) => ({ value: p, label: t(`au.pol.${p}` as DictKey) }))} popupMatchSelectWidth={false} />
              </Form.Item>
            </Col>
            <Col xs={12} sm={6} md={3}>
              <Form.Item name="industry" label={t('au.industry')} rules={[{ required: true }]}>
                <Select data-testid="au-f-industry" options={INDUSTRIES.map((i) => ({ value: i, label: t(`au.ind.${i}` as DictKey) }))} popupMatchSelectWidth={false} />
              </Form.Item>
            </Col>
            <Col xs={12} sm={6} md={3}>
              <Form.Item name="regionCode" label={t('au.region')} rules={[{ required: true, pattern: /^\d{6}$/, message: t('au.required') }]}>
                <Input maxLength={6} inputMode="numeric" data-testid="au-f-regionCode" />
              </Form.Item>
            </Col>
            {text('startPriceFen', 'au.startPrice')}
            {text('incrementFen', 'au.increment')}
            {text('reserveFen', 'au.reserve', false, t('au.reserveHint'))}
            {text('depositFen', 'au.deposit')}
            {dt('registrationEndsAt', 'au.registrationEndsAt')}
            {dt('startsAt', 'au.startsAt')}
            {dt('firstPhaseEndsAt', 'au.firstPhaseEndsAt')}
            <Col xs={24} sm={12} md={6}>
              <Form.Item name="countdownSeconds" label={t('au.countdown')} rules={[{ required: true, message: t('au.required') }]} extra={t('au.countdownHint')}>
                <InputNumber precision={0} style={{ width: '100%' }} data-testid="au-f-countdownSeconds" />
              </Form.Item>
            </Col>
            <Col xs={24} sm={12} md={6}>
              <Form.Item name="maxExtensionSeconds" label={t('au.maxExtension')} rules={[{ required: true, message: t('au.required') }]}>
                <InputNumber precision={0} style={{ width: '100%' }} data-testid="au-f-maxExtensionSeconds" />
              </Form.Item>
            </Col>
          </Row>
          {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} data-testid="au-form-error" />}
          <Button type="primary" htmlType="submit" loading={busy} data-testid="au-f-submit">{t('au.submitCreate')}</Button>
        </Form>
      </Card>
    </Space>
  );
}

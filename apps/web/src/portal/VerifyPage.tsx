import { Card, Input, Result, Typography } from 'antd';
import { SafetyCertificateOutlined } from '@ant-design/icons';
import { useI18n } from '../lib/i18n/I18nProvider';

/** Placeholder: receipt, draw and ledger verification pages arrive with their modules. */
export default function VerifyPage() {
  const { t } = useI18n();
  return (
    <div className="yw-container yw-main">
      <Typography.Title level={3} style={{ marginTop: 0 }}>{t('verify.title')}</Typography.Title>
      <Card>
        <Result
          icon={<SafetyCertificateOutlined style={{ color: '#1d5bb0' }} />}
          title={t('verify.title')}
          subTitle={t('verify.desc')}
          extra={<Input.Search disabled placeholder={t('verify.hashPlaceholder')} style={{ maxWidth: 520 }} enterButton={t('common.comingSoon')} data-testid="verify-input" />}
        />
      </Card>
    </div>
  );
}

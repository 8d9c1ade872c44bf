import { Link, useParams } from 'react-router';
import { Card, Col, Descriptions, Empty, Row, Tag, Typography } from 'antd';
import { ROLE_LABELS } from '@yiwang/contracts';
import { useI18n } from '../lib/i18n/I18nProvider';
import { useAuth } from '../lib/auth/AuthProvider';
import { menuFor, menuItem } from './menu';
import { ComingSoon, NotFound } from '../components/Results';

export function RoleHome() {
  const { t, lang } = useI18n();
  const { actor, roles } = useAuth();
  const items = menuFor(roles).filter((m) => m.key !== 'home');
  return (
    <>
      <Card style={{ marginBottom: 16 }}>
        <Typography.Title level={4} style={{ marginTop: 0 }} data-testid="workbench-welcome">{t('wb.welcome', { name: actor?.displayName ?? '' })}</Typography.Title>
        <Descriptions
          size="small"
          column={{ xs: 1, md: 2 }}
          items={[
            { key: 'org', label: t('wb.org'), children: actor?.orgName ?? '—' },
            {
              key: 'roles',
              label: t('wb.roles'),
              children: actor?.roles.length ? actor.roles.map((r) => <Tag key={r.role} color="blue" data-testid={`role-${r.role}`}>{lang === 'en' ? ROLE_LABELS[r.role].en : ROLE_LABELS[r.role].zh}</Tag>) : t('wb.noRoles'),
            },
          ]}
        />
      </Card>
      <Card title={t('wb.todo')}>
        {items.length === 0 ? (
          <Empty description={t('wb.noRoles')} />
        ) : (
          <Row gutter={[12, 12]}>
            {items.map((m) => (
              <Col xs={12} md={8} xl={6} key={m.key}>
                <Link to={m.path} data-testid={`tile-${m.key}`}>
                  <Card hoverable size="small" style={{ height: '100%', opacity: m.status === 'soon' ? 0.75 : 1 }}>
                    <div style={{ fontWeight: 600, color: '#1f2329' }}>{t(m.label)}</div>
                    {m.status === 'soon' && <Tag style={{ marginTop: 6 }}>{t('common.comingSoon')}</Tag>}
                  </Card>
                </Link>
              </Col>
            ))}
          </Row>
        )}
      </Card>
    </>
  );
}

export function SoonPage() {
  const { key = '' } = useParams();
  const { t } = useI18n();
  const { roles } = useAuth();
  const item = menuItem(key);
  if (!item || item.status !== 'soon' || !menuFor(roles).includes(item)) return <NotFound />;
  return (
    <Card>
      <ComingSoon title={t(item.label)} />
    </Card>
  );
}

import { useState } from 'react';
import { Link, Outlet, useLocation, useNavigate } from 'react-router';
import { Badge, Button, Drawer, Dropdown, Grid, Layout, Menu, Space, Tag } from 'antd';
import {
  AppstoreOutlined,
  AuditOutlined,
  BellOutlined,
  CalendarOutlined,
  ClockCircleOutlined,
  FileSearchOutlined,
  HomeOutlined,
  MenuOutlined,
  NotificationOutlined,
  ProjectOutlined,
  SettingOutlined,
  TeamOutlined,
  UserOutlined,
} from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { ROLE_LABELS } from '@yiwang/contracts';
import { useI18n } from '../lib/i18n/I18nProvider';
import { useAuth } from '../lib/auth/AuthProvider';
import { menuFor, type MenuIcon, type MenuItem } from './menu';
import { LangSwitch } from '../portal/PortalLayout';
import { api } from '../lib/api';

const ICONS: Record<MenuIcon, React.ReactNode> = {
  home: <HomeOutlined />,
  project: <ProjectOutlined />,
  audit: <AuditOutlined />,
  notice: <NotificationOutlined />,
  review: <FileSearchOutlined />,
  catalog: <AppstoreOutlined />,
  calendar: <CalendarOutlined />,
  team: <TeamOutlined />,
  bell: <BellOutlined />,
  setting: <SettingOutlined />,
  soon: <ClockCircleOutlined />,
};

/** The entry whose path is the longest prefix of the current location. */
function selectedKey(items: MenuItem[], pathname: string): string {
  let best: MenuItem | undefined;
  for (const m of items) {
    const hit = m.path === '/workbench' ? pathname === '/workbench' || pathname === '/workbench/' : pathname === m.path || pathname.startsWith(m.path + '/');
    if (hit && (!best || m.path.length > best.path.length)) best = m;
  }
  return best?.key ?? '';
}

function useUnread() {
  return useQuery({
    queryKey: ['notifications', 'unread'],
    queryFn: () => api.get<{ unreadCount: number }>('/api/notifications', { unread: true, limit: 1 }),
    refetchInterval: 60_000,
    retry: false,
  });
}

export function WorkbenchLayout() {
  const { t, lang } = useI18n();
  const { actor, roles, logout } = useAuth();
  const screens = Grid.useBreakpoint();
  const narrow = !screens.lg;
  const [open, setOpen] = useState(false);
  const { pathname } = useLocation();
  const navigate = useNavigate();
  const unread = useUnread().data?.unreadCount ?? 0;
  const items = menuFor(roles);
  const menu = (
    <Menu
      theme="dark"
      mode="inline"
      selectedKeys={[selectedKey(items, pathname)]}
      style={{ borderInlineEnd: 'none', background: 'transparent' }}
      items={items.map((m) => ({
        key: m.key,
        icon: ICONS[m.icon],
        label: (
          <Link to={m.path} data-testid={`menu-${m.key}`} onClick={() => setOpen(false)}>
            <Space size={6}>
              {t(m.label)}
              {m.status === 'soon' && <Tag color="default" style={{ fontSize: 10, lineHeight: '16px', marginInlineEnd: 0 }}>{t('common.comingSoon')}</Tag>}
              {m.key === 'messages' && unread > 0 && <Badge count={unread} size="small" />}
            </Space>
          </Link>
        ),
      }))}
    />
  );
  const brand = (
    <Link to="/" className="yw-logo" style={{ padding: '14px 16px', borderBottom: '1px solid rgba(255,255,255,.08)' }}>
      <span className="yw-logo-mark" aria-hidden>网</span>
      <span className="yw-logo-text">
        <b>{t('app.name')}</b>
        <small>{t('wb.title')}</small>
      </span>
    </Link>
  );
  return (
    <Layout style={{ minHeight: '100vh' }}>
      {!narrow && (
        <Layout.Sider width={232} className="yw-wb-sider" data-testid="workbench-menu">
          {/* The sider stretches with the page (dark to the bottom); its content stays in view while scrolling. */}
          <div style={{ position: 'sticky', top: 0, maxHeight: '100vh', overflow: 'auto' }}>
            {brand}
            {menu}
          </div>
        </Layout.Sider>
      )}
      <Drawer open={narrow && open} onClose={() => setOpen(false)} placement="left" size={260} styles={{ body: { padding: 0, background: '#0f2f5c' }, header: { display: 'none' } }}>
        <div style={{ background: '#0f2f5c', minHeight: '100%' }} data-testid="workbench-menu">
          {brand}
          {menu}
        </div>
      </Drawer>
      <Layout>
        <Layout.Header className="yw-wb-header">
          {narrow && <Button type="text" icon={<MenuOutlined />} onClick={() => setOpen(true)} aria-label={t('nav.menu')} data-testid="workbench-drawer-toggle" />}
          <span style={{ fontWeight: 600, whiteSpace: 'nowrap', overflow: 'hidden', textOverflow: 'ellipsis' }}>{actor?.orgName ?? t('wb.title')}</span>
          <Space style={{ marginLeft: 'auto' }} size={4}>
            <Link to="/workbench/messages" aria-label={t('menu.messages')}>
              <Badge count={unread} size="small"><Button type="text" icon={<BellOutlined />} /></Badge>
            </Link>
            <LangSwitch dark={false} />
            <Dropdown
              menu={{
                items: [
                  ...(actor?.roles ?? []).map((r) => ({ key: `r-${r.role}`, label: lang === 'en' ? ROLE_LABELS[r.role].en : ROLE_LABELS[r.role].zh, disabled: true })),
                  { type: 'divider' as const },
                  { key: 'portal', label: t('nav.home'), onClick: () => navigate('/') },
                  { key: 'settings', label: t('menu.settings'), onClick: () => navigate('/workbench/settings') },
                  { key: 'logout', label: t('nav.logout'), onClick: () => void logout().then(() => navigate('/')), danger: true },
                ],
              }}
            >
              <Button type="text" icon={<UserOutlined />} data-testid="workbench-account">
                {screens.sm ? actor?.displayName : null}
              </Button>
            </Dropdown>
          </Space>
        </Layout.Header>
        <Layout.Content className="yw-wb-content">
          <Outlet />
        </Layout.Content>
      </Layout>
    </Layout>
  );
}

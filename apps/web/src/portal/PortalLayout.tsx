import { useState } from 'react';
import { Link, Outlet, useLocation, useNavigate } from 'react-router';
import { Button, Drawer, Dropdown, Grid, Menu } from 'antd';
import { GlobalOutlined, MenuOutlined, UserOutlined } from '@ant-design/icons';
import { useI18n } from '../lib/i18n/I18nProvider';
import { useAuth } from '../lib/auth/AuthProvider';
import type { DictKey } from '../lib/i18n/dict';
import { formatDate } from '../lib/format';

const NAV: { key: string; path: string; label: DictKey }[] = [
  { key: 'home', path: '/', label: 'nav.home' },
  { key: 'announcements', path: '/announcements', label: 'nav.announcements' },
  { key: 'catalog', path: '/catalog', label: 'nav.catalog' },
  { key: 'stats', path: '/stats', label: 'nav.stats' },
  { key: 'verify', path: '/verify', label: 'nav.verify' },
];

function activeKey(pathname: string): string {
  const hit = NAV.filter((n) => n.path !== '/' && pathname.startsWith(n.path));
  return hit[0]?.key ?? (pathname === '/' ? 'home' : '');
}

export function Logo({ compact = false }: { compact?: boolean }) {
  const { t } = useI18n();
  return (
    <Link to="/" className="yw-logo" data-testid="logo">
      <span className="yw-logo-mark" aria-hidden>网</span>
      <span className="yw-logo-text">
        <b>{t('app.name')}</b>
        {!compact && <small>{t('app.subtitle')}</small>}
      </span>
    </Link>
  );
}

export function LangSwitch({ dark = true }: { dark?: boolean }) {
  const { lang, setLang, t } = useI18n();
  return (
    <Button
      type={dark ? 'text' : 'default'}
      icon={<GlobalOutlined />}
      onClick={() => setLang(lang === 'en' ? 'zh-CN' : 'en')}
      data-testid="lang-switch"
      aria-label={lang === 'en' ? '切换到中文' : 'Switch to English'}
    >
      {t('lang.switch')}
    </Button>
  );
}

function AccountButton() {
  const { t } = useI18n();
  const { actor, logout } = useAuth();
  const navigate = useNavigate();
  if (!actor) {
    return (
      <Link to="/login" data-testid="nav-login">
        <Button type="primary" style={{ background: '#c0392b' }} icon={<UserOutlined />}>
          {t('nav.login')}
        </Button>
      </Link>
    );
  }
  return (
    <Dropdown
      menu={{
        items: [
          { key: 'wb', label: t('nav.workbench'), onClick: () => navigate('/workbench') },
          { key: 'out', label: t('nav.logout'), onClick: () => void logout().then(() => navigate('/')) },
        ],
      }}
    >
      <Button type="text" icon={<UserOutlined />} data-testid="nav-account">
        {actor.displayName}
      </Button>
    </Dropdown>
  );
}

export function PortalLayout() {
  const { t, lang } = useI18n();
  const screens = Grid.useBreakpoint();
  const narrow = !screens.md;
  const [open, setOpen] = useState(false);
  const { pathname } = useLocation();
  const navigate = useNavigate();
  const items = NAV.map((n) => ({ key: n.key, label: <Link to={n.path} data-testid={`nav-${n.key}`}>{t(n.label)}</Link> }));
  const selected = activeKey(pathname);

  return (
    <div style={{ minHeight: '100vh', display: 'flex', flexDirection: 'column' }}>
      <div className="yw-topstrip">
        <div className="yw-container" style={{ display: 'flex', justifyContent: 'space-between' }}>
          <span>{t('app.name')} · {t('app.subtitle')}</span>
          <span>{formatDate(new Date())} {lang === 'en' ? 'Beijing time (UTC+8)' : '北京时间'}</span>
        </div>
      </div>
      <header className="yw-header">
        <div className="yw-container yw-header-inner">
          <Logo compact={narrow} />
          {!narrow && <Menu className="yw-nav" mode="horizontal" theme="dark" selectedKeys={[selected]} items={items} disabledOverflow />}
          <div className="yw-header-actions">
            <LangSwitch />
            {!narrow && <AccountButton />}
            {narrow && (
              <Button type="text" icon={<MenuOutlined />} onClick={() => setOpen(true)} aria-label={t('nav.menu')} data-testid="nav-drawer-toggle" />
            )}
          </div>
        </div>
      </header>
      <Drawer open={open} onClose={() => setOpen(false)} title={t('app.name')} placement="right" size={280} data-testid="nav-drawer">
        <Menu
          mode="inline"
          selectedKeys={[selected]}
          items={NAV.map((n) => ({ key: n.key, label: t(n.label), 'data-testid': `drawer-nav-${n.key}` }))}
          onClick={({ key }) => {
            const n = NAV.find((x) => x.key === key);
            setOpen(false);
            if (n) navigate(n.path);
          }}
          style={{ borderInlineEnd: 'none' }}
        />
        <div style={{ padding: 16 }} onClick={() => setOpen(false)}>
          <AccountButton />
        </div>
      </Drawer>
      <main style={{ flex: 1 }}>
        <Outlet />
      </main>
      <footer className="yw-footer">
        <div className="yw-container">{t('app.footer')}</div>
      </footer>
    </div>
  );
}

import { lazy, Suspense, useEffect, type ReactNode } from 'react';
import { createBrowserRouter, Outlet, RouterProvider, useLocation, useNavigate } from 'react-router';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { App as AntApp, ConfigProvider, Spin } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import enUS from 'antd/locale/en_US';
import { I18nProvider, useI18n } from './lib/i18n/I18nProvider';
import { AuthProvider } from './lib/auth/AuthProvider';
import { setUnauthenticatedHandler } from './lib/api';
import { ApiError } from './lib/problem';
import { PortalLayout } from './portal/PortalLayout';
import { HomePage } from './portal/HomePage';
import { NotFound } from './components/Results';

// Everything but the portal home is loaded on demand: the first visit downloads the least.
const AnnouncementListPage = lazy(() => import('./portal/AnnouncementListPage'));
const AnnouncementDetailPage = lazy(() => import('./portal/AnnouncementDetailPage'));
const CatalogPage = lazy(() => import('./portal/CatalogPage'));
const StatsPage = lazy(() => import('./portal/StatsPage'));
const VerifyPage = lazy(() => import('./portal/VerifyPage'));
const DrawVerifyPage = lazy(() => import('./portal/DrawVerifyPage'));
const LoginPage = lazy(() => import('./portal/LoginPage'));
const PublicTenderPage = lazy(() => import('./features/bidding/PublicTenderPage'));
const PublicAuctionPage = lazy(() => import('./features/auctions/PublicAuctionPage'));
const WorkbenchRoutes = lazy(() => import('./workbench/WorkbenchRoutes'));

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 30_000,
      refetchOnWindowFocus: false,
      // Retrying a 4xx never helps; retry network and server errors once.
      retry: (count, err) => count < 1 && !(err instanceof ApiError && err.status >= 400 && err.status < 500),
    },
  },
});

function Lazy({ children }: { children: ReactNode }) {
  return <Suspense fallback={<div style={{ padding: 48, textAlign: 'center' }}><Spin /></div>}>{children}</Suspense>;
}

/** Sends the user to the login page when the server says the session is gone (or needs its second factor). */
function Root() {
  const navigate = useNavigate();
  const location = useLocation();
  useEffect(() => {
    setUnauthenticatedHandler((code) => {
      queryClient.setQueryData(['auth', 'me'], null);
      const next = encodeURIComponent(location.pathname + location.search);
      navigate(`/login?next=${next}${code === 'SECOND_FACTOR_REQUIRED' ? '&step=totp' : '&expired=1'}`, { replace: true });
    });
    return () => setUnauthenticatedHandler(null);
  }, [navigate, location.pathname, location.search]);
  return <Outlet />;
}

const router = createBrowserRouter([
  {
    element: <Root />,
    children: [
      {
        element: <PortalLayout />,
        children: [
          { index: true, element: <HomePage /> },
          { path: 'announcements', element: <Lazy><AnnouncementListPage /></Lazy> },
          { path: 'announcements/:id', element: <Lazy><AnnouncementDetailPage /></Lazy> },
          { path: 'catalog', element: <Lazy><CatalogPage /></Lazy> },
          { path: 'tenders/:id', element: <Lazy><PublicTenderPage /></Lazy> },
          { path: 'auctions/:id', element: <Lazy><PublicAuctionPage /></Lazy> },
          { path: 'stats', element: <Lazy><StatsPage /></Lazy> },
          { path: 'verify/draw/:id?', element: <Lazy><DrawVerifyPage /></Lazy> },
          { path: 'verify/*', element: <Lazy><VerifyPage /></Lazy> },
          { path: 'login', element: <Lazy><LoginPage /></Lazy> },
          { path: '*', element: <NotFound /> },
        ],
      },
      { path: 'workbench/*', element: <Lazy><WorkbenchRoutes /></Lazy> },
    ],
  },
]);

function Themed() {
  const { lang } = useI18n();
  return (
    <ConfigProvider
      locale={lang === 'en' ? enUS : zhCN}
      theme={{
        token: {
          colorPrimary: '#1d5bb0',
          colorLink: '#1d5bb0',
          borderRadius: 4,
          fontFamily: 'var(--yw-font)',
        },
        components: { Layout: { headerBg: '#0d3b78', siderBg: '#0f2f5c' } },
      }}
    >
      <AntApp>
        <AuthProvider>
          <RouterProvider router={router} />
        </AuthProvider>
      </AntApp>
    </ConfigProvider>
  );
}

export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <I18nProvider>
        <Themed />
      </I18nProvider>
    </QueryClientProvider>
  );
}

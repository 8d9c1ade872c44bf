import { lazy, Suspense, type ReactNode } from 'react';
import { Navigate, Route, Routes, useLocation } from 'react-router';
import { Spin } from 'antd';
import { useAuth } from '../lib/auth/AuthProvider';
import { WorkbenchLayout } from './WorkbenchLayout';
import { RoleHome, SoonPage } from './RoleHome';
import { mayOpen } from './menu';
import { Forbidden, NotFound } from '../components/Results';

const ProjectListPage = lazy(() => import('../features/projects/ProjectListPage'));
const ProjectFormPage = lazy(() => import('../features/projects/ProjectFormPage'));
const ProjectDetailPage = lazy(() => import('../features/projects/ProjectDetailPage'));
const IntakeQueuePage = lazy(() => import('../features/intake/IntakeQueuePage'));
const AnnouncementWorkList = lazy(() => import('../features/announcements/AnnouncementWorkList'));
const AnnouncementEditor = lazy(() => import('../features/announcements/AnnouncementEditor'));
const ReviewQueuePage = lazy(() => import('../features/announcements/ReviewQueuePage'));
const CatalogAdminPage = lazy(() => import('../features/admin/CatalogAdminPage'));
const CalendarPage = lazy(() => import('../features/admin/CalendarPage'));
const AccountsPage = lazy(() => import('../features/admin/AccountsPage'));
const MessagesPage = lazy(() => import('../features/account/MessagesPage'));
const SettingsPage = lazy(() => import('../features/account/SettingsPage'));
const BidTenderListPage = lazy(() => import('../features/bidding/BidTenderListPage'));
const BidKeysPage = lazy(() => import('../features/bidding/BidKeysPage'));
const BidTenderPage = lazy(() => import('../features/bidding/BidTenderPage'));
const BidSubmitPage = lazy(() => import('../features/bidding/BidSubmitPage'));
const OpeningRoomPage = lazy(() => import('../features/bidding/OpeningRoomPage'));
const SupplierNegotiationPage = lazy(() => import('../features/negotiation/SupplierNegotiationPage'));
const BidResultPage = lazy(() => import('../features/bidding/BidResultPage'));
const TenderListPage = lazy(() => import('../features/tendering/TenderListPage'));
const TenderFormPage = lazy(() => import('../features/tendering/TenderFormPage'));
const TenderDetailPage = lazy(() => import('../features/tendering/TenderDetailPage'));
const RefundsPage = lazy(() => import('../features/tendering/RefundsPage'));
const CustodyPage = lazy(() => import('../features/tendering/CustodyPage'));
const ExpertPage = lazy(() => import('../features/experts/ExpertPage'));
const ExpertReviewListPage = lazy(() => import('../features/experts/ExpertReviewListPage'));
const ExpertReviewPage = lazy(() => import('../features/experts/ExpertReviewPage'));
const EvalInvitationsPage = lazy(() => import('../features/evaluation/InvitationsPage'));
const EvalWorkspacePage = lazy(() => import('../features/evaluation/WorkspacePage'));
const AuctionHallPage = lazy(() => import('../features/auctions/AuctionHallPage'));
const AuctionFormPage = lazy(() => import('../features/auctions/AuctionFormPage'));
const AuctionManagePage = lazy(() => import('../features/auctions/AuctionManagePage'));
const AuctionRoomPage = lazy(() => import('../features/auctions/AuctionRoomPage'));

/** Renders a page only for roles whose menu includes `menuKey`; the server enforces the same on every call. */
function Guard({ menuKey, children }: { menuKey: string; children: ReactNode }) {
  const { roles } = useAuth();
  if (!mayOpen(roles, menuKey)) return <Forbidden />;
  return <Suspense fallback={<div style={{ padding: 48, textAlign: 'center' }}><Spin /></div>}>{children}</Suspense>;
}

export default function WorkbenchRoutes() {
  const { actor, loading, pending } = useAuth();
  const location = useLocation();
  if (loading) return <div style={{ padding: 96, textAlign: 'center' }}><Spin size="large" /></div>;
  if (!actor) {
    const next = encodeURIComponent(location.pathname + location.search);
    return <Navigate to={`/login?next=${next}${pending ? '&step=totp' : ''}`} replace />;
  }
  return (
    <Routes>
      <Route element={<WorkbenchLayout />}>
        <Route index element={<RoleHome />} />
        <Route path="projects" element={<Guard menuKey="projects"><ProjectListPage /></Guard>} />
        <Route path="projects/new" element={<Guard menuKey="projects"><ProjectFormPage /></Guard>} />
        <Route path="projects/:id/edit" element={<Guard menuKey="projects"><ProjectFormPage /></Guard>} />
        <Route path="projects/:id" element={<Guard menuKey="projects"><ProjectDetailPage /></Guard>} />
        <Route path="intake" element={<Guard menuKey="intake"><IntakeQueuePage /></Guard>} />
        <Route path="intake/:id" element={<Guard menuKey="intake"><ProjectDetailPage intake /></Guard>} />
        <Route path="announcements" element={<Guard menuKey="announcements"><AnnouncementWorkList /></Guard>} />
        <Route path="announcements/new" element={<Guard menuKey="announcements"><AnnouncementEditor /></Guard>} />
        <Route path="announcements/:id" element={<Guard menuKey="announcements"><AnnouncementEditor /></Guard>} />
        <Route path="announcement-review" element={<Guard menuKey="announcement-review"><ReviewQueuePage /></Guard>} />
        <Route path="catalog" element={<Guard menuKey="catalog"><CatalogAdminPage /></Guard>} />
        <Route path="calendar" element={<Guard menuKey="calendar"><CalendarPage /></Guard>} />
        <Route path="accounts" element={<Guard menuKey="accounts"><AccountsPage /></Guard>} />
        <Route path="tenders" element={<Guard menuKey="tenders"><TenderListPage /></Guard>} />
        <Route path="tenders/new" element={<Guard menuKey="tenders"><TenderFormPage /></Guard>} />
        <Route path="tenders/:id/edit" element={<Guard menuKey="tenders"><TenderFormPage /></Guard>} />
        <Route path="tenders/:id" element={<Guard menuKey="tenders"><TenderDetailPage /></Guard>} />
        <Route path="refunds" element={<Guard menuKey="refunds"><RefundsPage /></Guard>} />
        <Route path="custody" element={<Guard menuKey="custody"><CustodyPage /></Guard>} />
        <Route path="expert" element={<Guard menuKey="expert"><ExpertPage /></Guard>} />
        <Route path="expert-review" element={<Guard menuKey="expert-review"><ExpertReviewListPage /></Guard>} />
        <Route path="expert-review/:id" element={<Guard menuKey="expert-review"><ExpertReviewPage /></Guard>} />
        <Route path="evaluations" element={<Guard menuKey="evaluations"><EvalInvitationsPage /></Guard>} />
        {/* Committee members include the tenderer's representative (not an expert): the server decides membership. */}
        <Route path="evaluations/lots/:lotId" element={<Suspense fallback={<Spin />}><EvalWorkspacePage /></Suspense>} />
        <Route path="auctions" element={<Guard menuKey="auctions"><AuctionHallPage /></Guard>} />
        <Route path="auctions/new" element={<Guard menuKey="auctions"><AuctionFormPage /></Guard>} />
        <Route path="auctions/:id/manage" element={<Guard menuKey="auctions"><AuctionManagePage /></Guard>} />
        <Route path="auctions/:id" element={<Guard menuKey="auctions"><AuctionRoomPage /></Guard>} />
        <Route path="bids" element={<Guard menuKey="bids"><BidTenderListPage /></Guard>} />
        <Route path="bids/keys" element={<Guard menuKey="bids"><BidKeysPage /></Guard>} />
        <Route path="bids/:id" element={<Guard menuKey="bids"><BidTenderPage /></Guard>} />
        <Route path="bids/:tenderId/lots/:lotNo/submit" element={<Guard menuKey="bids"><BidSubmitPage /></Guard>} />
        <Route path="bids/:tenderId/lots/:lotNo/opening" element={<Guard menuKey="bids"><OpeningRoomPage /></Guard>} />
        <Route path="bids/:tenderId/lots/:lotNo/negotiation" element={<Guard menuKey="bids"><SupplierNegotiationPage /></Guard>} />
        <Route path="bids/:tenderId/lots/:lotNo/result" element={<Guard menuKey="bids"><BidResultPage /></Guard>} />
        <Route path="messages" element={<Guard menuKey="messages"><MessagesPage /></Guard>} />
        <Route path="settings" element={<Guard menuKey="settings"><SettingsPage /></Guard>} />
        <Route path="soon/:key" element={<SoonPage />} />
        <Route path="*" element={<NotFound />} />
      </Route>
    </Routes>
  );
}

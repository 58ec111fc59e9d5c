import { lazy, Suspense, type ReactNode } from 'react';
import { createBrowserRouter, Navigate, RouterProvider, useLocation } from 'react-router';
import type { Role } from './api/types';
import { homeOf, PLANNERS, RESPONDERS, STAFF, useSession } from './auth/session';
import { Loading } from './components/loading';
import { LoginPage } from './pages/login-page';
import { ForgotPasswordPage, ResetPasswordPage } from './pages/password-reset-pages';
import { NotFoundPage } from './pages/not-found-page';

// Every screen is its own chunk, and so is the frame around them: the login screen (the first screen
// of most visits) loads without the navigation, the board, the planner or the charts.
const AppLayout = lazy(() => import('./layout/app-layout').then((m) => ({ default: m.AppLayout })));
const MyPagesPage = lazy(() => import('./pages/my-pages-page'));
const IncidentPage = lazy(() => import('./pages/incident-page'));
const BoardPage = lazy(() => import('./pages/board-page'));
const PlannerPage = lazy(() => import('./pages/planner-page'));
const PortalPage = lazy(() => import('./pages/portal-page'));
const PortalContactsPage = lazy(() => import('./pages/portal-contacts-page'));
const CustomersPage = lazy(() => import('./pages/customers-page'));
const CustomerPage = lazy(() => import('./pages/customer-page'));
const ReportsPage = lazy(() => import('./pages/reports-page'));
const BillingPage = lazy(() => import('./pages/billing-page'));
const AccountPage = lazy(() => import('./pages/account-page'));
const AuditPage = lazy(() => import('./pages/audit-page'));
const ConsentLinkPage = lazy(() => import('./pages/consent-link-page'));

function RequireLogin({ children }: { children: ReactNode }) {
  const { me, ready } = useSession();
  const location = useLocation();
  if (!ready) return <Loading />;
  if (!me) return <Navigate to={`/login?next=${encodeURIComponent(location.pathname)}`} replace />;
  // Staff who must turn on two-factor login first: the server refuses everything else until they do.
  if (me.totpEnrolmentRequired && location.pathname !== '/account') return <Navigate to="/account" replace />;
  return children;
}

function RequireRole({ roles, children }: { roles: readonly Role[]; children: ReactNode }) {
  const { me } = useSession();
  if (!me || !roles.includes(me.role)) return <NotFoundPage />;
  return children;
}

function Home() {
  const { me } = useSession();
  return me ? <Navigate to={homeOf(me.role)} replace /> : <Navigate to="/login" replace />;
}

const router = createBrowserRouter([
  { path: '/login', element: <LoginPage /> },
  { path: '/forgot-password', element: <ForgotPasswordPage /> },
  { path: '/reset-password', element: <ResetPasswordPage /> },
  {
    path: '/consent/:token',
    element: (
      <Suspense fallback={<Loading />}>
        <ConsentLinkPage />
      </Suspense>
    ),
  },
  {
    element: (
      <RequireLogin>
        <Suspense fallback={<Loading />}>
          <AppLayout />
        </Suspense>
      </RequireLogin>
    ),
    children: [
      { path: '/', element: <Home /> },
      {
        path: '/my',
        element: (
          <RequireRole roles={RESPONDERS}>
            <MyPagesPage />
          </RequireRole>
        ),
      },
      { path: '/incidents/:id', element: <IncidentPage /> },
      {
        path: '/board',
        element: (
          <RequireRole roles={RESPONDERS}>
            <BoardPage />
          </RequireRole>
        ),
      },
      {
        path: '/planner',
        element: (
          <RequireRole roles={RESPONDERS}>
            <PlannerPage />
          </RequireRole>
        ),
      },
      {
        path: '/portal',
        element: (
          <RequireRole roles={['customer']}>
            <PortalPage />
          </RequireRole>
        ),
      },
      {
        path: '/portal/contacts',
        element: (
          <RequireRole roles={['customer']}>
            <PortalContactsPage />
          </RequireRole>
        ),
      },
      {
        path: '/customers',
        element: (
          <RequireRole roles={PLANNERS}>
            <CustomersPage />
          </RequireRole>
        ),
      },
      {
        path: '/customers/:id',
        element: (
          <RequireRole roles={PLANNERS}>
            <CustomerPage />
          </RequireRole>
        ),
      },
      {
        path: '/reports',
        element: (
          <RequireRole roles={['admin', 'manager', 'billing', 'customer']}>
            <ReportsPage />
          </RequireRole>
        ),
      },
      {
        path: '/billing',
        element: (
          <RequireRole roles={['admin', 'billing']}>
            <BillingPage />
          </RequireRole>
        ),
      },
      {
        path: '/portal/invoices',
        element: (
          <RequireRole roles={['customer']}>
            <BillingPage />
          </RequireRole>
        ),
      },
      {
        path: '/audit',
        element: (
          <RequireRole roles={['admin']}>
            <AuditPage />
          </RequireRole>
        ),
      },
      {
        path: '/account',
        element: (
          <RequireRole roles={[...STAFF, 'customer']}>
            <AccountPage />
          </RequireRole>
        ),
      },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
]);

export function AppRouter() {
  return <RouterProvider router={router} />;
}

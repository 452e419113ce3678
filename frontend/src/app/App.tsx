import { lazy, Suspense, useEffect } from 'react';
import { QueryClient, QueryClientProvider, useQuery, useQueryClient } from '@tanstack/react-query';
import { createBrowserRouter, Navigate, Outlet, RouterProvider, useLocation, useNavigate } from 'react-router-dom';
import { ApiError, onSessionEnd } from '../lib/api';
import { MeProvider } from '../lib/auth';
import { LiveQueries } from '../lib/live';
import { ErrorBox, Loading } from '../components/States';
import { authApi } from '../features/auth/api';
import { LoginPage, SetupPage } from '../features/auth/pages';
import { FleetPage } from '../features/fleet';
import { prefetchDashboard } from '../features/fleet/api';
import { IncidentPage, IncidentsPage } from '../features/incidents';
import { ActionsPage } from '../features/actions';
import { Layout } from './Layout';

// The host page and the reports (uPlot), the rule editor (CodeMirror, uPlot) and the admin pages load on demand:
// not part of the dashboard's JS.
const HostPage = lazy(() => import('../features/hosts').then((m) => ({ default: m.HostPage })));
const RulesPage = lazy(() => import('../features/rules'));
const ReportsPage = lazy(() => import('../features/reports'));
const AdminPage = lazy(() => import('../features/admin'));

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 30_000,
      refetchOnWindowFocus: false,
      retry: (count, error) => !(error instanceof ApiError && error.status >= 400 && error.status < 500) && count < 2,
    },
  },
});

if (window.location.pathname === '/') prefetchDashboard(queryClient);

/** Pages behind a login: who is logged in, or off to setup (no user yet) or login (and back afterwards). */
function Authenticated() {
  const me = useQuery({ queryKey: ['me'], queryFn: authApi.me, staleTime: Infinity });
  const unauthenticated = me.error instanceof ApiError && me.error.status === 401;
  const setup = useQuery({ queryKey: ['setup'], queryFn: authApi.setupNeeded, enabled: unauthenticated });
  const location = useLocation();
  const navigate = useNavigate();
  const client = useQueryClient();
  useEffect(
    () =>
      onSessionEnd(() => {
        client.clear();
        navigate(`/login?next=${encodeURIComponent(window.location.pathname + window.location.search)}`, {
          replace: true,
        });
      }),
    [client, navigate],
  );
  if (me.data) {
    return (
      <MeProvider me={me.data}>
        <LiveQueries />
        <Layout>
          <Suspense fallback={<Loading />}>
            <Outlet />
          </Suspense>
        </Layout>
      </MeProvider>
    );
  }
  if (unauthenticated && setup.data) {
    const next = encodeURIComponent(location.pathname + location.search);
    return <Navigate to={setup.data.needed ? '/setup' : `/login?next=${next}`} replace />;
  }
  if (me.error && !unauthenticated) return <ErrorBox error={me.error} />;
  if (setup.error) return <ErrorBox error={setup.error} />;
  return <Loading />;
}

const router = createBrowserRouter([
  { path: '/login', element: <LoginPage /> },
  { path: '/setup', element: <SetupPage /> },
  {
    element: <Authenticated />,
    children: [
      { path: '/', element: <FleetPage /> },
      { path: '/hosts/:id', element: <HostPage /> },
      { path: '/incidents', element: <IncidentsPage /> },
      { path: '/incidents/:id', element: <IncidentPage /> },
      { path: '/actions', element: <ActionsPage /> },
      { path: '/rules/*', element: <RulesPage /> },
      { path: '/reports/*', element: <ReportsPage /> },
      { path: '/admin/*', element: <AdminPage /> },
      { path: '*', element: <ErrorBox error={new Error('No such page.')} /> },
    ],
  },
]);

export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <RouterProvider router={router} />
    </QueryClientProvider>
  );
}

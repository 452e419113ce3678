import { useMemo } from 'react';
import { Link } from 'react-router-dom';
import { Empty, ErrorBox, Loading } from '../../components/States';
import { Can, useCan } from '../../lib/auth';
import { useHosts } from '../../lib/hosts';
import { useFleet, useMaintenance, useWarnings } from './api';
import { joinRows } from './grid';
import { Filters, HostGrid } from './HostGrid';
import { useFleetLive } from './live';
import { Summary } from './Summary';
import './styles.css';

export function FleetPage() {
  return (
    <div className="fleet">
      <h1>Fleet</h1>
      <Summary />
      <FleetGrid />
    </div>
  );
}

function FleetGrid() {
  const hosts = useHosts();
  const fleet = useFleet();
  const warnings = useWarnings();
  const maintenance = useMaintenance();
  const fresh = useFleetLive();
  const rows = useMemo(
    () => (hosts.data ? joinRows(hosts.data, fleet.data, warnings.data, maintenance.data) : []),
    [hosts.data, fleet.data, warnings.data, maintenance.data],
  );
  if (hosts.isPending) return <Loading what="Loading the hosts" />;
  if (hosts.error) return <ErrorBox error={hosts.error} />;
  if (hosts.data.length === 0) return <NoHosts />;
  return (
    <section aria-label="Host list" className="fleet-grid">
      <Filters rows={rows} />
      {fleet.error && <ErrorBox error={fleet.error} />}
      {warnings.error && <ErrorBox error={warnings.error} />}
      <HostGrid rows={rows} fresh={fresh} />
    </section>
  );
}

function NoHosts() {
  const admin = useCan('admin');
  return (
    <div className="card fleet-empty">
      <Empty>No host is registered yet.</Empty>
      <p>
        To watch a host, install the Vigil agent on it (the agent's guide, <code>docs/agent.md</code>, shows the
        systemd unit and its read token), then register the host with the agent's URL and that token.
      </p>
      <Can least="admin">
        <p>
          <Link to="/admin/hosts">Add a host</Link>
        </p>
      </Can>
      {!admin && <p>Registering hosts needs the admin role: ask an admin to add one.</p>}
    </div>
  );
}

import { Empty } from '../../components/States';
import { bytes, duration, percent } from '../../lib/format';
import type { Snapshot } from './api';

type Process = NonNullable<Snapshot['processes']>['top'][number];

/** The snapshot lists the top processes by CPU and by memory: one list, each process once, busiest first. */
export function topProcesses(snapshot: Snapshot): Process[] {
  const seen = new Map<number, Process>();
  for (const p of snapshot.processes?.top ?? []) if (!seen.has(p.pid)) seen.set(p.pid, p);
  return [...seen.values()].sort((a, b) => b.cpu_percent - a.cpu_percent || b.rss - a.rss);
}

export function LatestPanels({ snapshot }: { snapshot: Snapshot | null }) {
  if (!snapshot) return <Empty>No snapshot yet: the host has not answered a poll.</Empty>;
  const services = snapshot.services ?? [];
  const probes = snapshot.probes ?? [];
  const disks = snapshot.disk_usage ?? [];
  const health = snapshot.disk_health ?? [];
  const processes = topProcesses(snapshot);
  return (
    <div className="latest">
      <section aria-labelledby="services-h" className="card">
        <h2 id="services-h">Services</h2>
        {services.length === 0 ? (
          <Empty>No watched service.</Empty>
        ) : (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Unit</th>
                  <th scope="col">State</th>
                  <th scope="col">Sub-state</th>
                  <th scope="col">Loaded</th>
                </tr>
              </thead>
              <tbody>
                {services.map((s) => (
                  <tr key={s.unit}>
                    <td>{s.unit}</td>
                    <td className={s.active_state === 'active' ? 'status-up' : s.active_state === 'failed' ? 'status-down' : undefined}>
                      {s.active_state}
                    </td>
                    <td>{s.sub_state}</td>
                    <td>{s.load_state}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <h3>Probes</h3>
        {probes.length === 0 ? (
          <Empty>No probe configured.</Empty>
        ) : (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Probe</th>
                  <th scope="col">Unit</th>
                  <th scope="col">Result</th>
                  <th scope="col">Latency</th>
                  <th scope="col">Failures in a row</th>
                </tr>
              </thead>
              <tbody>
                {probes.map((p) => (
                  <tr key={p.name}>
                    <td title={p.target}>{p.name}</td>
                    <td>{p.unit}</td>
                    <td className={p.ok ? 'status-up' : 'status-down'}>{p.ok ? 'ok' : `failing: ${p.error ?? 'error'}`}</td>
                    <td>{p.latency_ms.toFixed(1)} ms</td>
                    <td>{p.consecutive_failures}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section aria-labelledby="processes-h" className="card">
        <h2 id="processes-h">Top processes</h2>
        {processes.length === 0 ? (
          <Empty>No process reported.</Empty>
        ) : (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">PID</th>
                  <th scope="col" className="num">
                    CPU
                  </th>
                  <th scope="col" className="num">
                    Memory
                  </th>
                  <th scope="col">User</th>
                </tr>
              </thead>
              <tbody>
                {processes.map((p) => (
                  <tr key={p.pid}>
                    <td>{p.name}</td>
                    <td>{p.pid}</td>
                    <td className="num">{percent(p.cpu_percent)}</td>
                    <td className="num" title={`${percent(p.memory_percent)} of memory`}>
                      {bytes(p.rss)}
                    </td>
                    <td>{p.username ?? ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {snapshot.processes && <p className="muted">{snapshot.processes.total} processes in all.</p>}
      </section>

      <section aria-labelledby="disks-h" className="card">
        <h2 id="disks-h">Disks</h2>
        {disks.length === 0 ? (
          <Empty>No filesystem reported.</Empty>
        ) : (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Mount</th>
                  <th scope="col">Device</th>
                  <th scope="col" className="num">
                    Used
                  </th>
                  <th scope="col" className="num">
                    Size
                  </th>
                </tr>
              </thead>
              <tbody>
                {disks.map((d) => (
                  <tr key={d.mountpoint}>
                    <td>{d.mountpoint}</td>
                    <td>
                      {d.device} <span className="muted">{d.fstype}</span>
                    </td>
                    <td className="num">
                      <meter min={0} max={100} low={80} high={90} optimum={0} value={d.percent} aria-label={`${d.mountpoint} used`} />{' '}
                      {percent(d.percent)}
                    </td>
                    <td className="num">{bytes(d.total)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <h3>SMART health</h3>
        {health.length === 0 ? (
          <Empty>No SMART report (the agent's SMART checks are off or found no disk).</Empty>
        ) : (
          <ul className="smart">
            {health.map((h) => (
              <li key={h.device}>
                {h.device}: <span className={h.passed ? 'status-up' : 'status-down'}>{h.passed ? 'passed' : 'FAILED'}</span>
                {h.status && <span className="muted"> ({h.status})</span>}
              </li>
            ))}
          </ul>
        )}
        {snapshot.uptime_seconds !== undefined && <p className="muted">Up for {duration(snapshot.uptime_seconds)}.</p>}
      </section>
    </div>
  );
}

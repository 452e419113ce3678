import { useCallback, useMemo, useState } from 'react';
import { useParams, useSearchParams } from 'react-router-dom';
import { ErrorBox, Loading } from '../../components/States';
import { useServerEvents } from '../../lib/live';
import { useHost, useLatest, useMetrics, useTimeline } from './api';
import { Charts } from './Charts';
import { HostHeader } from './HostHeader';
import { LatestPanels } from './LatestPanels';
import { RangeBar } from './RangeBar';
import { bounds, readRange, writeRange, type Preset } from './series';
import { Timeline } from './Timeline';
import './styles.css';

export function HostPage() {
  const { id: raw } = useParams();
  const id = Number(raw);
  if (!Number.isInteger(id) || id < 1) return <ErrorBox error={new Error(`No host ${raw}.`)} />;
  return <HostView key={id} id={id} />;
}

function HostView({ id }: { id: number }) {
  const host = useHost(id);
  const latest = useLatest(id, host.data?.effective_interval_seconds);
  const [params, setParams] = useSearchParams();
  const range = readRange(params);
  const metrics = useMetrics(id, range, host.data?.effective_interval_seconds);
  const timeline = useTimeline(id, range);
  const [liveAt, setLiveAt] = useState<string | null>(null);

  useServerEvents((event) => {
    if (event.type !== 'samples' || !Array.isArray(event.data.samples)) return;
    for (const s of event.data.samples as { host_id?: number; at?: string }[]) {
      if (s?.host_id === id && typeof s.at === 'string') setLiveAt(s.at);
    }
  });

  const onPreset = useCallback(
    (preset: Preset) => setParams((current) => writeRange(current, { preset })),
    [setParams],
  );
  const onCustom = useCallback(
    (from: number, to: number) => setParams((current) => writeRange(current, { from, to })),
    [setParams],
  );
  // the custom inputs show the range's bounds as it was chosen, not sliding with each render
  const shown = useMemo(() => bounds(range, Date.now()), [range.key]);

  if (host.isPending) return <Loading what="Loading the host" />;
  if (host.error) return <ErrorBox error={host.error} />;

  const snapshot = latest.data?.snapshot ?? null;
  const fromSnapshot = snapshot?.collected_at ?? latest.data?.received_at ?? null;
  const lastSample = [liveAt, fromSnapshot].filter((t): t is string => !!t).sort().at(-1) ?? null;
  const fullest = snapshot?.disk_usage?.reduce<{ mountpoint: string; percent: number } | undefined>(
    (worst, d) => (!worst || d.percent > worst.percent ? d : worst),
    undefined,
  )?.mountpoint;

  return (
    <div className="host-page">
      <HostHeader host={host.data} latest={latest.data} lastSample={lastSample} />
      <section aria-labelledby="charts-h">
        <h2 id="charts-h">History</h2>
        <RangeBar range={range} shown={shown} onPreset={onPreset} onCustom={onCustom} />
        <p className="muted hint">Drag across a chart to zoom in; keys 1–5 pick the ranges.</p>
        <Charts metrics={metrics} fullestMount={fullest} onZoom={onCustom} />
      </section>
      <section aria-labelledby="now-h">
        <h2 id="now-h">Now</h2>
        {latest.isPending ? (
          <Loading what="Loading the latest snapshot" />
        ) : latest.error ? (
          <ErrorBox error={latest.error} />
        ) : (
          <LatestPanels snapshot={snapshot} />
        )}
      </section>
      <section aria-labelledby="timeline-h">
        <h2 id="timeline-h">Incidents and actions</h2>
        <Timeline query={timeline} />
      </section>
    </div>
  );
}

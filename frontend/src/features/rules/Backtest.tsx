import { useMemo, useState, type FormEvent } from 'react';
import type uPlot from 'uplot';
import { ErrorBox, Empty, Loading, QueryView } from '../../components/States';
import { Time } from '../../components/Time';
import { toLocalInput } from '../../lib/filters';
import { useHosts } from '../../lib/hosts';
import { cssColor, UPlotChart } from '../../components/UPlotChart';
import { refusedProblems, useBacktest, useHostMetrics, type BacktestResult, type Problem } from './api';
import { cpuSeries, firings, markerHook, type Firing } from './timeline';

const DAY = 24 * 3600 * 1000;
const MAX_DAYS = 7;

/**
 * Replays a host's stored history through the rules with this file as it is in the editor: what would have
 * fired, as a list and over the host's CPU. Nothing changes on the server.
 */
export function BacktestPanel({
  file,
  content,
  onProblems,
}: {
  file: string;
  content: () => string;
  onProblems: (problems: Problem[]) => void;
}) {
  const hosts = useHosts();
  const backtest = useBacktest();
  const [host, setHost] = useState('');
  const [range, setRange] = useState(() => {
    const now = Date.now();
    return { from: toLocalInput(now - DAY), to: toLocalInput(now) };
  });
  const [invalid, setInvalid] = useState<string | null>(null);

  const run = (event: FormEvent) => {
    event.preventDefault();
    const from = new Date(range.from);
    const to = new Date(range.to);
    if (!host) return setInvalid('Choose a host.');
    if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime())) return setInvalid('Give both times.');
    if (from >= to) return setInvalid('"From" must be before "To".');
    if (to.getTime() - from.getTime() > MAX_DAYS * DAY) return setInvalid(`At most ${MAX_DAYS} days at a time.`);
    setInvalid(null);
    backtest.mutate(
      { host: Number(host), from: from.toISOString(), to: to.toISOString(), rules: { [file]: content() } },
      { onError: (error) => onProblems(refusedProblems(error) ?? []) },
    );
  };

  return (
    <section className="card backtest" aria-labelledby="backtest-title">
      <h2 id="backtest-title">Backtest</h2>
      <p className="hint">
        Replays a host's stored samples through the rules, with this file as it is in the editor. Nothing changes on
        the server.
      </p>
      <QueryView query={hosts} what="Loading hosts">
        {(list) =>
          list.length === 0 ? (
            <Empty>No hosts yet: a backtest needs a host's history.</Empty>
          ) : (
            <form className="backtest-form" onSubmit={run}>
              <label>
                Host
                <select aria-label="Host" value={host} onChange={(e) => setHost(e.target.value)} required>
                  <option value="">Choose…</option>
                  {list.map((h) => (
                    <option key={h.id} value={h.id}>
                      {h.name}
                    </option>
                  ))}
                </select>
              </label>
              <label>
                From
                <input
                  type="datetime-local"
                  value={range.from}
                  onChange={(e) => setRange({ ...range, from: e.target.value })}
                  required
                />
              </label>
              <label>
                To
                <input
                  type="datetime-local"
                  value={range.to}
                  onChange={(e) => setRange({ ...range, to: e.target.value })}
                  required
                />
              </label>
              <button type="submit" className="primary" disabled={backtest.isPending}>
                Run backtest
              </button>
            </form>
          )
        }
      </QueryView>
      {invalid && (
        <p className="state state-error" role="alert">
          {invalid}
        </p>
      )}
      {backtest.isPending && <Loading what="Replaying" />}
      {backtest.error && <ErrorBox error={backtest.error} />}
      {backtest.data && !backtest.isPending && (
        <BacktestOutcome result={backtest.data} hostName={hosts.data?.find((h) => h.id === backtest.data.host_id)?.name} />
      )}
    </section>
  );
}

function BacktestOutcome({ result, hostName }: { result: BacktestResult; hostName?: string }) {
  const fired = useMemo(() => firings(result), [result]);
  return (
    <div className="backtest-result">
      <p role="status">
        Replayed {result.samples} samples of {hostName ?? `host ${result.host_id}`} from <Time at={result.from} /> to{' '}
        <Time at={result.to} /> with the {result.rules === 'candidate' ? 'edited' : 'running'} rules
        {result.unreadable_samples > 0 && ` (${result.unreadable_samples} unreadable samples skipped)`}:{' '}
        {fired.length === 0
          ? 'nothing would have fired.'
          : `${result.incidents.length} incidents would have opened and ${result.actions.length} actions been proposed.`}
      </p>
      <CpuTimeline hostId={result.host_id} from={result.from} to={result.to} markers={fired} />
      {fired.length > 0 && (
        <ol className="firings" aria-label="Backtest firings">
          {fired.map((f, i) => (
            <li key={i} className={`firing firing-${f.severity}`}>
              <Time at={f.at} seconds /> <strong>{f.title}</strong> — {f.detail}
              {f.kind === 'incident' &&
                (f.resolvedAt ? (
                  <span className="muted">
                    {' '}
                    (resolved <Time at={f.resolvedAt} />)
                  </span>
                ) : (
                  <span className="muted"> (still open at the end)</span>
                ))}
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}

const CPU_RANGE: uPlot.Scale['range'] = [0, 100];
const CPU_SERIES = (): uPlot.Series[] => [
  { label: 'CPU avg %', stroke: cssColor('--accent', '#1f6feb'), width: 1.5 },
  { label: 'CPU max %', stroke: cssColor('--muted', '#5b6470'), width: 1, dash: [3, 3] },
];

function CpuTimeline({ hostId, from, to, markers }: { hostId: number; from: string; to: string; markers: Firing[] }) {
  const metrics = useHostMetrics(hostId, from, to);
  const data = useMemo(() => (metrics.data ? cpuSeries(metrics.data.points) : null), [metrics.data]);
  const draw = useMemo(
    () =>
      markerHook(markers, {
        critical: cssColor('--crit', '#cf222e'),
        warning: cssColor('--warn', '#9a6700'),
        action: cssColor('--accent', '#1f6feb'),
      }),
    [markers],
  );
  if (metrics.isPending) return <Loading what="Loading the host's CPU" />;
  if (metrics.error) return <ErrorBox error={metrics.error} />;
  return (
    <UPlotChart
      className="backtest-timeline"
      label={`CPU of the host with ${markers.length} firings marked`}
      empty="No stored samples of this host in that range."
      data={data ?? [[]]}
      series={CPU_SERIES()}
      yRange={CPU_RANGE}
      onDraw={draw}
      height={220}
    >
      <p className="legend">
        <span className="key key-critical">critical incident</span>
        <span className="key key-warning">warning incident</span>
        <span className="key key-action">proposed action (dashed)</span>
      </p>
    </UPlotChart>
  );
}

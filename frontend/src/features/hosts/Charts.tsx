import { useMemo } from 'react';
import { ErrorBox, Loading } from '../../components/States';
import { Chart } from './Chart';
import { chartSpecs, type ChartSpec } from './chartSpecs';
import { columns, hasValues, type Metrics } from './series';

export function Charts({
  metrics,
  fullestMount,
  onZoom,
}: {
  metrics: { data: Metrics | undefined; error: unknown; isPending: boolean; isFetching: boolean };
  fullestMount: string | undefined;
  onZoom: (from: number, to: number) => void;
}) {
  const data = metrics.data;
  const specs = useMemo(() => (data ? chartSpecs(data, fullestMount) : []), [data, fullestMount]);
  if (metrics.isPending) return <Loading what="Loading the charts" />;
  if (!data) return <ErrorBox error={metrics.error} />;
  const xRange: [number, number] = [Date.parse(data.from) / 1000, Date.parse(data.to) / 1000];
  return (
    <div className="charts" aria-busy={metrics.isFetching}>
      {metrics.error ? <ErrorBox error={metrics.error} /> : null}
      {specs.map((spec) => (
        <ChartFigure key={spec.name + spec.keys.join()} spec={spec} metrics={data} xRange={xRange} onZoom={onZoom} />
      ))}
    </div>
  );
}

function ChartFigure({
  spec,
  metrics,
  xRange,
  onZoom,
}: {
  spec: ChartSpec;
  metrics: Metrics;
  xRange: [number, number];
  onZoom: (from: number, to: number) => void;
}) {
  const data = useMemo(() => columns(metrics, spec.keys), [metrics, spec.keys]);
  return (
    <figure className="chart" aria-label={`${spec.name} chart`}>
      <figcaption>{spec.caption}</figcaption>
      {hasValues(data) ? (
        <Chart data={data} series={spec.series} xRange={xRange} format={spec.format} yMax={spec.yMax} onZoom={onZoom} />
      ) : (
        <p className="state state-empty chart-empty">No samples in this range</p>
      )}
    </figure>
  );
}

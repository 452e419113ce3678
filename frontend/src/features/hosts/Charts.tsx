import { useCallback, useMemo } from 'react';
import type uPlot from 'uplot';
import { ErrorBox, Loading } from '../../components/States';
import { UPlotChart } from '../../components/UPlotChart';
import { chartSpecs, type ChartSpec } from './chartSpecs';
import { columns, type Metrics } from './series';

/** Every chart of the host page shares one cursor. */
export const SYNC_KEY = 'vigil-host';

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
  const data = useMemo(() => columns(metrics, spec.keys) as uPlot.AlignedData, [metrics, spec.keys]);
  const series = useMemo<uPlot.Series[]>(
    () => spec.series.map((s) => ({ label: s.label, stroke: s.color, width: 1.5, dash: s.dash, spanGaps: false })),
    [spec.series],
  );
  const yMax = spec.yMax;
  const yRange = useCallback<uPlot.Range.Function>(
    (_u, _min, max) => (yMax !== undefined ? [0, Math.max(yMax, max ?? 0)] : [0, max && max > 0 ? max * 1.1 : 1]),
    [yMax],
  );
  return (
    <UPlotChart
      className="chart"
      label={`${spec.name} chart`}
      caption={spec.caption}
      empty="No samples in this range"
      data={data}
      series={series}
      height={180}
      xRange={xRange}
      yRange={yRange}
      format={spec.format}
      syncKey={SYNC_KEY}
      onSelect={onZoom}
    />
  );
}

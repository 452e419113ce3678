// What a backtest would have fired, in time order, and as vertical markers over the host's CPU chart.
import type uPlot from 'uplot';
import type { BacktestResult, MetricsPoint } from './api';

export type Firing = {
  at: string;
  /** epoch seconds, uPlot's x */
  t: number;
  kind: 'incident' | 'action';
  severity: 'critical' | 'warning' | 'action';
  title: string;
  detail: string;
  /** an incident's: when it would have resolved, null while still open at the end */
  resolvedAt?: string | null;
};

/** The incidents that would have opened and the actions that would have been proposed, oldest first. */
export function firings(result: BacktestResult): Firing[] {
  const list: Firing[] = [
    ...result.incidents.map((i) => ({
      at: i.opened_at,
      t: Date.parse(i.opened_at) / 1000,
      kind: 'incident' as const,
      severity: i.severity === 'critical' ? ('critical' as const) : ('warning' as const),
      title: `${i.severity} incident ${i.key}`,
      detail: i.message,
      resolvedAt: i.resolved_at ?? null,
    })),
    ...result.actions.map((a) => ({
      at: a.at,
      t: Date.parse(a.at) / 1000,
      kind: 'action' as const,
      severity: 'action' as const,
      title: `${a.type} ${a.target} → ${a.status}`,
      detail: a.detail ? `${a.reason} (${a.detail})` : a.reason,
    })),
  ];
  return list.filter((f) => Number.isFinite(f.t)).sort((a, b) => a.t - b.t);
}

/** The host's CPU (average per step) as uPlot data: x in epoch seconds, gaps as null. */
export function cpuSeries(points: MetricsPoint[]): uPlot.AlignedData {
  const x: number[] = [];
  const avg: (number | null)[] = [];
  const max: (number | null)[] = [];
  for (const point of points) {
    const t = Date.parse(point.t) / 1000;
    if (!Number.isFinite(t)) continue;
    x.push(t);
    avg.push(typeof point.cpu?.avg === 'number' ? point.cpu.avg : null);
    max.push(typeof point.cpu?.max === 'number' ? point.cpu.max : null);
  }
  return [x, avg, max];
}

/** A uPlot `draw` hook: one vertical line per firing inside the plot, in its severity's colour. */
export function markerHook(markers: Firing[], colours: Record<Firing['severity'], string>) {
  return (u: uPlot) => {
    const { ctx, bbox } = u;
    ctx.save();
    ctx.lineWidth = Math.max(1, devicePixelRatio || 1) * 1.5;
    for (const marker of markers) {
      const x = Math.round(u.valToPos(marker.t, 'x', true));
      if (x < bbox.left || x > bbox.left + bbox.width) continue;
      ctx.strokeStyle = colours[marker.severity];
      ctx.setLineDash(marker.kind === 'action' ? [4, 3] : []);
      ctx.beginPath();
      ctx.moveTo(x, bbox.top);
      ctx.lineTo(x, bbox.top + bbox.height);
      ctx.stroke();
    }
    ctx.restore();
  };
}

// Which charts the host page draws from a metrics response: pure, so it is tested without uPlot.
import { bytes, percent } from '../../lib/format';
import { diskSeries, gaugesOf, type Metrics } from './series';

export type SeriesSpec = { label: string; color: string; dash?: number[] };

const COLORS = ['#1f6feb', '#d4690f', '#2da44e', '#8250df'];

export type ChartSpec = { name: string; caption: string; keys: string[]; series: SeriesSpec[]; format: (v: number) => string; yMax?: number };

const pct = (v: number) => percent(v, 0);
const load = (v: number) => (Math.abs(v) >= 10 ? v.toFixed(0) : v.toFixed(2));
const rate = (v: number) => `${bytes(v)}/s`;

export function chartSpecs(metrics: Metrics, fullestMount: string | undefined): ChartSpec[] {
  const gauges = gaugesOf(metrics);
  const loads = ['load1', 'load5', 'load15'].filter((k) => gauges.has(k) || k === 'load1');
  const specs: ChartSpec[] = [
    { name: 'CPU', caption: 'CPU used, %', keys: ['cpu'], series: [{ label: 'CPU', color: COLORS[0] }], format: pct, yMax: 100 },
    {
      name: 'Memory',
      caption: 'Memory and swap used, %',
      keys: ['memory', 'swap'],
      series: [
        { label: 'Memory', color: COLORS[0] },
        { label: 'Swap', color: COLORS[1], dash: [4, 3] },
      ],
      format: pct,
      yMax: 100,
    },
    {
      name: 'Load',
      caption: loads.length > 1 ? 'Load average (1, 5, 15 min)' : 'Load average (1 min)',
      keys: loads,
      series: loads.map((k, i) => ({ label: `load ${k.slice(4)}`, color: COLORS[i] })),
      format: load,
    },
    ...diskSeries(gauges, fullestMount).map(({ key, mount }) => ({
      name: `Disk ${mount}`,
      caption: key === 'disk' ? `Disk ${mount} used, % (the history keeps the fullest filesystem)` : `Disk ${mount} used, %`,
      keys: [key],
      series: [{ label: mount, color: COLORS[2] }],
      format: pct,
      yMax: 100,
    })),
    {
      name: 'Network',
      caption: 'Network received and sent, bytes/s',
      keys: ['net_recv', 'net_sent'],
      series: [
        { label: 'rx', color: COLORS[0] },
        { label: 'tx', color: COLORS[3] },
      ],
      format: rate,
    },
  ];
  if (!gauges.has('disk') && ![...gauges].some((g) => g.startsWith('disk:'))) {
    // no disk series at all in this range: still one (empty) disk figure, so the page's layout stays put
    specs.splice(3, 0, {
      name: `Disk ${fullestMount ?? '/'}`,
      caption: `Disk ${fullestMount ?? '/'} used, %`,
      keys: ['disk'],
      series: [{ label: fullestMount ?? '/', color: COLORS[2] }],
      format: pct,
      yMax: 100,
    });
  }
  return specs;
}


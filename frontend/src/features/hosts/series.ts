// The host page's time range (in the URL) and the metrics response turned into uPlot's column arrays.
// Pure functions only: tested without a browser or a canvas.

export const PRESETS = { '1h': 3_600_000, '24h': 86_400_000, '7d': 7 * 86_400_000, '30d': 30 * 86_400_000, '90d': 90 * 86_400_000 } as const;
export type Preset = keyof typeof PRESETS;
export const PRESET_NAMES = Object.keys(PRESETS) as Preset[];
export const PRESET_LABELS: Record<Preset, string> = { '1h': '1 h', '24h': '24 h', '7d': '7 d', '30d': '30 d', '90d': '90 d' };

export type Range = { kind: 'preset'; preset: Preset; key: string } | { kind: 'custom'; from: number; to: number; key: string };

/** An ISO-8601 time or epoch milliseconds; NaN when neither. */
export function parseTime(text: string | null): number {
  if (!text) return Number.NaN;
  return /^\d+$/.test(text) ? Number(text) : Date.parse(text);
}

/** `?from=&to=` (both valid, from before to) wins over `?range=`; the default is the last hour. */
export function readRange(params: URLSearchParams): Range {
  const from = parseTime(params.get('from'));
  const to = parseTime(params.get('to'));
  if (Number.isFinite(from) && Number.isFinite(to) && from < to) {
    return { kind: 'custom', from, to, key: `${from}-${to}` };
  }
  const name = params.get('range');
  const preset = name && name in PRESETS ? (name as Preset) : '1h';
  return { kind: 'preset', preset, key: preset };
}

/** The range in the URL: a preset as `range`, a custom one as ISO `from` and `to`; other params are kept. */
export function writeRange(params: URLSearchParams, range: { preset: Preset } | { from: number; to: number }) {
  const next = new URLSearchParams(params);
  next.delete('range');
  next.delete('from');
  next.delete('to');
  if ('preset' in range) next.set('range', range.preset);
  else {
    next.set('from', new Date(range.from).toISOString());
    next.set('to', new Date(range.to).toISOString());
  }
  return next;
}

export function bounds(range: Range, now: number): { from: number; to: number } {
  return range.kind === 'custom' ? { from: range.from, to: range.to } : { from: now - PRESETS[range.preset], to: now };
}

/** Steps a chart reads well at, in seconds. */
const STEPS = [10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 172800, 604800];
export const MAX_POINTS = 600;

/** The smallest round step that keeps the series at ≤ 600 points, never finer than the host's poll interval. */
export function pickStep(rangeMs: number, intervalSeconds = 10, maxPoints = MAX_POINTS): number {
  const need = Math.max(Math.ceil(rangeMs / 1000 / maxPoints), intervalSeconds, 1);
  return STEPS.find((s) => s >= need) ?? Math.ceil(need / 86400) * 86400;
}

// ---- the metrics response (HostsService.metrics, store History) ----

export type Gauge = { avg: number | null; max: number | null };
export type MetricsPoint = { t: string; samples: number } & { [gauge: string]: Gauge | number | string };
export type Metrics = { host_id: number; from: string; to: string; step_seconds: number; points: MetricsPoint[] };

/** uPlot's data: x in epoch seconds, then one array per series, null where there is no value (a gap). */
export type Columns = [number[], ...(number | null)[][]];

function gauge(point: MetricsPoint, key: string, field: keyof Gauge): number | null {
  const value = point[key];
  if (!value || typeof value !== 'object') return null;
  const n = value[field];
  return typeof n === 'number' && Number.isFinite(n) ? n : null;
}

/**
 * Columns of the given gauges (their average per bucket). Buckets come only where there were samples; where the
 * next bucket is more than two steps away the host sent nothing, and a row of nulls there makes uPlot break
 * the line instead of drawing across the gap.
 */
export function columns(metrics: Metrics, keys: string[], field: keyof Gauge = 'avg'): Columns {
  const step = metrics.step_seconds;
  const xs: number[] = [];
  const ys: (number | null)[][] = keys.map(() => []);
  let previous: number | undefined;
  for (const point of metrics.points) {
    const t = Date.parse(point.t) / 1000;
    if (!Number.isFinite(t)) continue;
    if (previous !== undefined && t - previous > 2 * step) {
      xs.push(previous + step);
      ys.forEach((y) => y.push(null));
    }
    xs.push(t);
    keys.forEach((key, i) => ys[i].push(gauge(point, key, field)));
    previous = t;
  }
  return [xs, ...ys];
}

/** The gauges the response carries (any member of a point that is an {avg, max} pair). */
export function gaugesOf(metrics: Metrics): Set<string> {
  const found = new Set<string>();
  for (const point of metrics.points) {
    for (const [key, value] of Object.entries(point)) {
      if (value && typeof value === 'object' && 'avg' in value) found.add(key);
    }
  }
  return found;
}

/**
 * The disk series and the mount each one shows. The history keeps the fullest filesystem's % as `disk` (its
 * mount is the fullest one of the latest snapshot); per-mount series `disk:<mount>` are taken when present.
 */
export function diskSeries(gauges: Set<string>, fullestMount: string | undefined): { key: string; mount: string }[] {
  const perMount = [...gauges].filter((g) => g.startsWith('disk:')).sort();
  if (perMount.length > 0) return perMount.map((key) => ({ key, mount: key.slice(5) }));
  return gauges.has('disk') ? [{ key: 'disk', mount: fullestMount ?? 'fullest filesystem' }] : [];
}

import { describe, expect, it, vi } from 'vitest';
import type uPlot from 'uplot';
import { hasValues } from '../../components/UPlotChart';
import { bounds, columns, diskSeries, gaugesOf, pickStep, PRESETS, readRange, writeRange, type Metrics } from './series';
import { chartSpecs } from './chartSpecs';
import { presetForKey } from './RangeBar';
import { mergeTimeline, type Action, type Incident } from './timeline';

vi.mock('uplot', () => ({ default: class {} }));

const metrics = (points: Metrics['points'], step = 60): Metrics => ({
  host_id: 1,
  from: '2026-01-01T00:00:00Z',
  to: '2026-01-01T01:00:00Z',
  step_seconds: step,
  points,
});
const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 0, minute)).toISOString();
const point = (minute: number, cpu: number | null, memory: number | null = 50) => ({
  t: at(minute),
  samples: 6,
  cpu: { avg: cpu, max: cpu },
  memory: { avg: memory, max: memory },
  swap: { avg: 0, max: 0 },
  load1: { avg: 0.5, max: 1 },
  disk: { avg: 40, max: 40 },
  net_recv: { avg: 1000, max: 2000 },
  net_sent: { avg: 10, max: 20 },
});

describe('the metrics response as uPlot columns', () => {
  it('turns points into x seconds and one array per gauge', () => {
    const data = columns(metrics([point(0, 10), point(1, 20, null)]), ['cpu', 'memory']);
    expect(data).toEqual([
      [Date.UTC(2026, 0, 1) / 1000, Date.UTC(2026, 0, 1, 0, 1) / 1000],
      [10, 20],
      [50, null],
    ]);
  });

  it('breaks the line with nulls where the host sent nothing for more than two steps', () => {
    const data = columns(metrics([point(0, 10), point(1, 11), point(2, 12), point(10, 30), point(11, 31)]), ['cpu']);
    const start = Date.UTC(2026, 0, 1) / 1000;
    expect(data[0]).toEqual([start, start + 60, start + 120, start + 180, start + 600, start + 660]);
    expect(data[1]).toEqual([10, 11, 12, null, 30, 31]);
  });

  it('draws across a single missed bucket (poll jitter), not a gap', () => {
    const data = columns(metrics([point(0, 10), point(2, 12)]), ['cpu']);
    expect(data[1]).toEqual([10, 12]);
  });

  it('reads a gauge the response lacks as null, and knows when there is nothing to draw', () => {
    const data = columns(metrics([point(0, 10)]), ['load5']);
    expect(data[1]).toEqual([null]);
    expect(hasValues(data as uPlot.AlignedData)).toBe(false);
    expect(hasValues(columns(metrics([]), ['cpu']) as uPlot.AlignedData)).toBe(false);
    expect(hasValues(columns(metrics([point(0, 0)]), ['cpu']) as uPlot.AlignedData)).toBe(true);
  });

  it('finds the gauges and the disk series with their mounts', () => {
    const gauges = gaugesOf(metrics([point(0, 1)]));
    expect([...gauges].sort()).toEqual(['cpu', 'disk', 'load1', 'memory', 'net_recv', 'net_sent', 'swap']);
    expect(diskSeries(gauges, '/var')).toEqual([{ key: 'disk', mount: '/var' }]);
    expect(diskSeries(new Set(['disk', 'disk:/', 'disk:/data']), '/')).toEqual([
      { key: 'disk:/', mount: '/' },
      { key: 'disk:/data', mount: '/data' },
    ]);
  });

  it('makes the CPU, memory, load, disk and network charts, load 5/15 only when the response has them', () => {
    const specs = chartSpecs(metrics([point(0, 1)]), '/');
    expect(specs.map((s) => s.name)).toEqual(['CPU', 'Memory', 'Load', 'Disk /', 'Network']);
    expect(specs[2].keys).toEqual(['load1']);
    const withLoads = chartSpecs(
      metrics([{ ...point(0, 1), load5: { avg: 1, max: 1 }, load15: { avg: 1, max: 1 } }]),
      '/',
    );
    expect(withLoads[2].keys).toEqual(['load1', 'load5', 'load15']);
    expect(chartSpecs(metrics([]), undefined).map((s) => s.name)).toContain('Disk /');
  });
});

describe('the step per range', () => {
  it('keeps every preset at 600 points or fewer with a round step', () => {
    expect(pickStep(PRESETS['1h'])).toBe(10);
    expect(pickStep(PRESETS['24h'])).toBe(300);
    expect(pickStep(PRESETS['7d'])).toBe(1800);
    expect(pickStep(PRESETS['30d'])).toBe(7200);
    expect(pickStep(PRESETS['90d'])).toBe(21600);
    for (const ms of Object.values(PRESETS)) expect(ms / 1000 / pickStep(ms)).toBeLessThanOrEqual(600);
  });
  it('is never finer than the poll interval', () => {
    expect(pickStep(PRESETS['1h'], 30)).toBe(30);
    expect(pickStep(PRESETS['1h'], 45)).toBe(60);
    expect(pickStep(5 * 60_000, 10)).toBe(10);
  });
});

describe('the range in the URL', () => {
  it('defaults to the last hour and reads presets', () => {
    expect(readRange(new URLSearchParams())).toMatchObject({ kind: 'preset', preset: '1h' });
    expect(readRange(new URLSearchParams('range=7d'))).toMatchObject({ kind: 'preset', preset: '7d' });
    expect(readRange(new URLSearchParams('range=1y'))).toMatchObject({ kind: 'preset', preset: '1h' });
  });
  it('takes a custom from/to (ISO or epoch ms) over a preset, and only when from is before to', () => {
    const custom = readRange(new URLSearchParams('range=24h&from=2026-01-01T00:00:00Z&to=1767229200000'));
    expect(custom).toMatchObject({ kind: 'custom', from: Date.UTC(2026, 0, 1), to: 1767229200000 });
    expect(readRange(new URLSearchParams('from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z')).kind).toBe('preset');
    expect(bounds(custom, 0)).toEqual({ from: Date.UTC(2026, 0, 1), to: 1767229200000 });
    expect(bounds(readRange(new URLSearchParams('range=24h')), 100_000_000)).toEqual({ from: 13_600_000, to: 100_000_000 });
  });
  it('writes one kind of range, keeping other params', () => {
    const custom = writeRange(new URLSearchParams('range=24h&tab=x'), { from: 0, to: 60_000 });
    expect(custom.toString()).toBe('tab=x&from=1970-01-01T00%3A00%3A00.000Z&to=1970-01-01T00%3A01%3A00.000Z');
    expect(writeRange(custom, { preset: '30d' }).toString()).toBe('tab=x&range=30d');
  });
  it('maps keys 1–5 to the presets, not while typing', () => {
    expect(presetForKey('1', document.body)).toBe('1h');
    expect(presetForKey('5', document.body)).toBe('90d');
    expect(presetForKey('6', document.body)).toBeUndefined();
    expect(presetForKey('2', document.createElement('input'))).toBeUndefined();
  });
});

describe('the host timeline', () => {
  it('merges incidents and actions newest first', () => {
    const incident = (id: number, first_seen: string) => ({ id, first_seen }) as Incident;
    const action = (id: string, created_at: string) => ({ id, created_at }) as Action;
    const items = mergeTimeline(
      [incident(1, '2026-01-01T10:00:00Z'), incident(2, '2026-01-01T12:00:00Z')],
      [action('a', '2026-01-01T11:00:00Z'), action('b', '2026-01-01T13:00:00Z')],
    );
    expect(items.map((i) => i.key)).toEqual(['ab', 'i2', 'aa', 'i1']);
  });
});

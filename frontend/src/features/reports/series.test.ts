import { describe, expect, it } from 'vitest';
import { seriesToChart } from './series';

const midnight = (day: string) => Date.parse(`${day}T00:00:00Z`) / 1000;

describe('report series → uPlot data', () => {
  it('turns [{day, k: n}] into x (UTC midnights) and one column per name, days sorted', () => {
    const chart = seriesToChart([
      { day: '2026-01-03', opened: 2, resolved: 1 },
      { day: '2026-01-01', opened: 5, resolved: 4 },
      { day: '2026-01-02', opened: 0 },
    ]);
    expect(chart).toEqual({
      days: ['2026-01-01', '2026-01-02', '2026-01-03'],
      names: ['opened', 'resolved'],
      data: [
        [midnight('2026-01-01'), midnight('2026-01-02'), midnight('2026-01-03')],
        [5, 0, 2],
        [4, null, 1],
      ],
    });
  });

  it('drops bad days and non-numbers, reads numeric strings and merges repeated days', () => {
    const chart = seriesToChart([
      { day: 'yesterday', a: 1 },
      { day: null, a: 1 },
      { a: 7 },
      'junk',
      null,
      { day: '2026-02-01T00:00:00Z', a: '3', b: 'n/a', c: null, d: Number.NaN, e: { x: 1 } },
      { day: '2026-02-01', b: 4 },
    ]);
    expect(chart).toEqual({ days: ['2026-02-01'], names: ['a', 'b'], data: [[midnight('2026-02-01')], [3], [4]] });
  });

  it('takes a map of day → number or → {k: n} too', () => {
    expect(seriesToChart({ '2026-03-02': 4, '2026-03-01': 1 }, 'actions')).toEqual({
      days: ['2026-03-01', '2026-03-02'],
      names: ['actions'],
      data: [[midnight('2026-03-01'), midnight('2026-03-02')], [1, 4]],
    });
    expect(seriesToChart({ '2026-03-01': { ok: 1, failed: 2 } })?.names).toEqual(['ok', 'failed']);
  });

  it('gives nothing to chart for empty or shapeless input', () => {
    expect(seriesToChart([])).toBeNull();
    expect(seriesToChart(null)).toBeNull();
    expect(seriesToChart(42)).toBeNull();
    expect(seriesToChart('x')).toBeNull();
    expect(seriesToChart([{ day: '2026-01-01' }])).toBeNull();
    expect(seriesToChart([{ day: '2026-01-01', note: 'text only' }])).toBeNull();
  });
});

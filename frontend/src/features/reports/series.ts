// A report's series (one per name, by day) as uPlot data. The server's shape is expected to be
// [{"day": "YYYY-MM-DD", "<k>": number, …}], but is read defensively: a map of day → number or → {k: number}
// is taken too, numbers may come as numeric strings, bad days and non-numbers are dropped, days are sorted.
import type uPlot from 'uplot';

export type SeriesChart = {
  /** the days, ascending (YYYY-MM-DD) */
  days: string[];
  /** the numbers' names, in order of first appearance */
  names: string[];
  /** [x: the days' UTC midnights in epoch seconds, one array per name with null where a day lacks it] */
  data: uPlot.AlignedData;
};

const DAY = /^(\d{4})-(\d{2})-(\d{2})/;

function dayOf(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const match = DAY.exec(value);
  if (!match) return null;
  const day = match[0];
  return Number.isNaN(Date.parse(`${day}T00:00:00Z`)) ? null : day;
}

function numberOf(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return null;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The points of a series as [day, {name: value}] whatever form they come in. */
function entries(input: unknown, fallbackName: string): [string, Record<string, unknown>][] {
  if (Array.isArray(input)) {
    return input.filter(isObject).map((point) => {
      const { day, date, ...values } = point;
      return [String(day ?? date ?? ''), values];
    });
  }
  if (isObject(input)) {
    return Object.entries(input).map(([day, value]) => [day, isObject(value) ? value : { [fallbackName]: value }]);
  }
  return [];
}

export function seriesToChart(input: unknown, name = 'value'): SeriesChart | null {
  const byDay = new Map<string, Map<string, number>>();
  const names: string[] = [];
  for (const [rawDay, values] of entries(input, name)) {
    const day = dayOf(rawDay);
    if (!day) continue;
    const numbers = byDay.get(day) ?? new Map<string, number>();
    for (const [key, raw] of Object.entries(values)) {
      const value = numberOf(raw);
      if (value === null) continue;
      if (!names.includes(key)) names.push(key);
      numbers.set(key, value);
    }
    byDay.set(day, numbers);
  }
  if (names.length === 0) return null;
  const days = [...byDay.keys()].sort();
  const x = days.map((day) => Date.parse(`${day}T00:00:00Z`) / 1000);
  const columns = names.map((key) => days.map((day) => byDay.get(day)!.get(key) ?? null));
  return { days, names, data: [x, ...columns] };
}

import { useMemo } from 'react';
import type uPlot from 'uplot';
import { Empty } from '../../components/States';
import { cssColor, UPlotChart } from '../../components/UPlotChart';
import { header } from './cells';
import { seriesToChart } from './series';

// The theme's colours first; then fixed ones readable on light and dark, so the actions chart's ten statuses differ.
const PALETTE = ['--accent', '--crit', '--ok', '--warn', '--muted'];
const FALLBACK = ['#1f6feb', '#cf222e', '#1a7f37', '#9a6700', '#5b6470'];
const MORE = ['#8250df', '#bf3989', '#1b7c83', '#bc4c00', '#4d2d8f'];

function color(i: number): string {
  const n = i % (PALETTE.length + MORE.length);
  return n < PALETTE.length ? cssColor(PALETTE[n], FALLBACK[n]) : MORE[n - PALETTE.length];
}

const DAY_X: uPlot.Series = { value: (_u, v) => (v === null ? '—' : new Date(v * 1000).toISOString().slice(0, 10)) };
const Y_RANGE: uPlot.Scale['range'] = (_u, min, max) => [Math.min(0, min), Math.max(1, max * 1.1)];

/** One of a report's series as a chart by day, with its numbers in a table under a disclosure. */
export function SeriesChart({ name, series }: { name: string; series: unknown }) {
  const chart = useMemo(() => seriesToChart(series, name), [series, name]);
  const lines = useMemo<uPlot.Series[]>(
    () =>
      chart
        ? chart.names.map((key, i) => ({
            label: header(key),
            stroke: color(i),
            width: 2,
            points: { show: true, size: 5 },
          }))
        : [],
    [chart],
  );
  if (!chart) {
    return <Empty>No numbers by day to chart in this range.</Empty>;
  }
  return (
    <UPlotChart
      className="series"
      data={chart.data}
      series={lines}
      xSeries={DAY_X}
      yRange={Y_RANGE}
      label={`${header(name)} by day, ${chart.days[0]} to ${chart.days[chart.days.length - 1]}: ${chart.names
        .map(header)
        .join(', ')}`}
    >
      <details>
        <summary>Numbers by day</summary>
        <div className="table-wrap">
          <table aria-label={`${header(name)} by day`}>
            <thead>
              <tr>
                <th scope="col">Day</th>
                {chart.names.map((key) => (
                  <th key={key} scope="col" className="num">
                    {header(key)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {chart.days.map((day, d) => (
                <tr key={day}>
                  <td>{day}</td>
                  {chart.names.map((key, k) => {
                    const value = chart.data[k + 1][d];
                    return (
                      <td key={key} className="num">
                        {value === null || value === undefined ? '—' : value.toLocaleString()}
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </UPlotChart>
  );
}

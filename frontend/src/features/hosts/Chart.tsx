import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { SeriesSpec } from './chartSpecs';
import type { Columns } from './series';

export const SYNC_KEY = 'vigil-host';

function cssVar(name: string, fallback: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;
}

/**
 * One uPlot chart: made once, given new data with setData, sized to its box by a ResizeObserver, destroyed on
 * unmount. Every chart shares one cursor (synced crosshair); dragging across one selects a range (onZoom).
 */
export function Chart({
  data,
  series,
  xRange,
  format,
  yMax,
  onZoom,
  height = 180,
}: {
  data: Columns;
  series: SeriesSpec[];
  /** the range shown, epoch seconds: the axis spans it even where there are no samples */
  xRange: [number, number];
  format: (value: number) => string;
  /** a fixed top of the y axis (100 for percentages), else it follows the data */
  yMax?: number;
  onZoom: (fromMs: number, toMs: number) => void;
  height?: number;
}) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const latest = useRef({ xRange, format, onZoom, yMax });
  latest.current = { xRange, format, onZoom, yMax };

  useEffect(() => {
    const element = box.current!;
    const muted = cssVar('--muted', '#5b6470');
    const line = cssVar('--line', '#d9dee4');
    const axis = (values?: uPlot.Axis['values']): uPlot.Axis => ({
      stroke: muted,
      grid: { stroke: line, width: 1 },
      ticks: { stroke: line, width: 1 },
      values,
    });
    const options: uPlot.Options = {
      width: Math.max(element.clientWidth, 200),
      height,
      scales: {
        x: { time: true, range: () => latest.current.xRange },
        y: {
          range: (_u, _min, max) => {
            const top = latest.current.yMax;
            return top !== undefined ? [0, Math.max(top, max ?? 0)] : [0, max && max > 0 ? max * 1.1 : 1];
          },
        },
      },
      series: [
        {},
        ...series.map((s) => ({
          label: s.label,
          stroke: s.color,
          width: 1.5,
          dash: s.dash,
          spanGaps: false,
          value: (_u: uPlot, v: number | null) => (v === null || v === undefined ? '—' : latest.current.format(v)),
        })),
      ],
      axes: [axis(), { ...axis((_u, ticks) => ticks.map((t) => latest.current.format(t))), size: 84 }],
      cursor: { sync: { key: SYNC_KEY }, drag: { x: true, y: false, setScale: false } },
      legend: { live: true },
      hooks: {
        setSelect: [
          (u) => {
            if (u.select.width > 4) {
              const from = u.posToVal(u.select.left, 'x');
              const to = u.posToVal(u.select.left + u.select.width, 'x');
              if (to > from) latest.current.onZoom(Math.round(from * 1000), Math.round(to * 1000));
            }
            u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
          },
        ],
      },
    };
    const chart = new uPlot(options, data as uPlot.AlignedData, element);
    plot.current = chart;
    const observer = new ResizeObserver(() => {
      const width = element.clientWidth;
      if (width > 0 && width !== chart.width) chart.setSize({ width, height });
    });
    observer.observe(element);
    return () => {
      observer.disconnect();
      chart.destroy();
      plot.current = null;
    };
    // made once; the series list is part of the component's key
  }, []);

  useEffect(() => {
    plot.current?.setData(data as uPlot.AlignedData);
  }, [data, xRange[0], xRange[1]]);

  return <div ref={box} className="chart-box" />;
}

// The one uPlot wrapper: host charts, report series and the rules backtest all draw through it. uPlot (and its CSS)
// is only imported here, so it lands in the lazily loaded chunks of the pages that chart, not in the dashboard's.
import { useEffect, useRef, type ReactNode } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import './UPlotChart.css';

/** A CSS variable of the app's theme as a colour a canvas understands. */
export function cssColor(name: string, fallback: string): string {
  const value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return value || fallback;
}

/** Whether any y series of uPlot data has a value (x alone draws nothing). */
export function hasValues(data: uPlot.AlignedData): boolean {
  return data.slice(1).some((series) => Array.from(series as ArrayLike<number | null | undefined>).some((v) => v != null));
}

export type UPlotChartProps = {
  /** the figure's accessible name, e.g. "CPU chart" */
  label: string;
  /** shown above the plot */
  caption?: ReactNode;
  /** shown instead of the plot when no y series has a value, e.g. "No samples in this range" */
  empty?: ReactNode;
  /** uPlot's columns: x (epoch seconds) first */
  data: uPlot.AlignedData;
  /** the y series; the chart is remade when their labels change */
  series: uPlot.Series[];
  /** the x series (its legend value formatter, say) */
  xSeries?: uPlot.Series;
  height?: number;
  /** the x range, epoch seconds: the axis spans it even where there are no samples */
  xRange?: [number, number];
  /** the y range; by default from 0 to a little over the data */
  yRange?: uPlot.Scale['range'];
  /** formats y ticks and legend values */
  format?: (value: number) => string;
  /** charts with the same key share one cursor */
  syncKey?: string;
  /** a drag across the chart selects this range (epoch ms) instead of zooming */
  onSelect?: (fromMs: number, toMs: number) => void;
  /** draws over the plot after each redraw (markers, say) */
  onDraw?: (u: uPlot) => void;
  className?: string;
  /** more content in the figure, under the plot (a legend, the numbers as a table) */
  children?: ReactNode;
};

const defaultY: uPlot.Scale['range'] = (_u, min, max) => [Math.min(0, min ?? 0), max && max > 0 ? max * 1.1 : 1];

/**
 * A `<figure>` holding one uPlot chart: made once (remade only when its series change), given new data with setData,
 * sized to its box by a ResizeObserver, destroyed on unmount.
 */
export function UPlotChart(props: UPlotChartProps) {
  const { label, caption, empty, data, className, children } = props;
  const showPlot = empty === undefined || hasValues(data);
  return (
    <figure className={`uplot-chart${className ? ` ${className}` : ''}`} aria-label={label}>
      {caption !== undefined && <figcaption>{caption}</figcaption>}
      {showPlot ? (
        <Plot {...props} />
      ) : (
        <p className="state state-empty uplot-empty" style={{ height: props.height ?? 240 }}>
          {empty}
        </p>
      )}
      {children}
    </figure>
  );
}

function Plot({ data, series, xSeries, height = 240, xRange, yRange, format, syncKey, onSelect, onDraw }: UPlotChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const latest = useRef({ data, xRange, yRange, format, onSelect, onDraw });
  latest.current = { data, xRange, yRange, format, onSelect, onDraw };
  const shape = `${height}|${syncKey ?? ''}|${series.map((s) => s.label).join('|')}`;

  useEffect(() => {
    const element = box.current!;
    const stroke = cssColor('--muted', '#5b6470');
    const grid = { stroke: cssColor('--line', '#d9dee4'), width: 1 };
    const withFormat = (s: uPlot.Series): uPlot.Series =>
      s.value || !latest.current.format
        ? s
        : { ...s, value: (_u, v) => (v === null || v === undefined ? '—' : latest.current.format!(v)) };
    const options: uPlot.Options = {
      width: Math.max(element.clientWidth, 200),
      height,
      scales: {
        x: { time: true, range: latest.current.xRange ? () => latest.current.xRange! : undefined },
        y: {
          range: (u, min, max) => {
            const range = latest.current.yRange ?? defaultY;
            return typeof range === 'function' ? range(u, min, max, 'y') : (range as uPlot.Range.MinMax);
          },
        },
      },
      series: [xSeries ?? {}, ...series.map(withFormat)],
      axes: [
        { stroke, grid, ticks: grid },
        latest.current.format
          ? { stroke, grid, ticks: grid, size: 84, values: (_u, ticks) => ticks.map((t) => latest.current.format!(t)) }
          : { stroke, grid, ticks: grid },
      ],
      cursor: {
        sync: syncKey ? { key: syncKey } : undefined,
        drag: latest.current.onSelect ? { x: true, y: false, setScale: false } : undefined,
      },
      legend: { live: true },
      hooks: {
        draw: [(u) => latest.current.onDraw?.(u)],
        setSelect: [
          (u) => {
            const select = latest.current.onSelect;
            if (!select) return;
            if (u.select.width > 4) {
              const from = u.posToVal(u.select.left, 'x');
              const to = u.posToVal(u.select.left + u.select.width, 'x');
              if (to > from) select(Math.round(from * 1000), Math.round(to * 1000));
            }
            u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
          },
        ],
      },
    };
    const chart = new uPlot(options, latest.current.data, element);
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
    // made once per shape; everything else is read from `latest` when uPlot asks
  }, [shape]);

  useEffect(() => {
    plot.current?.setData(data);
  }, [data, xRange?.[0], xRange?.[1]]);

  // a new draw hook (new markers, say) over the same data: draw again
  const drawn = useRef(onDraw);
  useEffect(() => {
    if (drawn.current !== onDraw) plot.current?.redraw(false);
    drawn.current = onDraw;
  }, [onDraw]);

  return <div ref={box} className="uplot-box" />;
}

import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import './UPlotChart.css';

/** A CSS variable of the app's theme as a colour a canvas understands. */
export function cssColor(name: string, fallback: string): string {
  const value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return value || fallback;
}

/** Axes in the theme's colours, x as time. */
export function themedAxes(): uPlot.Axis[] {
  const stroke = cssColor('--muted', '#5b6470');
  const grid = { stroke: cssColor('--line', '#d9dee4'), width: 1 };
  return [
    { stroke, grid, ticks: grid },
    { stroke, grid, ticks: grid },
  ];
}

/**
 * A uPlot chart that fills its container's width: made with `options` (rebuilt when they change), fed `data`.
 * `label` names it for screen readers; the page shows the same facts as text or a table next to it.
 */
export function UPlotChart({
  options,
  data,
  label,
  height = 240,
}: {
  options: Omit<uPlot.Options, 'width' | 'height'>;
  data: uPlot.AlignedData;
  label: string;
  height?: number;
}) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<uPlot | null>(null);
  const latest = useRef(data);
  latest.current = data;

  useEffect(() => {
    const element = box.current!;
    const plot = new uPlot({ ...options, width: Math.max(element.clientWidth, 280), height }, latest.current, element);
    chart.current = plot;
    const resize = new ResizeObserver(() => plot.setSize({ width: Math.max(element.clientWidth, 280), height }));
    resize.observe(element);
    return () => {
      resize.disconnect();
      plot.destroy();
      chart.current = null;
    };
  }, [options, height]);

  useEffect(() => {
    chart.current?.setData(data);
  }, [data]);

  return <div className="uplot-chart" ref={box} role="img" aria-label={label} />;
}

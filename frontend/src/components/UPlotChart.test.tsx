import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cleanup, render, screen } from '@testing-library/react';
import type uPlot from 'uplot';

type Made = { options: uPlot.Options; data: unknown; setData: ReturnType<typeof vi.fn>; destroy: ReturnType<typeof vi.fn>; redraw: ReturnType<typeof vi.fn>; select: { left: number; width: number } };
const made: Made[] = [];

vi.mock('uplot', () => ({
  default: class {
    width = 300;
    select = { left: 0, top: 0, width: 0, height: 0 };
    setData = vi.fn();
    setSize = vi.fn();
    destroy = vi.fn();
    redraw = vi.fn();
    setSelect = vi.fn();
    posToVal = (pos: number) => pos * 10;
    constructor(options: uPlot.Options, data: unknown) {
      made.push({ options, data, setData: this.setData, destroy: this.destroy, redraw: this.redraw, select: this.select });
    }
  },
}));

import { hasValues, UPlotChart } from './UPlotChart';

const observers: { disconnect: ReturnType<typeof vi.fn> }[] = [];
beforeEach(() => {
  made.length = 0;
  observers.length = 0;
  vi.stubGlobal(
    'ResizeObserver',
    class {
      observe() {}
      disconnect = vi.fn();
      constructor() {
        observers.push(this);
      }
    },
  );
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const series = [{ label: 'CPU' }];

describe('UPlotChart', () => {
  it('is a figure named by its label, makes the chart once, feeds new data with setData and destroys it on unmount', () => {
    const first: uPlot.AlignedData = [[1, 2], [10, 20]];
    const view = render(<UPlotChart label="CPU chart" caption="CPU used, %" data={first} series={series} />);
    expect(screen.getByRole('figure', { name: 'CPU chart' }).textContent).toContain('CPU used, %');
    expect(made).toHaveLength(1);
    expect(made[0].data).toBe(first);

    const second: uPlot.AlignedData = [[1, 2, 3], [10, 20, 30]];
    view.rerender(<UPlotChart label="CPU chart" caption="CPU used, %" data={second} series={[{ label: 'CPU' }]} />);
    expect(made).toHaveLength(1);
    expect(made[0].setData).toHaveBeenLastCalledWith(second);

    view.rerender(<UPlotChart label="CPU chart" data={second} series={[{ label: 'CPU' }, { label: 'Swap' }]} />);
    expect(made).toHaveLength(2);
    expect(made[0].destroy).toHaveBeenCalled();

    view.unmount();
    expect(made[1].destroy).toHaveBeenCalled();
    expect(observers.every((o) => o.disconnect.mock.calls.length === 1)).toBe(true);
  });

  it('shows the empty text instead of a chart when no series has a value', () => {
    render(<UPlotChart label="Load chart" empty="No samples in this range" data={[[1, 2], [null, null]]} series={series} />);
    expect(screen.getByRole('figure', { name: 'Load chart' }).textContent).toContain('No samples in this range');
    expect(made).toHaveLength(0);
    expect(hasValues([[1], [0]])).toBe(true);
    expect(hasValues([[], []])).toBe(false);
  });

  it('syncs the cursor by key, reports a dragged range in ms and calls the draw hook', () => {
    const onSelect = vi.fn();
    const onDraw = vi.fn();
    render(
      <UPlotChart label="x" data={[[1], [1]]} series={series} syncKey="k" onSelect={onSelect} onDraw={onDraw} format={(v) => `${v}%`} />,
    );
    const { options } = made[0];
    expect(options.cursor?.sync?.key).toBe('k');
    const u = { select: { left: 10, width: 20 }, posToVal: (p: number) => p * 10, setSelect: vi.fn() } as unknown as uPlot;
    options.hooks!.setSelect![0]!(u);
    expect(onSelect).toHaveBeenCalledWith(100_000, 300_000);
    options.hooks!.draw![0]!(u);
    expect(onDraw).toHaveBeenCalledWith(u);
    expect((options.series[1].value as (u: uPlot, v: number) => string)(u, 42)).toBe('42%');
  });
});

import { describe, expect, it } from 'vitest';
import type { FleetEntry } from './api';
import { applyPatches, patchesOf, SPARK_LENGTH, type Patch } from './live';

const base = (): FleetEntry[] => [
  { host_id: 1, status: 'up', at: '2026-01-01T00:00:00Z', cpu: 10, memory: 20, disk: 30, load1: 1, spark: [10] },
  { host_id: 2, status: 'down', at: null, cpu: null, memory: null, disk: null, load1: null, spark: [] },
];

const sample = (host_id: number, cpu: number | null, at = '2026-01-01T00:00:10Z'): Patch => ({
  kind: 'sample',
  sample: { host_id, at, cpu, memory: 55, disk: 66, load1: 2.5 },
});

describe('the samples patching reducer', () => {
  it('updates the numbers and appends the CPU to the spark without touching other hosts', () => {
    const fleet = base();
    const { fleet: next, changed } = applyPatches(fleet, [sample(1, 42)]);
    expect(next![0]).toEqual({
      host_id: 1,
      status: 'up',
      at: '2026-01-01T00:00:10Z',
      cpu: 42,
      memory: 55,
      disk: 66,
      load1: 2.5,
      spark: [10, 42],
    });
    expect(next![1]).toBe(fleet[1]);
    expect(changed).toEqual([]);
    expect(fleet[0].cpu).toBe(10); // the cached array is not mutated
  });

  it('ignores hosts the cache does not hold and returns the same array when nothing changed', () => {
    const fleet = base();
    const result = applyPatches(fleet, [sample(99, 50)]);
    expect(result.fleet).toBe(fleet);
    expect(result.changed).toEqual([]);
    expect(applyPatches(undefined, [sample(1, 5)]).fleet).toBeUndefined();
  });

  it('keeps at most 30 values in the spark, the newest', () => {
    let fleet: FleetEntry[] | undefined = base();
    for (let i = 0; i < 45; i++) {
      fleet = applyPatches(fleet, [sample(1, i, new Date(Date.UTC(2026, 0, 1, 0, 1, i)).toISOString())]).fleet;
    }
    expect(fleet![0].spark).toHaveLength(SPARK_LENGTH);
    expect(fleet![0].spark.at(-1)).toBe(44);
    expect(fleet![0].spark[0]).toBe(15);
  });

  it('marks a host that comes back with a sample, and status events, as changed', () => {
    const up = applyPatches(base(), [sample(2, 5)]);
    expect(up.fleet![1].status).toBe('up');
    expect(up.changed).toEqual([2]);
    const down = applyPatches(base(), [{ kind: 'status', host_id: 1, status: 'down' }]);
    expect(down.fleet![0].status).toBe('down');
    expect(down.changed).toEqual([1]);
    const same = applyPatches(base(), [{ kind: 'status', host_id: 1, status: 'up' }]);
    expect(same.changed).toEqual([]);
  });

  it('keeps the spark when a sample has no CPU and skips a sample older than the one shown', () => {
    const noCpu = applyPatches(base(), [sample(1, null)]).fleet!;
    expect(noCpu[0].spark).toEqual([10]);
    expect(noCpu[0].cpu).toBeNull();
    const old = applyPatches(base(), [sample(1, 99, '2025-12-31T23:59:00Z')]).fleet!;
    expect(old[0].cpu).toBe(10);
  });
});

describe('events into patches', () => {
  it('reads samples and host status events, and nothing from others or malformed bodies', () => {
    const samples = patchesOf({
      id: '1',
      type: 'samples',
      data: { samples: [{ host_id: 3, at: 'x', cpu: 1, memory: 2, disk: 3, load1: 4 }, { nope: 1 }, null] },
    });
    expect(samples).toHaveLength(1);
    expect(patchesOf({ id: '2', type: 'host_down', data: { host_id: 3 } })).toEqual([
      { kind: 'status', host_id: 3, status: 'down' },
    ]);
    expect(patchesOf({ id: '3', type: 'samples', data: {} })).toEqual([]);
    expect(patchesOf({ id: '4', type: 'incident_opened', data: { host_id: 3 } })).toEqual([]);
  });
});

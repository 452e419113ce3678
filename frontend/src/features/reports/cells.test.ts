import { describe, expect, it } from 'vitest';
import { header } from './cells';

describe('report headers', () => {
  it('reads keys as words and keeps acronyms whole', () => {
    expect(header('mttr')).toBe('MTTR');
    expect(header('p90_recovery_seconds')).toBe('P90 recovery seconds');
    expect(header('host_id')).toBe('Host ID');
    expect(header('by_outcome')).toBe('By outcome');
  });
});

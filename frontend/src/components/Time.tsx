import { localTime, utcTitle } from '../lib/format';

/** A time in the browser's zone, UTC on hover. */
export function Time({ at, seconds = false }: { at: string | null | undefined; seconds?: boolean }) {
  return at ? (
    <time dateTime={at} title={utcTitle(at)}>
      {localTime(at, seconds)}
    </time>
  ) : (
    <span>—</span>
  );
}

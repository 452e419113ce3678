import { useEffect, useState } from 'react';
import { Time } from '../../../components/Time';
import { duration } from '../../../lib/format';
import { CONFLICT_WARNING, overrideNote, staleFor, stateWords } from './botStatus';
import type { BotStatus } from './telegramForm';

/** The current time, ticking, so that a report goes stale on screen without a refetch. */
export function useNow(everyMs = 15_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}

/** The bot's last report, in words. `now` is injected by tests; the page passes a ticking clock. */
export function BotStatusBox({ status, now }: { status: BotStatus | null; now: number }) {
  const stale = staleFor(status, now);
  const state = status?.state;
  return (
    <section className="card tg-status" aria-labelledby="tg-status-heading">
      <h2 id="tg-status-heading">Bot status</h2>
      {state === 'conflict' && (
        <p className="warning tg-conflict" role="alert">
          {CONFLICT_WARNING}. Stop the other instance: only one may poll a token.
        </p>
      )}
      <p className={`tg-state tg-state-${state ?? 'none'}`}>
        <strong>{stateWords(status)}</strong>
      </p>
      {stale !== undefined && (
        <p className="warning" role="status">
          The bot has not reported for {duration(stale / 1000)}: it may not be running.
        </p>
      )}
      {status && (
        <dl className="tg-facts">
          <dt>Last report</dt>
          <dd>
            <Time at={status.reported_at} seconds />
          </dd>
          <dt>Last update</dt>
          <dd>
            <Time at={status.last_update_at} seconds />
          </dd>
          <dt>Last error</dt>
          <dd>
            {status.last_error ? (
              <>
                <span className="tg-error">{status.last_error}</span> at <Time at={status.last_error_at} seconds />
              </>
            ) : (
              'none'
            )}
          </dd>
          <dt>Outbox pending</dt>
          <dd>{status.outbox_pending}</dd>
          {status.sent_total !== undefined && (
            <>
              <dt>Sent</dt>
              <dd>{status.sent_total}</dd>
            </>
          )}
        </dl>
      )}
      {status && status.env_overrides.length > 0 && (
        <ul className="tg-overrides" aria-label="Environment overrides">
          {status.env_overrides.map((o) => (
            <li key={o}>{overrideNote(o)}</li>
          ))}
        </ul>
      )}
    </section>
  );
}

import { useState } from 'react';
import { ErrorBox } from '../../../components/States';
import { useTelegramRequest } from './api';
import type { RequestKind } from './telegramForm';

const BUTTONS: { kind: RequestKind; label: string; what: string }[] = [
  { kind: 'stats', label: 'Send /stats now', what: '/stats' },
  { kind: 'warn', label: 'Send /warn now', what: '/warn' },
  { kind: 'test', label: 'Send test message', what: 'a test message' },
];

/** Asks the bot to send something to every notification chat now (it acts when it sees the request). */
export function SendNow({ chats }: { chats: number }) {
  const request = useTelegramRequest();
  const [requested, setRequested] = useState<string>();
  const send = (kind: RequestKind, what: string) => {
    setRequested(undefined);
    request.mutate(kind, { onSuccess: () => setRequested(what) });
  };
  return (
    <section className="card tg-send" aria-labelledby="tg-send-heading">
      <h2 id="tg-send-heading">Send now</h2>
      {chats === 0 && <p className="muted">There are no notification chats yet: the bot has nowhere to send.</p>}
      <div className="step-buttons">
        {BUTTONS.map((b) => (
          <button key={b.kind} type="button" disabled={request.isPending} onClick={() => send(b.kind, b.what)}>
            {b.label}
          </button>
        ))}
      </div>
      {request.isPending && <p role="status">Requesting…</p>}
      {requested && (
        <p role="status">Requested: the bot sends {requested} to every notification chat when it sees the request.</p>
      )}
      {request.error && <ErrorBox error={request.error} />}
    </section>
  );
}

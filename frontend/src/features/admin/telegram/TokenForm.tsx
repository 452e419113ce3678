import { useState, type FormEvent } from 'react';
import { FormFeedback } from '../../../components/States';
import { useSaveTelegram } from './api';
import { tokenBody, tokenLine, type TelegramSettings } from './telegramForm';

/**
 * The bot token is write-only: the server tells only whether one is set and its last 4 characters; what the admin
 * types is sent once and the field is emptied.
 */
export function TokenForm({ current }: { current: Pick<TelegramSettings, 'token_set' | 'token_hint'> }) {
  const [typed, setTyped] = useState('');
  const [problem, setProblem] = useState<string>();
  const [done, setDone] = useState<string>();
  const [confirming, setConfirming] = useState(false);
  const save = useSaveTelegram();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setDone(undefined);
    const result = tokenBody(typed);
    if ('error' in result) {
      setProblem(result.error);
      return;
    }
    setProblem(undefined);
    save.mutate(result.body, {
      onSuccess: () => {
        setTyped('');
        setDone('Token saved.');
      },
    });
  };
  const clear = () => {
    setDone(undefined);
    setProblem(undefined);
    save.mutate(
      { token: '' },
      {
        onSuccess: () => {
          setConfirming(false);
          setDone('Token cleared.');
        },
      },
    );
  };
  return (
    <form className="admin-form card" aria-label="Bot token" onSubmit={submit}>
      <h2>Bot token</h2>
      <p className="tg-token-line">{tokenLine(current)}</p>
      <label>
        New bot token
        <input
          type="password"
          autoComplete="new-password"
          spellCheck={false}
          value={typed}
          onChange={(e) => {
            setTyped(e.target.value);
            setDone(undefined);
          }}
        />
      </label>
      <FormFeedback problem={problem} error={save.error} done={done} />
      <div className="step-buttons">
        <button type="submit" className="primary" disabled={save.isPending}>
          Save token
        </button>
        {current.token_set && !confirming && (
          <button type="button" onClick={() => setConfirming(true)}>
            Clear token
          </button>
        )}
      </div>
      {current.token_set && confirming && (
        <div className="tg-confirm" role="group" aria-label="Clear the bot token">
          <p className="warning">Clearing the token disconnects the bot until a new token is saved.</p>
          <span className="step-buttons">
            <button type="button" className="danger" disabled={save.isPending} onClick={clear}>
              Confirm clear token
            </button>
            <button type="button" onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </span>
        </div>
      )}
    </form>
  );
}

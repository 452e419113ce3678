import { useEffect, useState, type FormEvent } from 'react';
import { FormFeedback } from '../../../components/States';
import { Time } from '../../../components/Time';
import type { Role } from '../../../lib/auth';
import { useSaveTelegram } from './api';
import {
  draftOfTelegram,
  emptyChat,
  emptyUser,
  sameFormFields,
  SEVERITIES,
  TG_ROLES,
  telegramBody,
  type Problem,
  type Severity,
  type TelegramDraft,
  type TelegramSettings,
} from './telegramForm';

const invalid = (problems: Problem[], list: Problem['list'], row: number, field: string) =>
  problems.some((p) => p.list === list && p.row === row && p.field === field) || undefined;

/** Chats, users, threshold and quiet delivery; saved together, sending only what changed. */
export function TelegramSettingsForm({ current }: { current: TelegramSettings }) {
  const [draft, setDraft] = useState<TelegramDraft>(() => draftOfTelegram(current));
  const [touched, setTouched] = useState(false);
  // the server state the draft started from: to notice another admin's change of these fields
  const [base, setBase] = useState(current);
  const [problems, setProblems] = useState<Problem[]>([]);
  const [saved, setSaved] = useState(false);
  const [focusKey, setFocusKey] = useState<number>();
  const save = useSaveTelegram();

  // Someone else saved (the SSE event refetched): an untouched form follows; an edited one says so.
  useEffect(() => {
    if (!touched && !sameFormFields(current, base)) {
      setDraft(draftOfTelegram(current));
      setBase(current);
    }
  }, [current, touched, base]);
  const changedElsewhere = touched && !sameFormFields(current, base);

  const edit = (change: (d: TelegramDraft) => TelegramDraft) => {
    setDraft(change);
    setTouched(true);
    setSaved(false);
  };
  const discard = () => {
    setDraft(draftOfTelegram(current));
    setBase(current);
    setTouched(false);
    setProblems([]);
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSaved(false);
    const result = telegramBody(current, draft);
    if ('problems' in result) {
      setProblems(result.problems);
      return;
    }
    setProblems([]);
    save.mutate(result.body, {
      onSuccess: (next) => {
        if (next && typeof next === 'object' && 'chats' in next) {
          setDraft(draftOfTelegram(next));
          setBase(next);
        }
        setTouched(false);
        setSaved(true);
      },
    });
  };

  const addChat = () => {
    const row = emptyChat();
    setFocusKey(row.key);
    edit((d) => ({ ...d, chats: [...d.chats, row] }));
  };
  const addUser = () => {
    const row = emptyUser();
    setFocusKey(row.key);
    edit((d) => ({ ...d, users: [...d.users, row] }));
  };

  return (
    <form className="admin-form card tg-form" aria-label="Telegram settings" onSubmit={submit} noValidate>
      <h2>Notification chats</h2>
      <p className="muted">
        Where the bot sends notifications: a chat id (groups and channels are negative) and, for a forum group, optionally
        the topic.
      </p>
      {draft.chats.length === 0 && <p className="state state-empty">No notification chats.</p>}
      {draft.chats.map((row, i) => (
        <div key={row.key} className="tg-row" role="group" aria-label={`Chat ${i + 1}`}>
          <label>
            Chat id
            <input
              autoComplete="off"
              spellCheck={false}
              autoFocus={row.key === focusKey}
              aria-invalid={invalid(problems, 'chats', i, 'chat_id')}
              value={row.chatId}
              onChange={(e) =>
                edit((d) => ({ ...d, chats: d.chats.map((c) => (c.key === row.key ? { ...c, chatId: e.target.value } : c)) }))
              }
            />
          </label>
          <label>
            Topic id
            <input
              inputMode="numeric"
              autoComplete="off"
              placeholder="optional"
              aria-invalid={invalid(problems, 'chats', i, 'topic_id')}
              value={row.topicId}
              onChange={(e) =>
                edit((d) => ({ ...d, chats: d.chats.map((c) => (c.key === row.key ? { ...c, topicId: e.target.value } : c)) }))
              }
            />
          </label>
          <button type="button" onClick={() => edit((d) => ({ ...d, chats: d.chats.filter((c) => c.key !== row.key) }))}>
            Remove
          </button>
        </div>
      ))}
      <div>
        <button type="button" onClick={addChat}>
          Add chat
        </button>
      </div>

      <h2>Allowed users</h2>
      <p className="muted">Telegram users who may use the bot, each with the role it acts with. Anyone else is refused.</p>
      {draft.users.length === 0 && <p className="state state-empty">No allowed users.</p>}
      {draft.users.map((row, i) => (
        <div key={row.key} className="tg-row" role="group" aria-label={`User ${i + 1}`}>
          <label>
            Telegram user id
            <input
              inputMode="numeric"
              autoComplete="off"
              autoFocus={row.key === focusKey}
              aria-invalid={invalid(problems, 'users', i, 'user_id')}
              value={row.userId}
              onChange={(e) =>
                edit((d) => ({ ...d, users: d.users.map((u) => (u.key === row.key ? { ...u, userId: e.target.value } : u)) }))
              }
            />
          </label>
          <label>
            Role
            <select
              value={row.role}
              onChange={(e) =>
                edit((d) => ({
                  ...d,
                  users: d.users.map((u) => (u.key === row.key ? { ...u, role: e.target.value as Role } : u)),
                }))
              }
            >
              {TG_ROLES.map((r) => (
                <option key={r}>{r}</option>
              ))}
            </select>
          </label>
          <button type="button" onClick={() => edit((d) => ({ ...d, users: d.users.filter((u) => u.key !== row.key) }))}>
            Remove
          </button>
        </div>
      ))}
      <div>
        <button type="button" onClick={addUser}>
          Add user
        </button>
      </div>

      <h2>Notifications</h2>
      <label>
        Least severity notified
        <select value={draft.minSeverity} onChange={(e) => edit((d) => ({ ...d, minSeverity: e.target.value as Severity }))}>
          {SEVERITIES.map((s) => (
            <option key={s}>{s}</option>
          ))}
        </select>
      </label>
      <label className="check">
        <input type="checkbox" checked={draft.quiet} onChange={(e) => edit((d) => ({ ...d, quiet: e.target.checked }))} />
        Quiet delivery for non-critical
      </label>

      {changedElsewhere && (
        <p className="warning">
          {current.updated_by ?? 'Someone'} changed these settings at <Time at={current.updated_at} /> while you were
          editing; saving sends only your changes.{' '}
          <button type="button" onClick={discard}>
            Discard my changes
          </button>
        </p>
      )}
      <FormFeedback
        problem={
          problems.length === 1 ? (
            problems[0].message
          ) : problems.length > 1 ? (
            <ul>
              {problems.map((p) => (
                <li key={`${p.list}-${p.row}-${p.field}`}>{p.message}</li>
              ))}
            </ul>
          ) : undefined
        }
        error={save.error}
        done={saved && 'Telegram settings saved.'}
      />
      <div>
        <button type="submit" className="primary" disabled={save.isPending}>
          Save Telegram settings
        </button>
      </div>
      {current.updated_at && (
        <p className="muted">
          Last changed <Time at={current.updated_at} />
          {current.updated_by ? ` by ${current.updated_by}` : ''}.
        </p>
      )}
    </form>
  );
}

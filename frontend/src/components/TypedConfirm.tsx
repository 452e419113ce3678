import { useId, useState, type FormEvent } from 'react';

/**
 * A dangerous button's confirmation: the action runs only after the user types the exact word (a host name).
 */
export function TypedConfirm({
  word,
  label,
  onConfirm,
  onCancel,
  busy = false,
}: {
  word: string;
  label: string;
  onConfirm: () => void;
  onCancel: () => void;
  busy?: boolean;
}) {
  const [typed, setTyped] = useState('');
  const id = useId();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (typed === word) onConfirm();
  };
  return (
    <form className="confirm" onSubmit={submit} role="dialog" aria-labelledby={`${id}-label`}>
      <label id={`${id}-label`} htmlFor={id}>
        Type <strong>{word}</strong> to {label}
      </label>
      <input id={id} autoFocus autoComplete="off" value={typed} onChange={(e) => setTyped(e.target.value)} />
      <button type="submit" className="danger" disabled={typed !== word || busy}>
        {label}
      </button>
      <button type="button" onClick={onCancel}>
        Cancel
      </button>
    </form>
  );
}

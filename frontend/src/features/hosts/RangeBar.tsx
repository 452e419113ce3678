import { useEffect, useState, type FormEvent } from 'react';
import { toLocalInput } from '../../lib/filters';
import { PRESET_LABELS, PRESET_NAMES, type Preset, type Range } from './series';

/** Keys 1–5 pick the presets, except while typing in a field. */
export function presetForKey(key: string, target: EventTarget | null): Preset | undefined {
  const element = target as HTMLElement | null;
  if (element?.closest?.('input, textarea, select, [contenteditable="true"]')) return undefined;
  const index = ['1', '2', '3', '4', '5'].indexOf(key);
  return index < 0 ? undefined : PRESET_NAMES[index];
}

export function RangeBar({
  range,
  shown,
  onPreset,
  onCustom,
}: {
  range: Range;
  /** the range's current bounds, epoch ms (prefills the custom inputs) */
  shown: { from: number; to: number };
  onPreset: (preset: Preset) => void;
  onCustom: (from: number, to: number) => void;
}) {
  const [from, setFrom] = useState(toLocalInput(shown.from));
  const [to, setTo] = useState(toLocalInput(shown.to));
  const [problem, setProblem] = useState('');

  useEffect(() => {
    setFrom(toLocalInput(shown.from));
    setTo(toLocalInput(shown.to));
    // follow the range when it changes (a preset, a drag on a chart), not every minute a preset slides
  }, [range.key]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      const preset = presetForKey(event.key, event.target);
      if (preset) {
        event.preventDefault();
        onPreset(preset);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onPreset]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const start = new Date(from).getTime();
    const end = new Date(to).getTime();
    if (!Number.isFinite(start) || !Number.isFinite(end)) return setProblem('Give both times.');
    if (start >= end) return setProblem('"From" must be before "To".');
    setProblem('');
    onCustom(start, end);
  };

  return (
    <div className="range-bar">
      <div role="group" aria-label="Time range" className="presets">
        {PRESET_NAMES.map((preset, i) => (
          <button
            key={preset}
            type="button"
            aria-pressed={range.kind === 'preset' && range.preset === preset}
            title={`Last ${PRESET_LABELS[preset]} (key ${i + 1})`}
            onClick={() => onPreset(preset)}
          >
            {PRESET_LABELS[preset]}
          </button>
        ))}
      </div>
      <form className="custom-range" onSubmit={submit}>
        <label>
          From <input type="datetime-local" value={from} onChange={(e) => setFrom(e.target.value)} required />
        </label>
        <label>
          To <input type="datetime-local" value={to} onChange={(e) => setTo(e.target.value)} required />
        </label>
        <button type="submit" aria-pressed={range.kind === 'custom'}>
          Show range
        </button>
        {problem && (
          <span role="alert" className="state-error">
            {problem}
          </span>
        )}
      </form>
    </div>
  );
}

import { useState, type FormEvent } from 'react';
import { FormFeedback, QueryView } from '../../components/States';
import { useSaveSettings, useSettings } from './api';
import { draftOfSettings, reasonRequired, settingsBody, type Settings } from './settingsForm';

export function SettingsPage() {
  const settings = useSettings();
  return (
    <section>
      <h1>Settings</h1>
      <QueryView query={settings} what="Loading settings">
        {(current) => <SettingsForm current={current} />}
      </QueryView>
    </section>
  );
}

export function SettingsForm({ current }: { current: Settings }) {
  const [draft, setDraft] = useState(() => draftOfSettings(current));
  const [problem, setProblem] = useState<string>();
  const [saved, setSaved] = useState(false);
  const save = useSaveSettings();
  const needsReason = reasonRequired(current, draft);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSaved(false);
    const result = settingsBody(current, draft);
    if ('error' in result) {
      setProblem(result.error);
      return;
    }
    setProblem(undefined);
    save.mutate(result.body, {
      onSuccess: (next) => {
        if (next && typeof next === 'object' && 'retention_days' in next) setDraft(draftOfSettings(next));
        else setDraft((d) => ({ ...d, reason: '' }));
        setSaved(true);
      },
    });
  };
  return (
    <form className="admin-form card" aria-label="Settings" onSubmit={submit}>
      <label>
        Retention days
        <input
          type="number"
          min={1}
          max={90}
          step={1}
          required
          value={draft.retentionDays}
          onChange={(e) => setDraft((d) => ({ ...d, retentionDays: e.target.value }))}
        />
      </label>
      <label className="check">
        <input type="checkbox" checked={draft.dryRun} onChange={(e) => setDraft((d) => ({ ...d, dryRun: e.target.checked }))} />
        Global dry run
      </label>
      {needsReason && (
        <>
          <p className="warning" role="alert">
            Switching the global dry run off makes Vigil act: rules will restart services, kill processes and (where
            allowed) reboot hosts for real.
          </p>
          <label>
            Reason
            <input required value={draft.reason} onChange={(e) => setDraft((d) => ({ ...d, reason: e.target.value }))} />
          </label>
        </>
      )}
      <label>
        Poll interval (s)
        <input
          type="number"
          min={1}
          step={1}
          required
          value={draft.pollInterval}
          onChange={(e) => setDraft((d) => ({ ...d, pollInterval: e.target.value }))}
        />
      </label>
      <FormFeedback problem={problem} error={save.error} done={saved && 'Settings saved.'} />
      <div>
        <button type="submit" className="primary" disabled={save.isPending}>
          Save settings
        </button>
      </div>
    </form>
  );
}

import { useCallback, useEffect, useRef, useState } from 'react';
import { Link, useBlocker, useLocation, useParams } from 'react-router-dom';
import { ApiError } from '../../lib/api';
import { useCan } from '../../lib/auth';
import { ErrorBox, Loading } from '../../components/States';
import { refusedProblems, useRuleFile, useSaveRule, useValidate, type Problem } from './api';
import { BacktestPanel } from './Backtest';
import { RuleEditor, type EditorHandle } from './Editor';
import { aboutFile, problemText } from './problems';

/** What a new file starts from: the package and imports every rule file uses, and a commented example. */
export const TEMPLATE = `package vigil.rules

import dev.vigil.rules.model.*

// rule "Describe what the rule decides"
// when
//     $now : Sample( cpuPercent > host.limit("my_limit_percent", 90), $id : hostId )
//     not Warning( hostId == $id, kind == "my-kind" )
// then
//     insert( new Warning( $id, "my-kind", "", Warning.WARNING, "what an operator should know" ) );
// end
`;

export function RuleEditorPage() {
  const file = useParams().file ?? '';
  const location = useLocation();
  const canSave = useCan('admin');
  const loaded = useRuleFile(file);
  const created = Boolean((location.state as { created?: boolean } | null)?.created);
  // A file not on the server yet is refetched when the rules reload (saving it reloads them) and, having no data,
  // is pending again meanwhile: it stays "missing" until the answer comes, so the editor is not unmounted mid-save.
  const wasMissing = useRef(false);
  const missing =
    (loaded.error instanceof ApiError && loaded.error.status === 404) || (loaded.isPending && wasMissing.current);
  if (!loaded.isPending) wasMissing.current = missing;

  if (missing && canSave) {
    return <Editing key={file} file={file} initial={TEMPLATE} serverContent={undefined} fresh created={created} />;
  }
  if (loaded.isPending) return <Loading what={`Loading ${file}`} />;
  if (loaded.error) {
    return (
      <>
        <BackLink />
        <h1>{file}</h1>
        <ErrorBox error={loaded.error} />
      </>
    );
  }
  return (
    <Editing
      key={file}
      file={file}
      initial={loaded.data.content}
      serverContent={loaded.data.content}
      serverProblems={loaded.data.problems}
      status={loaded.data.status}
    />
  );
}

function BackLink() {
  return (
    <p className="back">
      <Link to="/rules">← All rule files</Link>
    </p>
  );
}

type Outcome = { kind: 'ok' | 'problems' | 'error'; text: string } | null;

const NO_PROBLEMS: Problem[] = [];

function Editing({
  file,
  initial,
  serverContent,
  serverProblems = NO_PROBLEMS,
  status,
  fresh = false,
  created = false,
}: {
  file: string;
  initial: string;
  serverContent: string | undefined;
  serverProblems?: Problem[];
  status?: string;
  fresh?: boolean;
  created?: boolean;
}) {
  const canValidate = useCan('operator');
  const canSave = useCan('admin');
  const editor = useRef<EditorHandle>(null);
  const [saved, setSaved] = useState<string | undefined>(serverContent);
  const [content, setContent] = useState(initial);
  const [problems, setProblems] = useState<Problem[]>(serverProblems);
  const [outcome, setOutcome] = useState<Outcome>(null);
  const [serverChanged, setServerChanged] = useState(false);
  const validate = useValidate();
  const save = useSaveRule(file);
  const dirty = canSave && content !== saved;

  // the file changed on the server (another admin saved, rules reloaded): follow it unless there are edits
  useEffect(() => {
    if (serverContent === undefined || serverContent === saved) return;
    if (content === saved) {
      editor.current?.replace(serverContent);
      setSaved(serverContent);
      setContent(serverContent);
    } else {
      setServerChanged(true);
    }
    // only a new server version matters here
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [serverContent]);

  const runValidate = useCallback(() => {
    if (!canValidate || validate.isPending) return;
    const text = editor.current?.content() ?? content;
    setOutcome(null);
    validate.mutate(
      { name: file, content: text },
      {
        onSuccess: (result) => {
          setProblems(result.problems);
          setOutcome(
            result.valid && result.problems.length === 0
              ? { kind: 'ok', text: 'No problems' }
              : { kind: 'problems', text: `${result.problems.length} problem${result.problems.length === 1 ? '' : 's'}` },
          );
        },
        onError: (error) => setOutcome({ kind: 'error', text: error.message }),
      },
    );
  }, [canValidate, validate, file, content]);

  const runSave = useCallback(() => {
    if (!canSave || save.isPending) return;
    const text = editor.current?.content() ?? content;
    setOutcome(null);
    save.mutate(text, {
      onSuccess: () => {
        setSaved(text);
        setServerChanged(false);
        setProblems([]);
        setOutcome({ kind: 'ok', text: 'Saved; the server reloaded the rules' });
      },
      onError: (error) => {
        const refused = refusedProblems(error);
        if (refused) setProblems(refused);
        setOutcome({
          kind: refused ? 'problems' : 'error',
          text: refused ? `Not saved: ${refused.length} problem${refused.length === 1 ? '' : 's'}` : error.message,
        });
      },
    });
  }, [canSave, save, content]);

  // Ctrl/Cmd-S saves, Ctrl/Cmd-Enter validates, wherever the focus is on this page (before CodeMirror sees them)
  const keys = useRef({ runSave, runValidate });
  keys.current = { runSave, runValidate };
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (!(event.ctrlKey || event.metaKey) || event.altKey) return;
      if (event.key === 's' || event.key === 'S') {
        if (!canSave) return;
        event.preventDefault();
        event.stopPropagation();
        keys.current.runSave();
      } else if (event.key === 'Enter' && canValidate) {
        event.preventDefault();
        event.stopPropagation();
        keys.current.runValidate();
      }
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [canSave, canValidate]);

  useUnsavedWarning(dirty);
  const blocker = useBlocker(
    ({ currentLocation, nextLocation }) => dirty && currentLocation.pathname !== nextLocation.pathname,
  );

  const goTo = (problem: Problem) => editor.current?.goTo(problem.line, problem.column);

  return (
    <div className="rule-page">
      <BackLink />
      <div className="rule-head">
        <h1>{file}</h1>
        {fresh ? (
          <span className="file-state file-stale">new: not on the server until you save it</span>
        ) : (
          status && <span className={`file-state file-${status}`}>{status}</span>
        )}
        {dirty && <span className="unsaved">unsaved changes</span>}
      </div>
      {fresh && !created && <p className="hint">There is no such file yet: it starts from a template.</p>}
      {!canValidate && <p className="hint">Read only: validating and saving rules need an operator or an admin.</p>}
      {canValidate && !canSave && (
        <p className="hint">You can validate and backtest changes here; saving a rule file needs an admin.</p>
      )}
      {serverChanged && (
        <div className="notice" role="alert">
          This file changed on the server while you were editing.{' '}
          <button
            type="button"
            onClick={() => {
              if (serverContent === undefined) return;
              editor.current?.replace(serverContent);
              setSaved(serverContent);
              setContent(serverContent);
              setServerChanged(false);
            }}
          >
            Load the server's version
          </button>
        </div>
      )}
      {(canValidate || canSave) && (
        <div className="toolbar">
          {canValidate && (
            <button type="button" onClick={runValidate} disabled={validate.isPending} aria-keyshortcuts="Control+Enter">
              Validate
            </button>
          )}
          {canSave && (
            <button
              type="button"
              className="primary"
              onClick={runSave}
              disabled={save.isPending}
              aria-keyshortcuts="Control+S"
            >
              Save
            </button>
          )}
          <span className="keys muted">
            {canSave ? 'Ctrl/⌘-S saves, ' : ''}Ctrl/⌘-Enter validates
          </span>
          <span role="status" className={outcome ? `outcome outcome-${outcome.kind}` : 'outcome'}>
            {validate.isPending ? 'Validating…' : save.isPending ? 'Saving…' : (outcome?.text ?? '')}
          </span>
        </div>
      )}
      {problems.length > 0 && (
        <ul className="problems" aria-label="Problems">
          {problems.map((p, i) => (
            <li key={i}>
              {aboutFile(p, file) ? (
                <button type="button" className="link" onClick={() => goTo(p)}>
                  {problemText(p, file)}
                </button>
              ) : (
                <span>{problemText(p, file)}</span>
              )}
            </li>
          ))}
        </ul>
      )}
      <RuleEditor
        ref={editor}
        initial={initial}
        readOnly={!canValidate}
        file={file}
        problems={problems}
        onChange={setContent}
      />
      {canValidate && (
        <BacktestPanel file={file} content={() => editor.current?.content() ?? content} onProblems={setProblems} />
      )}
      {blocker.state === 'blocked' && (
        <div className="notice leave" role="alertdialog" aria-labelledby="leave-title">
          <p id="leave-title">
            {file} has unsaved changes. Leave without saving?
          </p>
          <button type="button" className="danger" onClick={() => blocker.proceed()}>
            Leave
          </button>{' '}
          <button type="button" autoFocus onClick={() => blocker.reset()}>
            Stay
          </button>
        </div>
      )}
    </div>
  );
}

/** The browser asks before closing or reloading the tab while there are unsaved changes. */
function useUnsavedWarning(dirty: boolean) {
  useEffect(() => {
    if (!dirty) return;
    const onBeforeUnload = (event: BeforeUnloadEvent) => {
      event.preventDefault();
      event.returnValue = '';
    };
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => window.removeEventListener('beforeunload', onBeforeUnload);
  }, [dirty]);
}

import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { Can } from '../../lib/auth';
import { Empty, QueryView } from '../../components/States';
import { Time } from '../../components/Time';
import { FILE_NAME, useRuleFiles, type Problem, type RulesStatus } from './api';
import { problemText } from './problems';

export function RuleFilesPage() {
  const rules = useRuleFiles();
  return (
    <>
      <h1>Rules</h1>
      <QueryView query={rules} what="Loading the rules">
        {(status) => <RuleFiles status={status} />}
      </QueryView>
      <Can least="admin">
        <NewFileForm existing={rules.data?.files.map((f) => f.name) ?? []} />
      </Can>
    </>
  );
}

function RuleFiles({ status }: { status: RulesStatus }) {
  return (
    <>
      <p className={status.status === 'loaded' ? 'rules-summary status-up' : 'rules-summary status-down'} role="status">
        {status.status === 'loaded'
          ? `${status.rules.length} rules loaded`
          : 'The rule files do not compile: the previous rules keep running'}{' '}
        <span className="muted">
          (loaded <Time at={status.loaded_at} />, folder <code>{status.folder}</code>)
        </span>
      </p>
      {status.problems.length > 0 && <ProblemLines problems={status.problems} label="Load problems" />}
      {status.files.length === 0 ? (
        <Empty>No rule files in the folder.</Empty>
      ) : (
        <div className="table-wrap">
          <table aria-label="Rule files">
            <thead>
              <tr>
                <th scope="col">File</th>
                <th scope="col">Status</th>
                <th scope="col">Problems</th>
              </tr>
            </thead>
            <tbody>
              {status.files.map((file) => (
                <tr key={file.name}>
                  <td>
                    <Link to={`/rules/${encodeURIComponent(file.name)}`}>{file.name}</Link>
                  </td>
                  <td>
                    <span className={`file-state file-${file.status}`}>{file.status}</span>
                  </td>
                  <td>
                    {file.problems.length === 0 ? (
                      <span className="muted">none</span>
                    ) : (
                      <ProblemLines problems={file.problems} file={file.name} />
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

function ProblemLines({ problems, file = '', label }: { problems: Problem[]; file?: string; label?: string }) {
  return (
    <ul className="problem-lines" aria-label={label}>
      {problems.map((p, i) => (
        <li key={i}>{problemText(p, file)}</li>
      ))}
    </ul>
  );
}

function NewFileForm({ existing }: { existing: string[] }) {
  const navigate = useNavigate();
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const create = (event: FormEvent) => {
    event.preventDefault();
    const file = name.trim();
    if (!FILE_NAME.test(file)) {
      setError('A rule file is named like cpu.drl: letters, digits, _ . - and ending in .drl.');
      return;
    }
    setError(null);
    // an existing file simply opens; a new one opens on a template and exists once it is saved
    navigate(`/rules/${encodeURIComponent(file)}`, { state: { created: !existing.includes(file) } });
  };
  return (
    <form className="card new-file" onSubmit={create} noValidate>
      <h2>New file</h2>
      <div className="row">
        <label>
          File name
          <input
            value={name}
            onChange={(e) => setName(e.target.value)}
            placeholder="mine.drl"
            pattern="[A-Za-z0-9][A-Za-z0-9_.\-]*\.drl"
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? 'new-file-error' : undefined}
            required
          />
        </label>
        <button type="submit" className="primary">
          Create
        </button>
      </div>
      {error && (
        <p id="new-file-error" className="state state-error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}

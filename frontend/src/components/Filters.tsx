// The URL-backed filter controls of the lists (incidents, actions, audit): each reads and writes one search parameter.
import type { ReactNode } from 'react';
import { useSearchParams } from 'react-router-dom';
import { toLocalInput, withParam } from '../lib/filters';
import { useHosts } from '../lib/hosts';

/** A URL-backed filter: reads and writes one search parameter. */
export function useParam(name: string): [string, (value: string) => void] {
  const [params, setParams] = useSearchParams();
  return [params.get(name) ?? '', (value) => setParams((prev) => withParam(prev, name, value), { replace: true })];
}

export function SelectFilter({
  name,
  label,
  options,
  fallback = '',
}: {
  name: string;
  label: string;
  options: readonly (readonly [string, string])[];
  fallback?: string;
}) {
  const [value, set] = useParam(name);
  return (
    <label className="filter">
      {label}
      <select aria-label={label} value={value || fallback} onChange={(e) => set(e.target.value === fallback ? '' : e.target.value)}>
        {options.map(([v, text]) => (
          <option key={v} value={v}>
            {text}
          </option>
        ))}
      </select>
    </label>
  );
}

export function HostFilter() {
  const hosts = useHosts();
  const options: [string, string][] = [['', 'All hosts'], ...(hosts.data ?? []).map((h): [string, string] => [String(h.id), h.name])];
  return <SelectFilter name="host" label="Host" options={options} />;
}

function TimeFilter({ name, label }: { name: string; label: string }) {
  const [value, set] = useParam(name);
  return (
    <label className="filter">
      {label}
      <input type="datetime-local" aria-label={label} value={toLocalInput(value)} onChange={(e) => set(e.target.value)} />
    </label>
  );
}

/** From/to in the browser's zone; the URL keeps what was picked, the API gets UTC. */
export function TimeRangeFilter() {
  return (
    <>
      <TimeFilter name="from" label="From" />
      <TimeFilter name="to" label="To" />
    </>
  );
}

export function FilterBar({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="filters" role="group" aria-label={label}>
      {children}
    </div>
  );
}

import { useMemo, useRef, type KeyboardEvent } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { useVirtualizer } from '@tanstack/react-virtual';
import { ago, percent } from '../../lib/format';
import { Empty } from '../../components/States';
import { withParam } from '../../lib/filters';
import { Sparkline } from './Sparkline';
import {
  filterRows,
  groupsOf,
  nextSort,
  readFilters,
  readSort,
  sortRows,
  STATES,
  type Row,
  type Sort,
  type SortKey,
} from './grid';

const ROW_HEIGHT = 34;

type Column = { key: SortKey | 'spark'; title: string; className: string };
const COLUMNS: Column[] = [
  { key: 'status', title: 'Status', className: 'c-status' },
  { key: 'name', title: 'Name', className: 'c-name' },
  { key: 'group', title: 'Group', className: 'c-group' },
  { key: 'cpu', title: 'CPU', className: 'c-cpu num' },
  { key: 'memory', title: 'Memory', className: 'c-mem num' },
  { key: 'disk', title: 'Disk', className: 'c-disk num' },
  { key: 'load1', title: 'Load', className: 'c-load num' },
  { key: 'spark', title: 'CPU trend', className: 'c-spark' },
  { key: 'incidents', title: 'Incidents', className: 'c-inc' },
];

function ariaSort(sort: Sort, key: string): 'ascending' | 'descending' | 'none' | undefined {
  if (key === 'spark') return undefined;
  if (sort?.key === key) return sort.dir === 'asc' ? 'ascending' : 'descending';
  if (!sort && key === 'status') return 'ascending'; // failing first is the status order
  return 'none';
}

export function Filters({ rows }: { rows: Row[] }) {
  const [params, setParams] = useSearchParams();
  const filters = readFilters(params);
  const groups = useMemo(() => groupsOf(rows), [rows]);
  const set = (key: string, value: string) => setParams(withParam(params, key, value), { replace: true });
  return (
    <div className="grid-filters" role="search">
      <input
        type="search"
        aria-label="Search hosts"
        placeholder="Search hosts (/)"
        data-search
        value={filters.q}
        onChange={(e) => set('q', e.target.value)}
      />
      <select aria-label="Group" value={filters.group} onChange={(e) => set('group', e.target.value)}>
        <option value="">All groups</option>
        {groups.map((g) => (
          <option key={g} value={g}>
            {g}
          </option>
        ))}
        {filters.group && !groups.includes(filters.group) && <option value={filters.group}>{filters.group}</option>}
      </select>
      <input
        aria-label="Label"
        placeholder="label=value"
        value={filters.label}
        onChange={(e) => set('label', e.target.value)}
        spellCheck={false}
      />
      <select aria-label="State" value={filters.state} onChange={(e) => set('state', e.target.value)}>
        <option value="">All states</option>
        {STATES.map((s) => (
          <option key={s} value={s}>
            {s === 'maintenance' ? 'in maintenance' : s}
          </option>
        ))}
      </select>
      {(filters.q || filters.group || filters.label || filters.state) && (
        <button
          type="button"
          onClick={() => {
            const next = new URLSearchParams(params);
            ['q', 'group', 'label', 'state'].forEach((k) => next.delete(k));
            setParams(next, { replace: true });
          }}
        >
          Clear filters
        </button>
      )}
    </div>
  );
}

/** The hosts, filtered and sorted by the URL's params, virtualised: only the visible rows are in the DOM. */
export function HostGrid({ rows, fresh }: { rows: Row[]; fresh: ReadonlySet<number> }) {
  const [params, setParams] = useSearchParams();
  const filters = readFilters(params);
  const sort = readSort(params);
  const shown = useMemo(
    () => sortRows(filterRows(rows, filters), sort),
    [rows, filters.q, filters.group, filters.label, filters.state, sort?.key, sort?.dir],
  );
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: shown.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });

  const onSort = (key: SortKey) => {
    const next = nextSort(sort, key);
    let search = withParam(params, 'sort', next?.key ?? '');
    search = withParam(search, 'dir', next?.dir ?? '');
    setParams(search, { replace: true });
  };

  // arrow keys move between the rows' host links, scrolling the virtual list along; a row not drawn yet gets
  // the focus as soon as it is drawn, and presses before that count from it
  const pendingRow = useRef<number | null>(null);
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const keys: Record<string, number> = { ArrowDown: 1, ArrowUp: -1, PageDown: 10, PageUp: -10 };
    const delta = keys[event.key];
    const row = (event.target as HTMLElement).closest<HTMLElement>('[data-row]');
    if (delta === undefined || !row) return;
    event.preventDefault();
    const from = pendingRow.current ?? Number(row.dataset.row);
    const index = Math.min(shown.length - 1, Math.max(0, from + delta));
    const target = () => scroller.current?.querySelector<HTMLElement>(`[data-row="${index}"] .c-name a`);
    virtualizer.scrollToIndex(index);
    const rendered = target();
    if (rendered) {
      pendingRow.current = null;
      rendered.focus();
      return;
    }
    pendingRow.current = index;
    let frames = 0;
    const focusWhenDrawn = () => {
      if (pendingRow.current !== index) return;
      const drawn = target();
      if (drawn || ++frames > 20) {
        pendingRow.current = null;
        drawn?.focus();
      } else requestAnimationFrame(focusWhenDrawn);
    };
    requestAnimationFrame(focusWhenDrawn);
  };

  return (
    <>
      <p className="grid-count" role="status">
        {shown.length === rows.length ? '' : `${shown.length} of `}
        {rows.length === 1 ? '1 host' : `${rows.length} hosts`}
      </p>
      <div
        className="host-grid"
        role="grid"
        aria-label="Hosts"
        aria-rowcount={shown.length + 1}
        aria-colcount={COLUMNS.length}
        ref={scroller}
        onKeyDown={onKeyDown}
      >
        <div role="rowgroup" className="grid-head">
          <div role="row" aria-rowindex={1} className="grid-row">
            {COLUMNS.map((c, i) => (
              <div
                key={c.key}
                role="columnheader"
                aria-colindex={i + 1}
                aria-sort={ariaSort(sort, c.key)}
                className={c.className}
              >
                {c.key === 'spark' ? (
                  <span>{c.title}</span>
                ) : (
                  <button type="button" onClick={() => onSort(c.key as SortKey)}>
                    {c.title}
                    <span aria-hidden="true" className="sort-mark">
                      {sort?.key === c.key ? (sort.dir === 'asc' ? ' ▲' : ' ▼') : ''}
                    </span>
                  </button>
                )}
              </div>
            ))}
          </div>
        </div>
        <div role="rowgroup" className="grid-body" style={{ height: virtualizer.getTotalSize() }}>
          {virtualizer.getVirtualItems().map((item) => {
            const row = shown[item.index];
            return (
              <HostRow
                key={row.id}
                row={row}
                index={item.index}
                fresh={fresh.has(row.id)}
                top={item.start}
              />
            );
          })}
        </div>
      </div>
      {shown.length === 0 && rows.length > 0 && <Empty>No host matches these filters.</Empty>}
    </>
  );
}

function HostRow({ row, index, fresh, top }: { row: Row; index: number; fresh: boolean; top: number }) {
  const incidentClass = row.worst === 'critical' ? 'sev-critical' : row.worst === 'warning' ? 'sev-warning' : '';
  return (
    <div
      role="row"
      aria-rowindex={index + 2}
      data-row={index}
      className={`grid-row${fresh ? ' fresh' : ''}${row.status === 'down' ? ' row-down' : ''}`}
      style={{ transform: `translateY(${top}px)` }}
    >
      <div role="gridcell" className="c-status">
        <span className={`status status-${row.status}`}>
          <span aria-hidden="true" className="dot" />
          {row.status}
        </span>
        {row.maintenance && (
          <span className="maint" title="In maintenance: actions are suppressed">
            {' '}
            maint.
          </span>
        )}
      </div>
      <div role="gridcell" className="c-name">
        <Link to={`/hosts/${row.id}`} title={row.at ? `last sample ${ago(row.at)}` : 'no sample yet'}>
          {row.name}
        </Link>
      </div>
      <div role="gridcell" className="c-group">
        {row.group ?? ''}
      </div>
      <div role="gridcell" className="c-cpu num">
        {percent(row.cpu)}
      </div>
      <div role="gridcell" className="c-mem num">
        {percent(row.memory)}
      </div>
      <div role="gridcell" className="c-disk num">
        {percent(row.disk)}
      </div>
      <div role="gridcell" className="c-load num">
        {row.load1 === null ? '—' : row.load1.toFixed(2)}
      </div>
      <div role="gridcell" className="c-spark">
        <Sparkline values={row.spark} />
      </div>
      <div role="gridcell" className={`c-inc ${incidentClass}`}>
        {row.incidents === 0 ? (
          <span className="muted">0</span>
        ) : (
          <Link to={`/incidents?state=open&host=${row.id}`} className={incidentClass}>
            {row.incidents} {row.worst ?? ''}
          </Link>
        )}
      </div>
    </div>
  );
}

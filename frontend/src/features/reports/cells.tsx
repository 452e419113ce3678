// A report table's cells, formatted from their column's name and value: the server's tables are rendered
// generically, whatever columns they have.
import type { ReactNode } from 'react';
import { Link } from 'react-router-dom';
import { Time } from '../../components/Time';
import { bytes, duration, percent } from '../../lib/format';
import type { Row } from './api';

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

export function header(key: string): string {
  const text = key
    .split('_')
    .map((word) => (ACRONYMS.has(word) ? word.toUpperCase() : word))
    .join(' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

const ACRONYMS = new Set(['mttr', 'p90', 'id', 'csv', 'json']);

/** The columns of a table: every key of every row, in order of first appearance. */
export function columns(rows: Row[]): string[] {
  const keys: string[] = [];
  for (const row of rows) for (const key of Object.keys(row)) if (!keys.includes(key)) keys.push(key);
  return keys;
}

export type ColumnKind = 'duration' | 'percent' | 'bytes' | 'number' | 'time' | 'text';

export function columnKind(key: string, rows: Row[]): ColumnKind {
  const values = rows.map((r) => r[key]).filter((v) => v !== null && v !== undefined);
  const numeric = values.length > 0 && values.every((v) => typeof v === 'number');
  if (numeric && /(^|_)(seconds|secs)$/.test(key)) return 'duration';
  if (numeric && /(^|_)(percent|pct)$/.test(key)) return 'percent';
  if (numeric && /(^|_)bytes$/.test(key)) return 'bytes';
  if (numeric) return 'number';
  if (values.length > 0 && values.every((v) => typeof v === 'string' && ISO_TIME.test(v))) return 'time';
  return 'text';
}

export function isNumeric(kind: ColumnKind): boolean {
  return kind === 'duration' || kind === 'percent' || kind === 'bytes' || kind === 'number';
}

export function cell(key: string, value: unknown, kind: ColumnKind): ReactNode {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'number') {
    if (kind === 'duration') return duration(value);
    if (kind === 'percent') return percent(value);
    if (kind === 'bytes') return bytes(value);
    if (key === 'host_id') return <Link to={`/hosts/${value}`}>{value}</Link>;
    return value.toLocaleString(undefined, { maximumFractionDigits: 2 });
  }
  if (kind === 'time' && typeof value === 'string') return <Time at={value} />;
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

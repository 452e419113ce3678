import { Empty } from '../../components/States';
import type { Row } from './api';
import { cell, columnKind, columns, header, isNumeric } from './cells';

/** One of a report's tables, whatever its columns: headers from the rows' keys, numbers right-aligned. */
export function ReportTable({ title, rows }: { title: string; rows: Row[] }) {
  if (rows.length === 0) return <Empty>No rows in this range.</Empty>;
  const keys = columns(rows);
  const kinds = keys.map((key) => columnKind(key, rows));
  return (
    <div className="table-wrap">
      <table aria-label={title} className="report-table">
        <thead>
          <tr>
            {keys.map((key, i) => (
              <th key={key} scope="col" className={isNumeric(kinds[i]) ? 'num' : undefined}>
                {header(key)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row, r) => (
            <tr key={r}>
              {keys.map((key, i) => (
                <td key={key} className={isNumeric(kinds[i]) ? 'num' : undefined}>
                  {cell(key, row[key], kinds[i])}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

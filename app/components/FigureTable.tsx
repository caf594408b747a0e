import type { ReactNode } from "react";

export interface FigureColumn {
  label: ReactNode;
  /** Right-aligned (numbers and amounts). */
  num?: boolean;
}

export interface FigureRow {
  key: string;
  /** The row's header cell (a place, a month, a project). */
  label: ReactNode;
  cells: ReactNode[];
  /** The 合计 row: bold. */
  total?: boolean;
  /** data-testid of each cell, for the specs that read a figure. */
  testIds?: Array<string | undefined>;
}

/**
 * A table of figures as plain elements (app/styles/light.css `.dtable`): a header column of row
 * labels, then the columns. Focusable and scrolled sideways when narrower than `minWidth`.
 */
export function FigureTable({ caption, rowLabel, columns, rows, minWidth }: { caption?: string; rowLabel: ReactNode; columns: FigureColumn[]; rows: FigureRow[]; minWidth: number }) {
  return (
    <div className="dtable-scroll" tabIndex={0}>
      <div style={{ minWidth }}>
        <table className="dtable">
          {caption ? <caption className="visually-hidden">{caption}</caption> : null}
          <thead>
            <tr>
              <th scope="col">{rowLabel}</th>
              {columns.map((c, i) => (
                <th key={i} scope="col" className={c.num ? "num" : undefined}>
                  {c.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.key} className={r.total ? "total" : undefined}>
                <th scope="row" className={r.total ? undefined : "th-normal"}>
                  {r.label}
                </th>
                {r.cells.map((c, i) => (
                  <td key={i} className={columns[i]?.num ? "num" : undefined} data-testid={r.testIds?.[i]}>
                    {c}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

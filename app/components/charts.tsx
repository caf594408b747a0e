import { useId, type ReactNode } from "react";
import { FigureTable } from "./FigureTable";

/**
 * Charts drawn as inline SVG (no chart library is installed). Each is an image with a title for
 * screen readers and its numbers as a table in a <details> just below, so nobody needs the picture.
 */

/** Colours with at least 3:1 contrast against white (WCAG 1.4.11), distinct for the usual colour-vision deficiencies. */
export const SERIES_COLOURS = ["#1864ab", "#c2255c", "#2b8a3e", "#e8590c", "#5f3dc4", "#495057"];

export interface Series {
  key: string;
  label: string;
}

function DataTable({ caption, head, rows }: { caption: string; head: string[]; rows: ReactNode[][] }) {
  return (
    <details>
      <summary className="disclosure">查看数据表</summary>
      <FigureTable
        caption={caption}
        rowLabel={head[0]}
        columns={head.slice(1).map((label) => ({ label, num: true }))}
        rows={rows.map((r, i) => ({ key: String(i), label: r[0], cells: r.slice(1) }))}
        minWidth={320}
      />
    </details>
  );
}

function Legend({ series }: { series: Series[] }) {
  return (
    <ul className="chart-legend" aria-hidden="true">
      {series.map((s, i) => (
        <li key={s.key}>
          <span className="chart-swatch" style={{ background: SERIES_COLOURS[i % SERIES_COLOURS.length] }} />
          {s.label}
        </li>
      ))}
    </ul>
  );
}

/** Horizontal bars, one per row, stacked by series (districts × action types). */
export function StackedBarChart({
  title,
  rows,
  series,
  format = String,
}: {
  title: string;
  rows: Array<{ label: string; values: Record<string, number> }>;
  series: Series[];
  format?: (n: number) => string;
}) {
  const id = useId();
  const totals = rows.map((r) => series.reduce((s, x) => s + (r.values[x.key] ?? 0), 0));
  const max = Math.max(1, ...totals);
  const labelW = 130;
  const barW = 380;
  const rowH = 34;
  const height = rows.length * rowH + 8;
  return (
    <figure className="chart">
      <figcaption id={id}>{title}</figcaption>
      <Legend series={series} />
      <svg viewBox={`0 0 ${labelW + barW + 70} ${height}`} role="img" aria-labelledby={id} width="100%" style={{ maxWidth: 820 }}>
        {rows.map((r, i) => {
          let x = labelW;
          const y = i * rowH + 4;
          return (
            <g key={r.label}>
              <text x={labelW - 6} y={y + rowH / 2} textAnchor="end" dominantBaseline="middle" fontSize="15" fill="#212529">
                {r.label}
              </text>
              {series.map((s, k) => {
                const w = ((r.values[s.key] ?? 0) / max) * barW;
                const rect = w > 0 ? <rect key={s.key} x={x} y={y + 4} width={w} height={rowH - 10} fill={SERIES_COLOURS[k % SERIES_COLOURS.length]} /> : null;
                x += w;
                return rect;
              })}
              <text x={x + 6} y={y + rowH / 2} dominantBaseline="middle" fontSize="15" fill="#212529">
                {format(totals[i])}
              </text>
            </g>
          );
        })}
      </svg>
      <DataTable
        caption={title}
        head={["", ...series.map((s) => s.label), "合计"]}
        rows={rows.map((r, i) => [r.label, ...series.map((s) => format(r.values[s.key] ?? 0)), format(totals[i])])}
      />
    </figure>
  );
}

/** One or more lines over months. */
export function LineChart({
  title,
  months,
  series,
  values,
  format = String,
}: {
  title: string;
  months: string[];
  series: Series[];
  values: Record<string, Record<string, number>>;
  format?: (n: number) => string;
}) {
  const id = useId();
  const w = 520;
  const h = 240;
  const pad = { l: 48, r: 16, t: 14, b: 36 };
  const max = Math.max(1, ...series.flatMap((s) => months.map((m) => values[s.key]?.[m] ?? 0)));
  const x = (i: number) => pad.l + (months.length <= 1 ? (w - pad.l - pad.r) / 2 : (i * (w - pad.l - pad.r)) / (months.length - 1));
  const y = (v: number) => h - pad.b - (v / max) * (h - pad.t - pad.b);
  const every = Math.ceil(months.length / 8);
  return (
    <figure className="chart">
      <figcaption id={id}>{title}</figcaption>
      <Legend series={series} />
      <svg viewBox={`0 0 ${w} ${h}`} role="img" aria-labelledby={id} width="100%">
        <line x1={pad.l} y1={h - pad.b} x2={w - pad.r} y2={h - pad.b} stroke="#495057" />
        <line x1={pad.l} y1={pad.t} x2={pad.l} y2={h - pad.b} stroke="#495057" />
        <text x={pad.l - 6} y={pad.t + 4} textAnchor="end" fontSize="15" fill="#212529">
          {format(max)}
        </text>
        <text x={pad.l - 6} y={h - pad.b} textAnchor="end" fontSize="15" fill="#212529">
          0
        </text>
        {months.map((m, i) =>
          i % every === 0 ? (
            <text key={m} x={x(i)} y={h - pad.b + 18} textAnchor="middle" fontSize="15" fill="#212529">
              {m.slice(2).replace("-", "/")}
            </text>
          ) : null,
        )}
        {series.map((s, k) => {
          const colour = SERIES_COLOURS[k % SERIES_COLOURS.length];
          const pts = months.map((m, i) => `${x(i)},${y(values[s.key]?.[m] ?? 0)}`).join(" ");
          return (
            <g key={s.key}>
              <polyline points={pts} fill="none" stroke={colour} strokeWidth={2.5} />
              {months.map((m, i) => (
                <circle key={m} cx={x(i)} cy={y(values[s.key]?.[m] ?? 0)} r={3.5} fill={colour} />
              ))}
            </g>
          );
        })}
      </svg>
      <DataTable caption={title} head={["月份", ...series.map((s) => s.label)]} rows={months.map((m) => [m, ...series.map((s) => format(values[s.key]?.[m] ?? 0))])} />
    </figure>
  );
}

/** Shares of a whole (money by source). */
export function DonutChart({ title, slices, format = String }: { title: string; slices: Array<{ label: string; value: number }>; format?: (n: number) => string }) {
  const id = useId();
  const total = slices.reduce((s, x) => s + x.value, 0);
  const r = 70;
  const c = 2 * Math.PI * r;
  let offset = 0;
  return (
    <figure className="chart">
      <figcaption id={id}>{title}</figcaption>
      <Legend series={slices.map((s) => ({ key: s.label, label: s.label }))} />
      <svg viewBox="0 0 200 200" role="img" aria-labelledby={id} width="100%" style={{ maxWidth: 260 }}>
        <circle cx={100} cy={100} r={r} fill="none" stroke="#e9ecef" strokeWidth={34} />
        {total > 0 &&
          slices.map((s, i) => {
            const len = (s.value / total) * c;
            const el = (
              <circle
                key={s.label}
                cx={100}
                cy={100}
                r={r}
                fill="none"
                stroke={SERIES_COLOURS[i % SERIES_COLOURS.length]}
                strokeWidth={34}
                strokeDasharray={`${len} ${c - len}`}
                strokeDashoffset={-offset}
                transform="rotate(-90 100 100)"
              />
            );
            offset += len;
            return el;
          })}
        <text x={100} y={104} textAnchor="middle" fontSize="14" fill="#212529">
          {format(total)}
        </text>
      </svg>
      <DataTable
        caption={title}
        head={["来源", "金额", "占比"]}
        rows={slices.map((s) => [s.label, format(s.value), total > 0 ? `${((s.value * 100) / total).toFixed(1)}%` : "—"])}
      />
    </figure>
  );
}

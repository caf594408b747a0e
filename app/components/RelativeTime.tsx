import { formatDateTime, formatRelative } from "../lib/dates";

/**
 * "3 天前" in lists, with the exact date and time as the hover title, in the machine-readable
 * dateTime, and (for screen readers and touch users who cannot hover) read out after it.
 * The server and the browser may disagree by a minute about "now": the text is allowed to differ.
 */
export function RelativeTime({ value, now }: { value: Date | string; now?: Date }) {
  const iso = new Date(value).toISOString();
  const exact = formatDateTime(value);
  const relative = formatRelative(value, now);
  return (
    <time dateTime={iso} title={exact} suppressHydrationWarning>
      {relative}
      {relative === exact ? null : <span className="visually-hidden">（{exact}）</span>}
    </time>
  );
}

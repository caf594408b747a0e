/** Dates are stored as timestamptz and shown in Asia/Shanghai, in the forms people read. */
export const TIME_ZONE = "Asia/Shanghai";

const dateFmt = new Intl.DateTimeFormat("zh-CN", { timeZone: TIME_ZONE, year: "numeric", month: "long", day: "numeric" });
const dateTimeFmt = new Intl.DateTimeFormat("zh-CN", {
  timeZone: TIME_ZONE,
  year: "numeric",
  month: "long",
  day: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  hour12: false,
});

/** 2026年11月23日 */
export function formatDate(d: Date | string): string {
  return dateFmt.format(new Date(d));
}

/** 2026年11月23日 14:05 */
export function formatDateTime(d: Date | string): string {
  return dateTimeFmt.format(new Date(d));
}

/** "刚刚", "5 分钟前", "3 天前", then the date itself after 30 days. */
export function formatRelative(d: Date | string, now: Date = new Date()): string {
  const diff = Math.round((now.getTime() - new Date(d).getTime()) / 1000);
  if (diff < 0) return formatDate(d);
  if (diff < 60) return "刚刚";
  if (diff < 3600) return `${Math.floor(diff / 60)} 分钟前`;
  if (diff < 86400) return `${Math.floor(diff / 3600)} 小时前`;
  if (diff < 30 * 86400) return `${Math.floor(diff / 86400)} 天前`;
  return formatDate(d);
}

/**
 * A form's "YYYY-MM-DDTHH:mm" (datetime-local), read as Asia/Shanghai wall-clock time (UTC+8, no
 * daylight saving), to the instant it names; undefined when it is not a real date and time.
 */
export function parseShanghaiDateTime(input: string): Date | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(input.trim());
  if (!m) return undefined;
  const d = new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:00+08:00`);
  if (Number.isNaN(d.getTime()) || toShanghaiInput(d) !== input.trim()) return undefined;
  return d;
}

/** The instant as a datetime-local value in Asia/Shanghai: the inverse of parseShanghaiDateTime. */
export function toShanghaiInput(d: Date | string): string {
  return new Date(new Date(d).getTime() + 8 * 3_600_000).toISOString().slice(0, 16);
}

/** The calendar date (YYYY-MM-DD) of an instant in Asia/Shanghai. */
export function shanghaiDate(d: Date | string): string {
  return toShanghaiInput(d).slice(0, 10);
}

/** A stored calendar date "2026-05-01" → 2026年5月1日, without time-zone shifts. */
export function formatCalendarDate(ymd: string): string {
  return formatDate(`${ymd}T12:00:00+08:00`);
}

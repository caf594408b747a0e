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

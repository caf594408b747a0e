import { describe, expect, it } from "vitest";
import { formatCalendarDate, formatDate, formatDateTime, formatRelative, parseShanghaiDateTime, shanghaiDate, toShanghaiInput } from "./dates";

const now = new Date("2026-11-24T12:00:00+08:00");

describe("dates as people read them", () => {
  it("writes a date as 2026年11月23日, in Shanghai time whatever the server's zone", () => {
    expect(formatDate("2026-11-23T08:00:00+08:00")).toBe("2026年11月23日");
    // 20:30 UTC on the 22nd is already the 23rd in Shanghai.
    expect(formatDate(new Date("2026-11-22T20:30:00Z"))).toBe("2026年11月23日");
    expect(formatCalendarDate("2026-05-01")).toBe("2026年5月1日");
  });

  it("adds the 24-hour time for a moment", () => {
    expect(formatDateTime("2026-11-23T14:05:00+08:00")).toBe("2026年11月23日 14:05");
  });

  it("says how long ago in plain words, then the date after 30 days", () => {
    expect(formatRelative(new Date(now.getTime() - 20_000), now)).toBe("刚刚");
    expect(formatRelative(new Date(now.getTime() - 5 * 60_000), now)).toBe("5 分钟前");
    expect(formatRelative(new Date(now.getTime() - 3 * 3_600_000), now)).toBe("3 小时前");
    expect(formatRelative("2026-11-21T09:00:00+08:00", now)).toBe("3 天前");
    expect(formatRelative("2026-10-20T09:00:00+08:00", now)).toBe("2026年10月20日");
  });

  it("shows a future moment as its date rather than a negative age", () => {
    expect(formatRelative("2026-11-30T09:00:00+08:00", now)).toBe("2026年11月30日");
  });

  it("reads a datetime-local value as Shanghai wall-clock time and refuses impossible ones", () => {
    expect(parseShanghaiDateTime("2026-11-23T14:05")?.toISOString()).toBe("2026-11-23T06:05:00.000Z");
    expect(parseShanghaiDateTime("2026-02-30T10:00")).toBeUndefined();
    expect(parseShanghaiDateTime("明天上午")).toBeUndefined();
    expect(toShanghaiInput("2026-11-23T06:05:00Z")).toBe("2026-11-23T14:05");
    expect(shanghaiDate("2026-11-22T20:30:00Z")).toBe("2026-11-23");
  });
});

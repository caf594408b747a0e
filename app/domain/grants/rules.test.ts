import { describe, expect, it } from "vitest";
import { averageRating, needsSecondApproval, progressPct, publicityEndsAt, trancheAmounts, workingDaysLeft } from "./rules";

describe("公示 in working days, Asia/Shanghai", () => {
  it("skips the weekend: published Friday afternoon, 5 working days end at 24:00 the next Friday", () => {
    // Friday 2026-03-06 15:00 in Shanghai.
    const end = publicityEndsAt(new Date("2026-03-06T15:00:00+08:00"), 5);
    expect(end.toISOString()).toBe(new Date("2026-03-14T00:00:00+08:00").toISOString());
  });

  it("uses the Shanghai calendar day, not UTC: Saturday 01:00 in Shanghai is still Friday in UTC", () => {
    const end = publicityEndsAt(new Date("2026-03-07T01:00:00+08:00"), 1);
    expect(end.toISOString()).toBe(new Date("2026-03-10T00:00:00+08:00").toISOString());
  });

  it("a Wednesday publication with 3 working days runs over the weekend to Monday night", () => {
    expect(publicityEndsAt(new Date("2026-03-04T09:00:00+08:00"), 3).toISOString()).toBe(new Date("2026-03-10T00:00:00+08:00").toISOString());
  });

  it("counts working days left, none on the weekend and none after the end", () => {
    const end = publicityEndsAt(new Date("2026-03-06T15:00:00+08:00"), 5);
    expect(workingDaysLeft(end, new Date("2026-03-07T10:00:00+08:00"))).toBe(5);
    expect(workingDaysLeft(end, new Date("2026-03-13T23:59:00+08:00"))).toBe(1);
    expect(workingDaysLeft(end, end)).toBe(0);
  });

  it("refuses a period of no working days", () => {
    expect(() => publicityEndsAt(new Date(), 0)).toThrow(RangeError);
  });
});

describe("tranches in exact 分", () => {
  it("rounds every tranche but the last down; the last takes the remainder", () => {
    expect(trancheAmounts(100_001, [30, 30, 40])).toEqual([30_000, 30_000, 40_001]);
    expect(trancheAmounts(1, [50, 50])).toEqual([0, 1]);
    expect(trancheAmounts(3_333_333, [33, 33, 34]).reduce((s, t) => s + t, 0)).toBe(3_333_333);
  });

  it("refuses percentages that do not sum to 100", () => {
    expect(() => trancheAmounts(100, [50, 40])).toThrow(RangeError);
    expect(() => trancheAmounts(100, [])).toThrow(RangeError);
  });
});

describe("figures", () => {
  it("progress is the share of approved milestones", () => {
    expect(progressPct([{ status: "approved" }, { status: "forwarded" }, { status: "open" }])).toBe(33);
    expect(progressPct([])).toBe(0);
  });

  it("the two-person rule applies strictly above the threshold", () => {
    expect(needsSecondApproval(5_000_000, 5_000_000)).toBe(false);
    expect(needsSecondApproval(5_000_001, 5_000_000)).toBe(true);
  });

  it("averages ratings to one decimal", () => {
    expect(averageRating([5, 4, 4])).toBe(4.3);
    expect(averageRating([])).toBeNull();
  });
});

import { describe, expect, it } from "vitest";
import { accessFlags, flagReaderDays, serviceGaps, suppressCount, suppressPartition, UNUSUAL_ACCESS } from "./rules";

describe("small-cell suppression", () => {
  it("shows 1–4 as <5, 0 as 0 and 5 or more as the number", () => {
    expect([0, 1, 2, 3, 4, 5, 6, 120].map(suppressCount)).toEqual(["0", "<5", "<5", "<5", "<5", "5", "6", "120"]);
  });

  it("hides a second cell when only one is small, so the total cannot give it away", () => {
    const r = suppressPartition([
      { key: "甲", count: 12 },
      { key: "乙", count: 3 },
      { key: "丙", count: 7 },
    ]);
    expect(r.cells.map((c) => c.shown)).toEqual(["12", "<5", "<5"]);
    expect(r.total).toBe("22");
  });

  it("needs no second cell when two are already hidden, and hides a small total", () => {
    expect(suppressPartition([{ key: 1, count: 2 }, { key: 2, count: 1 }, { key: 3, count: 9 }]).cells.map((c) => c.shown)).toEqual(["<5", "<5", "9"]);
    expect(suppressPartition([{ key: 1, count: 3 }]).total).toBe("<5");
    expect(suppressPartition([{ key: 1, count: 0 }, { key: 2, count: 8 }]).cells.map((c) => c.shown)).toEqual(["0", "8"]);
  });
});

describe("service gaps (30 days)", () => {
  it("flags a case whose last service is more than 30 days ago, and lists the gaps in its history", () => {
    const r = serviceGaps("2026-01-01", ["2026-01-10", "2026-03-01", "2026-03-20"], "2026-05-01");
    expect(r.gaps).toEqual([
      { from: "2026-01-10", to: "2026-03-01", days: 50 },
      { from: "2026-03-20", to: "2026-05-01", days: 42 },
    ]);
    expect(r.overdue).toBe(true);
    expect(r.daysSinceLast).toBe(42);
  });

  it("does not flag exactly 30 days, and counts from the start when there is no service yet", () => {
    expect(serviceGaps("2026-01-01", ["2026-01-31"], "2026-03-02").overdue).toBe(false);
    expect(serviceGaps("2026-01-01", [], "2026-02-01")).toMatchObject({ overdue: true, daysSinceLast: 31 });
  });
});

describe("unusual access volumes", () => {
  it("flags more than 50 distinct records in a day", () => {
    expect(accessFlags(UNUSUAL_ACCESS.maxDistinctPerDay, 40)).toEqual([]);
    expect(accessFlags(UNUSUAL_ACCESS.maxDistinctPerDay + 1, 40)).toEqual(["over_daily_limit"]);
  });

  it("flags more than three times the reader's own 30-day average, but not tiny volumes", () => {
    expect(accessFlags(13, 4)).toEqual(["above_own_baseline"]);
    expect(accessFlags(12, 4)).toEqual([]);
    expect(accessFlags(9, 0)).toEqual([]);
    expect(accessFlags(10, 0)).toEqual(["above_own_baseline"]);
  });

  it("computes each day's baseline from the 30 days before it", () => {
    const history = Array.from({ length: 30 }, (_, i) => ({ day: `2026-03-${String(i + 1).padStart(2, "0")}`, distinct: 5 }));
    const days = flagReaderDays([...history, { day: "2026-03-31", distinct: 16 }, { day: "2026-04-01", distinct: 15 }], "2026-03-31", "2026-04-01");
    expect(days).toEqual([
      { day: "2026-03-31", distinct: 16, baseline: 5, flags: ["above_own_baseline"] },
      { day: "2026-04-01", distinct: 15, baseline: (29 * 5 + 16) / 30, flags: [] },
    ]);
  });
});

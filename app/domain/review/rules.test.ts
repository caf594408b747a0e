import { describe, expect, it } from "vitest";
import { planAssignments, rankBids, reviewTotal, type AssignBid, type AssignReviewer } from "./rules";

const reviewers = (n: number, orgs: Record<string, string[]> = {}): AssignReviewer[] =>
  Array.from({ length: n }, (_, i) => ({ id: `r${i}`, organisationIds: orgs[`r${i}`] ?? [], load: 0 }));
const bids = (n: number, needed = 2): AssignBid[] => Array.from({ length: n }, (_, i) => ({ id: `b${String(i).padStart(2, "0")}`, organisationId: `o${i}`, excluded: [], needed }));

function loads(plan: ReturnType<typeof planAssignments>, rs: AssignReviewer[]) {
  const m = new Map(rs.map((r) => [r.id, r.load]));
  for (const a of plan.assignments) m.set(a.reviewerId, m.get(a.reviewerId)! + 1);
  return [...m.values()];
}

describe("review assignment", () => {
  it.each([
    [36, 5, 2],
    [3, 3, 2],
    [7, 4, 3],
    [10, 9, 1],
    [1, 6, 3],
  ])("%i bids × %i reviewers × N=%i: every bid gets N distinct reviewers and loads differ by at most 1", (nb, nr, n) => {
    const rs = reviewers(nr);
    const plan = planAssignments(bids(nb, n), rs);
    expect(plan.shortfalls).toEqual([]);
    for (const b of bids(nb, n)) {
      const mine = plan.assignments.filter((a) => a.bidId === b.id).map((a) => a.reviewerId);
      expect(new Set(mine).size).toBe(n);
    }
    const l = loads(plan, rs);
    expect(Math.max(...l) - Math.min(...l)).toBeLessThanOrEqual(1);
  });

  it("never assigns a reviewer who is a member of the bidding organisation, nor one excluded from the bid", () => {
    const rs = reviewers(3, { r0: ["o0"] });
    const plan = planAssignments([{ id: "b0", organisationId: "o0", excluded: ["r1"], needed: 2 }], rs);
    expect(plan.assignments).toEqual([{ bidId: "b0", reviewerId: "r2" }]);
    expect(plan.shortfalls).toEqual([{ bidId: "b0", missing: 1 }]);
  });

  it("tops up from existing loads: the least-loaded reviewer is chosen first", () => {
    const rs = [
      { id: "r0", organisationIds: [], load: 3 },
      { id: "r1", organisationIds: [], load: 1 },
      { id: "r2", organisationIds: [], load: 2 },
    ];
    expect(planAssignments([{ id: "b", organisationId: "o", excluded: [], needed: 1 }], rs).assignments).toEqual([{ bidId: "b", reviewerId: "r1" }]);
  });
});

describe("ranking arithmetic", () => {
  const row = (bidId: string, totals: number[], requestedFen: number, missing = 0) => ({ bidId, projectName: bidId, organisationName: "组织", requestedFen, totals, missing });

  it("a reviewer's total is the sum of criterion scores", () => {
    expect(reviewTotal([{ score: 35 }, { score: 30 }, { score: 20 }])).toBe(85);
  });

  it("orders by average, flags a spread above 20 points, keeps a running total of requested budgets against the call's total", () => {
    const r = rankBids([row("乙", [70, 71], 3_000_000), row("甲", [90, 65], 4_000_000, 1), row("丙", [], 1_000_000, 2), row("丁", [80, 80, 81], 5_000_000)], 10_000_000);
    expect(r.map((x) => [x.bidId, x.rank, x.average, x.spread, x.disagreement, x.cumulativeFen, x.withinBudget, x.missing])).toEqual([
      ["丁", 1, 80.3, 1, false, 5_000_000, true, 0],
      ["甲", 2, 77.5, 25, true, 9_000_000, true, 1],
      ["乙", 3, 70.5, 1, false, 12_000_000, false, 0],
      ["丙", null, null, null, false, 13_000_000, false, 2],
    ]);
  });

  it("a spread of exactly 20 points is not flagged; equal averages rank the cheaper bid first", () => {
    const r = rankBids([row("贵", [60, 80], 2_000_000), row("省", [70, 70], 1_000_000)], 5_000_000);
    expect(r.map((x) => [x.bidId, x.disagreement])).toEqual([
      ["省", false],
      ["贵", false],
    ]);
  });
});

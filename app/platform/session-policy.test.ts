import { describe, expect, it } from "vitest";
import { isStaff, sessionEnd } from "./session-policy";

const policy = { staffIdleMinutes: 30, residentIdleMinutes: 7 * 24 * 60, staffAbsoluteHours: 12, residentAbsoluteHours: 720 };
const t0 = new Date("2026-11-23T08:00:00+08:00");
const min = (n: number) => new Date(t0.getTime() + n * 60_000);

describe("session timeouts", () => {
  it("end a staff session after 30 idle minutes, a resident's only after a week", () => {
    expect(sessionEnd({ createdAt: t0, lastSeenAt: t0 }, min(29), true, policy)).toBeNull();
    expect(sessionEnd({ createdAt: t0, lastSeenAt: t0 }, min(31), true, policy)).toBe("idle");
    expect(sessionEnd({ createdAt: t0, lastSeenAt: t0 }, min(31), false, policy)).toBeNull();
    expect(sessionEnd({ createdAt: t0, lastSeenAt: t0 }, min(7 * 24 * 60 + 1), false, policy)).toBe("idle");
  });

  it("end any session at its absolute limit even when it is in use", () => {
    expect(sessionEnd({ createdAt: t0, lastSeenAt: min(12 * 60) }, min(12 * 60 + 1), true, policy)).toBe("absolute");
    expect(sessionEnd({ createdAt: t0, lastSeenAt: min(720 * 60) }, min(720 * 60 + 1), false, policy)).toBe("absolute");
  });

  it("treats any role other than resident as staff", () => {
    expect(isStaff([])).toBe(false);
    expect(isStaff([{ role: "resident" }])).toBe(false);
    expect(isStaff([{ role: "resident" }, { role: "reviewer" }])).toBe(true);
  });
});

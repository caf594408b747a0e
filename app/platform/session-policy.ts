import type { RoleCode } from "../domain/accounts/roles";

/**
 * How long a session may sit idle and how long it may live at all. Staff sessions (who can change
 * money, roles or see care targets) end sooner than residents'.
 */
export const SESSION_POLICY = {
  staffIdleMinutes: Number(process.env.SESSION_IDLE_MINUTES_STAFF ?? 30),
  residentIdleMinutes: Number(process.env.SESSION_IDLE_MINUTES_RESIDENT ?? 7 * 24 * 60),
  staffAbsoluteHours: Number(process.env.SESSION_ABSOLUTE_HOURS_STAFF ?? 12),
  residentAbsoluteHours: Number(process.env.SESSION_ABSOLUTE_HOURS_RESIDENT ?? 30 * 24),
};

/** Roles that make a session a staff session; a resident or a user without roles is not staff. */
export function isStaff(roles: readonly { role: RoleCode }[]): boolean {
  return roles.some((r) => r.role !== "resident");
}

export type SessionEnd = "idle" | "absolute" | null;

export function sessionEnd(s: { createdAt: Date; lastSeenAt: Date }, now: Date, staff: boolean, policy = SESSION_POLICY): SessionEnd {
  const idleMs = (staff ? policy.staffIdleMinutes : policy.residentIdleMinutes) * 60_000;
  const absoluteMs = (staff ? policy.staffAbsoluteHours : policy.residentAbsoluteHours) * 3_600_000;
  if (now.getTime() - s.createdAt.getTime() > absoluteMs) return "absolute";
  if (now.getTime() - s.lastSeenAt.getTime() > idleMs) return "idle";
  return null;
}

/** Writing last_seen_at on every request would make every page view a write; once a minute is enough. */
export const TOUCH_INTERVAL_MS = 60_000;

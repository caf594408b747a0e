import type { ColumnType, Generated, Insertable, Selectable } from "kysely";

/** The single description of the database. Migrations in db/migrations must agree with it. */

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Json<T> = ColumnType<T, string | T, string | T>;

export type PlaceLevel = "province" | "city" | "district" | "street" | "community";

export type RoleCode =
  | "resident"
  | "community_staff"
  | "org_member"
  | "liaison"
  | "reviewer"
  | "officer"
  | "admin";

export interface PlacesTable {
  id: Generated<number>;
  parent_id: number | null;
  level: PlaceLevel;
  name: string;
  /** National administrative division code, where known. */
  code: string | null;
  /** Materialised path of ids, "/1/5/23/": a place covers everything whose path starts with its own. */
  path: string;
  created_at: CreatedAt;
}

export interface UsersTable {
  id: Generated<string>;
  phone: string;
  display_name: string;
  password_hash: string;
  created_at: CreatedAt;
  disabled_at: Date | null;
}

export interface UserSessionsTable {
  id: string;
  user_id: string;
  expires_at: Timestamp;
  created_at: Timestamp;
  last_seen_at: Generated<Date>;
  ip: string | null;
  user_agent: string | null;
}

export interface OrganisationsTable {
  id: Generated<string>;
  name: string;
  uscc: string | null;
  place_id: number;
  created_at: CreatedAt;
}

export interface RoleAssignmentsTable {
  id: Generated<string>;
  user_id: string;
  role: RoleCode;
  place_id: number | null;
  organisation_id: string | null;
  granted_by: string | null;
  granted_at: CreatedAt;
  revoked_by: string | null;
  revoked_at: Date | null;
}

export interface AuditLogTable {
  id: Generated<string>;
  at: CreatedAt;
  actor_user_id: string | null;
  actor_role: string | null;
  action: string;
  entity_type: string;
  entity_id: string | null;
  place_id: number | null;
  summary: Json<Record<string, unknown>>;
  request_id: string | null;
  ip: string | null;
}

export interface RateLimitsTable {
  key: string;
  window_started_at: Timestamp;
  hits: number;
}

export interface Database {
  places: PlacesTable;
  users: UsersTable;
  user_sessions: UserSessionsTable;
  organisations: OrganisationsTable;
  role_assignments: RoleAssignmentsTable;
  audit_log: AuditLogTable;
  rate_limits: RateLimitsTable;
}

export type Place = Selectable<PlacesTable>;
export type User = Selectable<UsersTable>;
export type NewUser = Insertable<UsersTable>;
export type RoleAssignment = Selectable<RoleAssignmentsTable>;
export type AuditRow = Selectable<AuditLogTable>;

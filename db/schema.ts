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
  | "admin"
  | "privacy_officer";

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
  created_at: CreatedAt;
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

/** A PostgreSQL \`date\`: node-postgres reads it as local midnight; written as "YYYY-MM-DD". */
type CalendarDate = ColumnType<Date, string, string>;

export type CareSource = "referral" | "community_visit" | "self_referral";
export type ConsentMethod = "written" | "verbal" | "electronic";
export type CarerKind = "organisation" | "party_member" | "volunteer" | "social_worker";

export interface CareTargetsTable {
  id: Generated<string>;
  place_id: number;
  name: string;
  /** AES-256-GCM envelope "keyId:iv:tag:ciphertext" (app/platform/crypto.server.ts); never plain text. */
  id_number_enc: string;
  /** HMAC-SHA256 of the normalised ID number: finds duplicates without decrypting. */
  id_number_hash: string;
  sex: "male" | "female";
  /** Only the year is kept in clear: with the masked number a full birth date would rebuild the whole ID. */
  birth_year: number;
  phone_enc: string | null;
  address: string;
  groups: string[];
  needs: string;
  guardian_name: string | null;
  guardian_relation: string | null;
  guardian_phone_enc: string | null;
  source: CareSource;
  consent_by: string;
  consent_on: CalendarDate;
  consent_method: ConsentMethod;
  consent_photos: Generated<boolean>;
  minor_at_referral: boolean;
  referred_on: CalendarDate;
  import_batch_id: string | null;
  created_by: string | null;
  created_at: CreatedAt;
}

export interface CareMatchesTable {
  id: Generated<string>;
  target_id: string;
  carer_kind: CarerKind;
  organisation_id: string | null;
  user_id: string | null;
  status: Generated<"active" | "ended">;
  started_on: CalendarDate;
  ended_on: CalendarDate | null;
  end_reason: string | null;
  created_by: string | null;
  created_at: CreatedAt;
  ended_by: string | null;
}

export interface CareCommunityLinksTable {
  id: Generated<string>;
  organisation_id: string;
  place_id: number;
  started_on: CalendarDate;
  ended_on: CalendarDate | null;
  created_by: string | null;
  created_at: CreatedAt;
}

export interface CareServicesTable {
  id: Generated<string>;
  target_id: string;
  match_id: string;
  logged_by: string;
  served_on: CalendarDate;
  kind: string;
  duration_minutes: number;
  notes: string;
  follow_up: boolean;
  created_at: CreatedAt;
}

export interface CareOutcomesTable {
  id: Generated<string>;
  target_id: string;
  achieved_on: CalendarDate;
  description: string;
  recorded_by: string | null;
  created_at: CreatedAt;
}

export interface CareImportBatchesTable {
  id: Generated<string>;
  place_id: number;
  created_by: string;
  created_at: CreatedAt;
  status: Generated<"preview" | "confirmed" | "discarded">;
  file_name: string;
  total_rows: number;
  good_rows: number;
  errors: Json<Array<{ line: number; field: string; reason: string }>>;
  rows: Json<unknown[]>;
  decided_at: Date | null;
}

export interface Database {
  places: PlacesTable;
  users: UsersTable;
  user_sessions: UserSessionsTable;
  organisations: OrganisationsTable;
  role_assignments: RoleAssignmentsTable;
  audit_log: AuditLogTable;
  rate_limits: RateLimitsTable;
  care_targets: CareTargetsTable;
  care_matches: CareMatchesTable;
  care_community_links: CareCommunityLinksTable;
  care_services: CareServicesTable;
  care_outcomes: CareOutcomesTable;
  care_import_batches: CareImportBatchesTable;
}

export type Place = Selectable<PlacesTable>;
export type User = Selectable<UsersTable>;
export type NewUser = Insertable<UsersTable>;
export type RoleAssignment = Selectable<RoleAssignmentsTable>;
export type AuditRow = Selectable<AuditLogTable>;

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
  | "privacy_officer"
  | "auditor";

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
  /** 长辈模式 chosen by the user; null = never chosen (the browser's cookie decides). */
  elder_mode: ColumnType<boolean | null, boolean | null | undefined, boolean | null>;
}

export interface UserSessionsTable {
  id: string;
  user_id: string;
  expires_at: Timestamp;
  created_at: Timestamp;
  last_seen_at: Generated<Date>;
  ip: string | null;
  user_agent: string | null;
  /** When the person last re-entered password (+ code) in this session (0016). */
  reauth_at: Date | null;
}

/** One TOTP authenticator per user (0016); the secret is an AES-256-GCM envelope, never plain. */
export interface UserMfaTable {
  user_id: string;
  secret_enc: string;
  /** Null while enrolment is pending. */
  enabled_at: Date | null;
  /** The highest 30-second step accepted: a code is good once. */
  last_used_step: ColumnType<string | null, number | string | null | undefined, number | string | null>;
  created_at: CreatedAt;
}

export interface MfaRecoveryCodesTable {
  id: Generated<string>;
  user_id: string;
  /** SHA-256 (hex) of the normalised code. */
  code_hash: string;
  used_at: Date | null;
  created_at: CreatedAt;
}

/** A sign-in between the password and the code; id is SHA-256 of the cookie's token. */
export interface LoginChallengesTable {
  id: string;
  user_id: string;
  redirect_to: Generated<string>;
  created_at: CreatedAt;
  expires_at: Date;
}

export type RetentionAction = "delete" | "anonymise" | "keep" | "external";

export interface RetentionPoliciesTable {
  kind: string;
  label: string;
  days: number | null;
  action: RetentionAction;
  basis: string;
}

export type OrganisationStatus = "pending" | "verified" | "returned";

export interface OrganisationsTable {
  id: Generated<string>;
  name: string;
  /** 统一社会信用代码, normalised; required for every row written since migration 0003. */
  uscc: string | null;
  /** The district (区/县) the organisation works from. */
  place_id: number;
  created_at: CreatedAt;
  type: string | null;
  registering_bureau: string | null;
  address: string | null;
  contact_person: string | null;
  contact_phone: string | null;
  service_areas: ColumnType<string[], string[] | undefined, string[]>;
  introduction: string | null;
  status: ColumnType<OrganisationStatus, OrganisationStatus | undefined, OrganisationStatus>;
  verified_at: Date | null;
  verified_by: string | null;
  returned_at: Date | null;
  return_reason: string | null;
  registered_by: string | null;
  updated_at: Timestamp;
}

export type OrgRole = "lead" | "member";

export interface OrganisationMembersTable {
  organisation_id: string;
  user_id: string;
  org_role: OrgRole;
  invited_by: string | null;
  joined_at: CreatedAt;
}

export type PoolSource = "市福彩公益金" | "慈善总会专项基金" | "党建小微创投" | "区级财政" | "社会捐赠" | "其他";

/** A PostgreSQL date; pg returns a Date at local midnight, so queries select it as text (YYYY-MM-DD). */
type PgDate = ColumnType<Date, string, string>;

export interface FundingPoolsTable {
  id: Generated<string>;
  place_id: number;
  name: string;
  source: PoolSource;
  period_start: PgDate;
  period_end: PgDate;
  notes: string | null;
  dual_approval_threshold_fen: ColumnType<number, number | undefined, number>;
  created_by: string | null;
  created_at: CreatedAt;
}

export type LedgerKind = "topup" | "commit" | "release" | "disburse" | "refund";

/** Append-only (the database refuses UPDATE, DELETE and TRUNCATE). Amounts are positive 分. */
export interface LedgerEntriesTable {
  id: Generated<number>;
  pool_id: string;
  /** Null for a top-up; the grant for every other kind (foreign key added with the grants table). */
  grant_id: string | null;
  kind: LedgerKind;
  amount_fen: number;
  actor_user_id: string | null;
  at: CreatedAt;
  reason: string;
  payment_reference: string | null;
  idempotency_key: string | null;
  /** Hash chain (0015, docs/decisions/0008-hash-chains.md): set by the database at commit, never by code. */
  chain_seq: ColumnType<number | null, never, never>;
  row_hash: ColumnType<Buffer | null, never, never>;
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
  /** Hash chain (0015, docs/decisions/0008-hash-chains.md): set by the database at commit, never by code. */
  chain_seq: ColumnType<number | null, never, never>;
  row_hash: ColumnType<Buffer | null, never, never>;
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
  /** Set when retention anonymised the record after its matches ended (0016). */
  anonymised_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
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

export type VerificationStatus = "pending" | "approved" | "rejected";

export interface ResidentVerificationsTable {
  id: Generated<string>;
  user_id: string;
  place_id: number;
  real_name: string;
  address: string;
  invitation_code: string | null;
  status: ColumnType<VerificationStatus, VerificationStatus | undefined, VerificationStatus>;
  decision_reason: string | null;
  decided_by: string | null;
  decided_at: Date | null;
  created_at: CreatedAt;
}

export type IssueStatus =
  | "pending"
  | "accepted"
  | "declined"
  | "merged"
  | "scheduled"
  | "decided"
  | "in_call"
  | "in_progress"
  | "awaiting_evaluation"
  | "closed";

export type ActionTypeCode = "qin" | "he" | "fu" | "mei";

export interface IssuesTable {
  id: Generated<string>;
  place_id: number;
  author_id: string;
  title: string;
  description: string;
  category: string;
  location_text: string | null;
  visible_name: string | null;
  anonymous: Generated<boolean>;
  status: ColumnType<IssueStatus, IssueStatus | undefined, IssueStatus>;
  action_type: ActionTypeCode | null;
  merged_into_id: string | null;
  /** Maintained by a trigger on issue_supports, in the same statement as the support row. */
  support_count: Generated<number>;
  /** Maintained by a trigger on issue_comments (deleted comments leave the count). */
  comment_count: Generated<number>;
  hidden_at: Date | null;
  hidden_reason: string | null;
  hidden_by: string | null;
  created_at: CreatedAt;
  status_changed_at: Timestamp;
}

export type PhotoContentType = "image/jpeg" | "image/png" | "image/webp";

export interface IssuePhotosTable {
  id: Generated<string>;
  /** null while the photo is a draft upload of a form that has not been saved yet. */
  issue_id: string | null;
  uploader_id: string;
  storage_key: string;
  content_type: PhotoContentType;
  byte_size: number;
  original_name: string;
  position: Generated<number>;
  created_at: CreatedAt;
  /** Pixel size of the stored (re-encoded) photo; null for photos stored before 0008. */
  width: number | null;
  height: number | null;
  /** The WebP thumbnail beside it (null before 0008: the original is served instead). */
  thumb_key: string | null;
  thumb_width: number | null;
  thumb_height: number | null;
  thumb_byte_size: number | null;
  /** What a screen reader reads for the photo, written by the uploader; null: made from the issue title (0014). */
  alt_text: string | null;
}

/**
 * Every overlapping 2-character window of an issue's title + description (docs/decisions/0002-chinese-search.md),
 * in a table of its own so that a counter update of `issues` does not touch the GIN index (migration 0019).
 */
export interface IssueSearchTable {
  issue_id: string;
  bigrams: string[];
}

export interface IssueSupportsTable {
  issue_id: string;
  user_id: string;
  created_at: CreatedAt;
}

export interface IssueCommentsTable {
  id: Generated<string>;
  issue_id: string;
  parent_id: string | null;
  author_id: string;
  body: string;
  created_at: CreatedAt;
  edited_at: Date | null;
  deleted_at: Date | null;
  hidden_at: Date | null;
  hidden_reason: string | null;
  hidden_by: string | null;
}

export type ReportStatus = "open" | "hidden" | "dismissed";

export interface ContentReportsTable {
  id: Generated<string>;
  issue_id: string;
  comment_id: string | null;
  reporter_id: string;
  reason: string;
  status: ColumnType<ReportStatus, ReportStatus | undefined, ReportStatus>;
  resolved_by: string | null;
  resolved_at: Date | null;
  resolution_note: string | null;
  created_at: CreatedAt;
}

export type RoundtableStatus = "draft" | "published" | "concluded";

export interface RoundtablesTable {
  id: Generated<string>;
  place_id: number;
  title: string;
  starts_at: Timestamp;
  venue: string;
  capacity: number;
  description: Generated<string>;
  invited: Generated<string>;
  status: ColumnType<RoundtableStatus, RoundtableStatus | undefined, RoundtableStatus>;
  minutes: string | null;
  minutes_published_at: Date | null;
  created_by: string;
  created_at: CreatedAt;
  published_at: Date | null;
}

export interface RoundtableAgendaTable {
  roundtable_id: string;
  issue_id: string;
  position: number;
}

export type SignupStatus = "confirmed" | "waitlisted" | "cancelled";

export interface RoundtableSignupsTable {
  id: Generated<string>;
  roundtable_id: string;
  user_id: string;
  status: SignupStatus;
  /** Arrival order (identity); the waiting list moves up in this order. */
  seq: Generated<number>;
  created_at: CreatedAt;
  cancelled_at: Date | null;
}

export interface RoundtableAttendanceTable {
  id: Generated<string>;
  roundtable_id: string;
  user_id: string | null;
  name: string;
  walk_in: Generated<boolean>;
}

export type DecisionKind = "community" | "to_call" | "referral" | "deferred";

export interface RoundtableDecisionsTable {
  id: Generated<string>;
  roundtable_id: string;
  issue_id: string;
  kind: DecisionKind;
  responsible: string | null;
  /** A calendar date; read it with to_char(due_date, 'YYYY-MM-DD') to avoid time-zone shifts. */
  due_date: ColumnType<Date | null, string | null | undefined, string | null>;
  action_type: ActionTypeCode | null;
  /** 分 */
  budget_estimate_fen: number | null;
  referred_to: string | null;
  reason: string | null;
  votes_for: number | null;
  votes_against: number | null;
  votes_abstain: number | null;
  decided_by: string;
  created_at: CreatedAt;
}

export interface IssueEventsTable {
  id: Generated<string>;
  issue_id: string;
  at: Date;
  actor_id: string | null;
  from_status: IssueStatus | null;
  to_status: IssueStatus;
  note: string | null;
  roundtable_id: string | null;
}

export interface NotificationsTable {
  id: Generated<string>;
  user_id: string;
  kind: string;
  title: string;
  body: Generated<string>;
  link: string | null;
  read_at: Date | null;
  created_at: CreatedAt;
}

export interface SummaryReportsTable {
  id: Generated<string>;
  place_id: number;
  /** Calendar dates, read with to_char(…, 'YYYY-MM-DD'). */
  period_from: PgDate;
  period_to: PgDate;
  /** 意见建议, written by the officer. */
  suggestions: string;
  /** The report's figures as generated (app/domain/reports/rules.ts ReportFigures). */
  figures: Json<unknown>;
  created_by: string;
  created_at: CreatedAt;
}

export interface LiaisonPushesTable {
  id: Generated<string>;
  place_id: number;
  liaison_id: string;
  /** Exactly one of issue_id and call_id is set. */
  issue_id: string | null;
  call_id: string | null;
  message: Generated<string>;
  created_at: CreatedAt;
}

export interface LiaisonPushRecipientsTable {
  push_id: string;
  organisation_id: string;
}

/** A liaison's guidance note on a project (0011): read by the organisation and the bureau, not the public. Append-only. */
export interface GrantGuidanceNotesTable {
  id: Generated<string>;
  grant_id: string;
  author_id: string;
  body: string;
  created_at: Date;
}

export type SummaryPeriodKind = "weekly" | "monthly";

export interface LiaisonSummariesTable {
  id: Generated<string>;
  liaison_id: string;
  place_id: number;
  period_kind: SummaryPeriodKind;
  period_start: PgDate;
  period_end: PgDate;
  figures: Json<unknown>;
  annotation: Generated<string>;
  status: ColumnType<"draft" | "submitted", "draft" | "submitted" | undefined, "draft" | "submitted">;
  submitted_at: Date | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export type CallStatus = "draft" | "published" | "withdrawn";

export interface CallsTable {
  id: Generated<string>;
  place_id: number;
  title: string;
  description: string;
  action_type: ActionTypeCode;
  pool_id: string;
  /** 分 */
  cap_fen: number;
  /** 分 */
  total_budget_fen: number;
  /** Empty: every type may bid. */
  eligible_org_types: ColumnType<string[], string[] | undefined, string[]>;
  /** Empty: organisations of every district may bid. */
  eligible_district_ids: ColumnType<number[], number[] | undefined, number[]>;
  opens_at: Timestamp;
  closes_at: Timestamp;
  project_start: PgDate;
  project_end: PgDate;
  required_attachments: ColumnType<string[], string[] | undefined, string[]>;
  reviewers_per_bid: ColumnType<number, number | undefined, number>;
  /** The 公示期 of the awards, in working days (issue 5). */
  publicity_working_days: ColumnType<number, number | undefined, number>;
  status: ColumnType<CallStatus, CallStatus | undefined, CallStatus>;
  withdrawn_reason: string | null;
  created_by: string;
  created_at: CreatedAt;
  updated_at: Timestamp;
  published_at: Date | null;
  published_by: string | null;
}

export interface CallCriteriaTable {
  call_id: string;
  position: number;
  name: string;
  description: string;
  weight: number;
}

export interface CallIssuesTable {
  call_id: string;
  issue_id: string;
}

export type CallChangeKind = "publish" | "extend" | "withdraw";

/** Append-only: what changed on a published call, by whom and when. */
export interface CallChangesTable {
  id: Generated<number>;
  call_id: string;
  kind: CallChangeKind;
  at: Date;
  actor_id: string | null;
  before: Json<Record<string, unknown>>;
  after: Json<Record<string, unknown>>;
  reason: string | null;
}

export type BidStatus = "draft" | "submitted" | "withdrawn";

export interface BidsTable {
  id: Generated<string>;
  call_id: string;
  organisation_id: string;
  status: ColumnType<BidStatus, BidStatus | undefined, BidStatus>;
  project_name: string;
  summary: ColumnType<string, string | undefined, string>;
  beneficiary_group: ColumnType<string, string | undefined, string>;
  beneficiary_count: number | null;
  plan: ColumnType<string, string | undefined, string>;
  action_type: ActionTypeCode;
  lead_name: ColumnType<string, string | undefined, string>;
  lead_phone: ColumnType<string, string | undefined, string>;
  created_by: string;
  created_at: CreatedAt;
  updated_at: Timestamp;
  submitted_at: Date | null;
  withdrawn_at: Date | null;
}

export interface BidIssuesTable {
  bid_id: string;
  issue_id: string;
}

export type BudgetCategory = "人员" | "活动" | "物资" | "宣传" | "其他";

export interface BidBudgetLinesTable {
  bid_id: string;
  position: number;
  category: BudgetCategory;
  description: string;
  amount_fen: number;
}

export type PledgeKind = "cash" | "in_kind";

export interface BidPledgesTable {
  bid_id: string;
  position: number;
  source: string;
  kind: PledgeKind;
  description: string;
  value_fen: number;
}

export interface BidMilestonesTable {
  bid_id: string;
  position: number;
  title: string;
  deliverable: string;
  due_date: PgDate;
  tranche_pct: number;
}

export interface BidAttachmentsTable {
  id: Generated<string>;
  bid_id: string;
  name: string;
  storage_key: string;
  content_type: string;
  byte_size: number;
  original_name: string;
  uploaded_by: string;
  created_at: CreatedAt;
}

export interface CallReviewersTable {
  call_id: string;
  user_id: string;
  appointed_by: string | null;
  appointed_at: CreatedAt;
}

export type AssignmentStatus = "pending" | "accepted" | "conflict" | "submitted";

export interface ReviewAssignmentsTable {
  id: Generated<string>;
  call_id: string;
  bid_id: string;
  reviewer_id: string;
  status: ColumnType<AssignmentStatus, AssignmentStatus | undefined, AssignmentStatus>;
  conflict_reason: string | null;
  assigned_at: Date;
  declared_at: Date | null;
  submitted_at: Date | null;
}

export interface ReviewScoresTable {
  assignment_id: string;
  criterion_position: number;
  score: number;
  comment: string;
}

export type GrantStatus = "publicity" | "withdrawn" | "in_progress" | "awaiting_evaluation" | "closed" | "suspended" | "terminated";
export type MilestoneStatus = "open" | "submitted" | "returned" | "forwarded" | "approved";
export type ObjectionStatus = "open" | "dismissed" | "upheld";
export type MilestoneReportStatus = "submitted" | "returned" | "forwarded" | "approved";
export type DisbursementStatus = "pending" | "paid" | "rejected";

/** An award from a call's ranking; money is in ledger_entries (commit/release/disburse rows). */
export interface GrantsTable {
  id: Generated<string>;
  call_id: string;
  bid_id: string;
  organisation_id: string;
  pool_id: string;
  place_id: number;
  project_name: string;
  action_type: ActionTypeCode;
  /** 分, as awarded; what is still committed is derived from the ledger. */
  amount_fen: number;
  status: ColumnType<GrantStatus, GrantStatus | undefined, GrantStatus>;
  awarded_by: string;
  awarded_at: Date;
  publicity_ends_at: Date;
  established_at: Date | null;
  evaluation_ends_at: Date | null;
  closed_at: Date | null;
  ended_at: Date | null;
  ended_reason: string | null;
}

export interface GrantIssuesTable {
  grant_id: string;
  issue_id: string;
}

export interface GrantMilestonesTable {
  grant_id: string;
  position: number;
  title: string;
  deliverable: string;
  /** A calendar date; select it as due_date::text. */
  due_date: ColumnType<Date, string, string>;
  tranche_pct: number;
  tranche_fen: number;
  status: ColumnType<MilestoneStatus, MilestoneStatus | undefined, MilestoneStatus>;
  approved_at: Date | null;
  approved_by: string | null;
}

export interface GrantObjectionsTable {
  id: Generated<string>;
  grant_id: string;
  author_id: string;
  reason: string;
  attachment_key: string | null;
  attachment_type: string | null;
  attachment_name: string | null;
  status: ColumnType<ObjectionStatus, ObjectionStatus | undefined, ObjectionStatus>;
  reply: string | null;
  answered_by: string | null;
  answered_at: Date | null;
  created_at: Date;
}

export interface MilestoneReportsTable {
  id: Generated<string>;
  grant_id: string;
  position: number;
  narrative: string;
  beneficiary_count: number;
  beneficiary_group: string;
  activities: Json<Array<{ date: string; description: string }>>;
  spending: Json<Array<{ category: string; description: string; amountFen: number }>>;
  in_kind_received: Generated<string>;
  status: ColumnType<MilestoneReportStatus, MilestoneReportStatus | undefined, MilestoneReportStatus>;
  submitted_by: string;
  submitted_at: Date;
  liaison_comment: string | null;
  liaison_by: string | null;
  liaison_at: Date | null;
  officer_comment: string | null;
  officer_by: string | null;
  officer_at: Date | null;
}

export interface ReportEvidenceTable {
  id: Generated<string>;
  report_id: string;
  storage_key: string;
  content_type: string;
  byte_size: number;
  original_name: string;
  created_at: CreatedAt;
}

export interface DisbursementsTable {
  id: Generated<string>;
  grant_id: string;
  position: number;
  amount_fen: number;
  payment_reference: string;
  idempotency_key: string;
  status: DisbursementStatus;
  requested_by: string;
  requested_at: Date;
  approved_by: string | null;
  approved_at: Date | null;
  rejected_reason: string | null;
  ledger_entry_id: number | null;
}

export interface GrantEvaluationsTable {
  id: Generated<string>;
  grant_id: string;
  user_id: string;
  satisfaction: number;
  solved: number;
  comment: Generated<string>;
  created_at: Date;
}

/** Append-only: the project's public timeline. */
export interface GrantEventsTable {
  id: Generated<number>;
  grant_id: string;
  at: Date;
  actor_id: string | null;
  kind: string;
  note: Generated<string>;
}

export interface Database {
  places: PlacesTable;
  users: UsersTable;
  user_sessions: UserSessionsTable;
  organisations: OrganisationsTable;
  organisation_members: OrganisationMembersTable;
  funding_pools: FundingPoolsTable;
  ledger_entries: LedgerEntriesTable;
  role_assignments: RoleAssignmentsTable;
  audit_log: AuditLogTable;
  rate_limits: RateLimitsTable;
  user_mfa: UserMfaTable;
  mfa_recovery_codes: MfaRecoveryCodesTable;
  login_challenges: LoginChallengesTable;
  retention_policies: RetentionPoliciesTable;
  care_targets: CareTargetsTable;
  care_matches: CareMatchesTable;
  care_community_links: CareCommunityLinksTable;
  care_services: CareServicesTable;
  care_outcomes: CareOutcomesTable;
  care_import_batches: CareImportBatchesTable;
  resident_verifications: ResidentVerificationsTable;
  issues: IssuesTable;
  issue_search: IssueSearchTable;
  issue_photos: IssuePhotosTable;
  issue_supports: IssueSupportsTable;
  issue_comments: IssueCommentsTable;
  content_reports: ContentReportsTable;
  roundtables: RoundtablesTable;
  roundtable_agenda: RoundtableAgendaTable;
  roundtable_signups: RoundtableSignupsTable;
  roundtable_attendance: RoundtableAttendanceTable;
  roundtable_decisions: RoundtableDecisionsTable;
  issue_events: IssueEventsTable;
  notifications: NotificationsTable;
  summary_reports: SummaryReportsTable;
  liaison_pushes: LiaisonPushesTable;
  liaison_push_recipients: LiaisonPushRecipientsTable;
  liaison_summaries: LiaisonSummariesTable;
  grant_guidance_notes: GrantGuidanceNotesTable;
  calls: CallsTable;
  call_criteria: CallCriteriaTable;
  call_issues: CallIssuesTable;
  call_changes: CallChangesTable;
  bids: BidsTable;
  bid_issues: BidIssuesTable;
  bid_budget_lines: BidBudgetLinesTable;
  bid_pledges: BidPledgesTable;
  bid_milestones: BidMilestonesTable;
  bid_attachments: BidAttachmentsTable;
  call_reviewers: CallReviewersTable;
  review_assignments: ReviewAssignmentsTable;
  review_scores: ReviewScoresTable;
  grants: GrantsTable;
  grant_issues: GrantIssuesTable;
  grant_milestones: GrantMilestonesTable;
  grant_objections: GrantObjectionsTable;
  milestone_reports: MilestoneReportsTable;
  report_evidence: ReportEvidenceTable;
  disbursements: DisbursementsTable;
  grant_evaluations: GrantEvaluationsTable;
  grant_events: GrantEventsTable;
}

export type Place = Selectable<PlacesTable>;
export type User = Selectable<UsersTable>;
export type NewUser = Insertable<UsersTable>;
export type RoleAssignment = Selectable<RoleAssignmentsTable>;
export type AuditRow = Selectable<AuditLogTable>;

import type { Migration } from "kysely";
import * as m0001 from "./0001_foundation";
import * as m0002 from "./0002_issues_roundtables";
import * as m0003 from "./0003_organisations_pools";
import * as m0004 from "./0004_care";
import * as m0005 from "./0005_session_activity";
import * as m0006 from "./0006_calls_bids_review";
import * as m0007 from "./0007_user_preferences";
import * as m0008 from "./0008_grants_delivery";
import * as m0009 from "./0009_reports_liaison";
import * as m0010 from "./0010_photo_thumbnails";
import * as m0011 from "./0011_guidance_notes";
import * as m0013 from "./0013_performance_indexes";
import * as m0014 from "./0014_photo_alt_text";
import * as m0015 from "./0015_hash_chains";
import * as m0016 from "./0016_mfa_retention_auditor";
import * as m0017 from "./0017_audit_seal_job";
import * as m0018 from "./0018_recent_grants_index";
import * as m0019 from "./0019_issue_search";
import * as m0020 from "./0020_seal_in_one_pass";

/**
 * Migrations are imported in code, not read from disk, so that they run the same under vitest,
 * tsx and inside the bundled server (see docs/decisions/0001-stack.md).
 */
export const migrations: Record<string, Migration> = {
  "0001_foundation": m0001,
  "0002_issues_roundtables": m0002,
  "0003_organisations_pools": m0003,
  "0004_care": m0004,
  "0005_session_activity": m0005,
  "0006_calls_bids_review": m0006,
  "0007_user_preferences": m0007,
  "0008_grants_delivery": m0008,
  "0009_reports_liaison": m0009,
  "0010_photo_thumbnails": m0010,
  "0011_guidance_notes": m0011,
  "0013_performance_indexes": m0013,
  "0014_photo_alt_text": m0014,
  "0015_hash_chains": m0015,
  "0016_mfa_retention_auditor": m0016,
  "0017_audit_seal_job": m0017,
  "0018_recent_grants_index": m0018,
  "0019_issue_search": m0019,
  "0020_seal_in_one_pass": m0020,
};

import type { Migration } from "kysely";
import * as m0001 from "./0001_foundation";
import * as m0002 from "./0002_issues_roundtables";
import * as m0003 from "./0003_organisations_pools";
import * as m0005 from "./0005_session_activity";
import * as m0006 from "./0006_calls_bids_review";

/**
 * Migrations are imported in code, not read from disk, so that they run the same under vitest,
 * tsx and inside the bundled server (see docs/decisions/0001-stack.md).
 */
export const migrations: Record<string, Migration> = {
  "0001_foundation": m0001,
  "0002_issues_roundtables": m0002,
  "0003_organisations_pools": m0003,
  "0005_session_activity": m0005,
  "0006_calls_bids_review": m0006,
};

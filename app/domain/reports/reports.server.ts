import { sql } from "kysely";
import { z } from "zod";
import { audit, type AuditContext } from "../../platform/audit.server";
import type { Clock } from "../../platform/clock";
import type { Executor, Trx } from "../../platform/db.server";
import { DomainError } from "../../platform/errors";
import { can, type Principal } from "../../platform/permissions";
import { programmeFigures } from "./figures.server";
import { completeFigures, type Figures } from "./rules";
import type { CreateReportInput } from "./schema";

/**
 * 总结报告: an officer picks a place and a period, writes the 意见建议, and the portal keeps the
 * report with its figures as they were, so downloading it again gives the same report.
 */

export interface ReportListItem {
  id: string;
  placeName: string;
  from: string;
  to: string;
  createdByName: string;
  createdAt: Date;
}

export interface ReportView extends ReportListItem {
  placeId: number;
  placePath: string;
  suggestions: string;
  figures: Figures;
}

export async function createReport(trx: Trx, ctx: AuditContext, actor: Principal, clock: Clock, input: CreateReportInput): Promise<{ id: string }> {
  const place = await trx.selectFrom("places").select(["id", "path"]).where("id", "=", input.placeId).executeTakeFirst();
  if (!place) throw new DomainError("invalid", "地区不存在", { placeId: "地区不存在" });
  if (!can(actor, "report.create", { placePath: place.path })) throw new DomainError("forbidden", "您只能为本辖区生成总结报告", { placeId: "不在您的辖区内" });
  if (!ctx.userId) throw new DomainError("unauthenticated", "请先登录");
  const figures = await programmeFigures(trx, place.id, { from: input.from, to: input.to });
  const row = await trx
    .insertInto("summary_reports")
    .values({
      place_id: place.id,
      period_from: input.from,
      period_to: input.to,
      suggestions: input.suggestions,
      figures: JSON.stringify(figures),
      created_by: ctx.userId,
      created_at: clock.now(),
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await audit(trx, ctx, {
    action: "report.create",
    entityType: "summary_report",
    entityId: row.id,
    placeId: place.id,
    summary: { from: input.from, to: input.to },
  });
  return row;
}

function reportQuery(db: Executor) {
  return db
    .selectFrom("summary_reports as r")
    .innerJoin("places as p", "p.id", "r.place_id")
    .innerJoin("users as u", "u.id", "r.created_by")
    .select([
      "r.id",
      "p.name as placeName",
      sql<string>`to_char(r.period_from, 'YYYY-MM-DD')`.as("from"),
      sql<string>`to_char(r.period_to, 'YYYY-MM-DD')`.as("to"),
      "u.display_name as createdByName",
      "r.created_at as createdAt",
    ]);
}

/** Reports of places within the given scopes, newest first. */
export async function listReports(db: Executor, placePaths: readonly string[], limit = 100): Promise<ReportListItem[]> {
  if (placePaths.length === 0) return [];
  return reportQuery(db)
    .where((eb) => eb.or(placePaths.map((p) => eb("p.path", "like", `${p}%`))))
    .orderBy("r.created_at", "desc")
    .orderBy("r.id")
    .limit(limit)
    .execute();
}

/** The kept report, or undefined for an unknown or malformed id (an address typed by hand). */
export async function getReport(db: Executor, id: string): Promise<ReportView | undefined> {
  if (!z.uuid().safeParse(id).success) return undefined;
  const row = await reportQuery(db)
    .select(["r.place_id as placeId", "p.path as placePath", "r.suggestions", "r.figures"])
    .where("r.id", "=", id)
    .executeTakeFirst();
  return row ? { ...row, figures: completeFigures(row.figures as Figures) } : undefined;
}

/** Every XLSX download of a kept report is traced: who took which report, as what. */
export async function recordDownload(db: Executor, ctx: AuditContext, report: Pick<ReportView, "id" | "placeId">): Promise<void> {
  await audit(db, ctx, { action: "report.download", entityType: "summary_report", entityId: report.id, placeId: report.placeId, summary: { format: "xlsx" } });
}

import type { Kysely } from "kysely";
import { todayOf } from "../../app/domain/care/care.server";
import { summaryLines } from "../../app/domain/liaison/liaison.server";
import { addDays, dueDate, lastEndedPeriod } from "../../app/domain/liaison/rules";
import { programmeFigures } from "../../app/domain/reports/figures.server";
import { systemClock } from "../../app/platform/clock";
import type { Database } from "../schema";

/**
 * The 13 liaisons' recent work: last week's progress summaries (most on time, one late, a few not
 * yet in, so the city's view has someone to chase) and one 总结报告 the city bureau has already
 * generated for 南昌市.
 */
const NOTES = [
  "本周走访辖区社区社会组织 3 家，指导其完善项目申报书；协助社区筹备下周幸福圆桌会。",
  "跟进已立项项目执行情况，督促组织按时提交里程碑报告；收集居民对照明改造的意见。",
  "组织辖区社会组织开展政策宣讲一次，讲解招贤榜申报要求和资金拨付流程。",
  "协调枢纽型组织为新登记组织提供场地和培训支持，梳理待转入创投议题 2 项。",
];

export async function seedLiaisonWork(trx: Kysely<Database>, ids: { places: Map<string, number>; cityOfficer: string }): Promise<{ summaries: number }> {
  const today = todayOf(systemClock);
  const week = lastEndedPeriod("weekly", today);
  const liaisons = await trx
    .selectFrom("role_assignments as ra")
    .innerJoin("places as p", "p.id", "ra.place_id")
    .innerJoin("users as u", "u.id", "ra.user_id")
    .select(["ra.user_id", "p.id as placeId", "p.path", "u.phone"])
    .where("ra.role", "=", "liaison")
    .orderBy("u.phone")
    .execute();
  // The two liaisons the demo logs in as (13900000004, 13900000005) keep their week open for the demo.
  const writing = liaisons.filter((l) => l.phone !== "13900000004" && l.phone !== "13900000005").slice(0, 9);
  const onTime = new Date(`${addDays(week.end, 1)}T09:30:00+08:00`);
  const late = new Date(`${addDays(dueDate(week), 1)}T10:00:00+08:00`);
  const rows = await Promise.all(
    writing.map(async (l, k) => {
      const lines = await summaryLines(trx, l.placeId, l.path, week);
      const submittedAt = k === writing.length - 1 ? (late.getTime() <= Date.now() ? late : null) : onTime;
      return {
        liaison_id: l.user_id,
        place_id: l.placeId,
        period_kind: "weekly" as const,
        period_start: week.start,
        period_end: week.end,
        figures: JSON.stringify(lines),
        annotation: NOTES[k % NOTES.length],
        status: submittedAt ? ("submitted" as const) : ("draft" as const),
        submitted_at: submittedAt,
        created_at: onTime,
        updated_at: submittedAt ?? onTime,
      };
    }),
  );
  if (rows.length > 0) await trx.insertInto("liaison_summaries").values(rows).execute();

  const city = ids.places.get("南昌市")!;
  const period = { from: `${today.slice(0, 4)}-01-01`, to: today };
  await trx
    .insertInto("summary_reports")
    .values({
      place_id: city,
      period_from: period.from,
      period_to: period.to,
      suggestions:
        "一、继续扩大社区社会组织覆盖面，重点培育进贤县、安义县等农村地区的服务类组织。\n二、完善资金拨付与居民评价的衔接，评价满意后再拨付尾款。\n三、加强联络员队伍培训，按时报送进展小结。",
      figures: JSON.stringify(await programmeFigures(trx, city, period)),
      created_by: ids.cityOfficer,
    })
    .execute();
  return { summaries: rows.length };
}

import { sql, type RawBuilder } from "kysely";
import type { Executor } from "../../platform/db.server";
import { DomainError } from "../../platform/errors";
import { TIME_ZONE } from "../../lib/dates";
import type { ActionType } from "../vocabulary";
import type { GrantStatus } from "../../../db/schema";
import {
  areaKey,
  areasWithData,
  meanHundredths,
  type ProjectLine,
  type StoryLine,
  foldCube,
  METRIC_KEYS,
  METRICS,
  monthsBetween,
  SELF,
  type Area,
  type CubeRow,
  type Figures,
  type MetricFigures,
  type MetricKey,
} from "./rules";

/**
 * Figures for a place and a period, computed per request from the source tables: one aggregate
 * query per figure, grouped by the place directly below the chosen one (from the materialised
 * path), the action type and the month. Nothing is cached, so figures are as fresh as the data.
 */

export interface Period {
  from: string;
  to: string;
}

interface FactSource {
  /** FROM … (with its joins); must expose the fact's place id as `fact_place`. */
  from: RawBuilder<unknown>;
  /** The moment the fact happened: a timestamptz or a date column. */
  at: RawBuilder<unknown>;
  atKind: "timestamptz" | "date";
  action: RawBuilder<unknown>;
  value: RawBuilder<unknown>;
  /** What an average divides by (mean figures). */
  denominator?: RawBuilder<unknown>;
  where?: RawBuilder<unknown>;
}

/** A grant counts as a project from its award on, unless it was withdrawn during 公示. */
const awarded = sql`g.status <> 'withdrawn'`;

const none = sql`null::text`;

const SOURCES: Record<MetricKey, FactSource> = {
  organisations: {
    from: sql`organisations o join places fp on fp.id = o.place_id`,
    at: sql`o.verified_at`,
    atKind: "timestamptz",
    action: none,
    value: sql`count(*)`,
    where: sql`o.status = 'verified'`,
  },
  issuesRaised: {
    from: sql`issues i join places fp on fp.id = i.place_id`,
    at: sql`i.created_at`,
    atKind: "timestamptz",
    action: sql`i.action_type`,
    value: sql`count(*)`,
    where: sql`i.hidden_at is null`,
  },
  issuesDecided: {
    from: sql`issue_events e join issues i on i.id = e.issue_id join places fp on fp.id = i.place_id`,
    at: sql`e.at`,
    atKind: "timestamptz",
    action: sql`i.action_type`,
    value: sql`count(distinct e.issue_id)`,
    where: sql`e.to_status = 'decided'`,
  },
  issuesClosed: {
    from: sql`issue_events e join issues i on i.id = e.issue_id join places fp on fp.id = i.place_id`,
    at: sql`e.at`,
    atKind: "timestamptz",
    action: sql`i.action_type`,
    value: sql`count(distinct e.issue_id)`,
    where: sql`e.to_status = 'closed'`,
  },
  callsPublished: {
    from: sql`calls c join places fp on fp.id = c.place_id`,
    at: sql`c.published_at`,
    atKind: "timestamptz",
    action: sql`c.action_type`,
    value: sql`count(*)`,
  },
  poolFunds: {
    from: sql`ledger_entries l join funding_pools fpool on fpool.id = l.pool_id join places fp on fp.id = fpool.place_id`,
    at: sql`l.at`,
    atKind: "timestamptz",
    action: none,
    value: sql`coalesce(sum(l.amount_fen), 0)`,
    where: sql`l.kind = 'topup'`,
  },
  careMatched: {
    from: sql`care_matches m join care_targets t on t.id = m.target_id join places fp on fp.id = t.place_id`,
    at: sql`m.started_on`,
    atKind: "date",
    action: none,
    value: sql`count(distinct m.target_id)`,
  },
  careServices: {
    from: sql`care_services s join care_targets t on t.id = s.target_id join places fp on fp.id = t.place_id`,
    at: sql`s.served_on`,
    atKind: "date",
    action: none,
    value: sql`count(*)`,
  },
  projects: {
    from: sql`grants g join places fp on fp.id = g.place_id`,
    at: sql`g.awarded_at`,
    atKind: "timestamptz",
    action: sql`g.action_type`,
    value: sql`count(*)`,
    where: awarded,
  },
  grantsAwarded: {
    from: sql`grants g join places fp on fp.id = g.place_id`,
    at: sql`g.awarded_at`,
    atKind: "timestamptz",
    action: sql`g.action_type`,
    value: sql`coalesce(sum(g.amount_fen), 0)`,
    where: awarded,
  },
  disbursed: {
    from: sql`ledger_entries l join grants g on g.id = l.grant_id join places fp on fp.id = g.place_id`,
    at: sql`l.at`,
    atKind: "timestamptz",
    action: sql`g.action_type`,
    value: sql`coalesce(sum(case when l.kind = 'disburse' then l.amount_fen else -l.amount_fen end), 0)`,
    where: sql`l.kind in ('disburse', 'refund')`,
  },
  leveraged: {
    from: sql`bid_pledges bp join grants g on g.bid_id = bp.bid_id join places fp on fp.id = g.place_id`,
    at: sql`g.awarded_at`,
    atKind: "timestamptz",
    action: sql`g.action_type`,
    value: sql`coalesce(sum(bp.value_fen), 0)`,
    where: awarded,
  },
  beneficiaries: {
    from: sql`milestone_reports r join grants g on g.id = r.grant_id join places fp on fp.id = g.place_id`,
    at: sql`r.officer_at`,
    atKind: "timestamptz",
    action: sql`g.action_type`,
    value: sql`coalesce(sum(r.beneficiary_count), 0)`,
    where: sql`r.status = 'approved' and ${awarded}`,
  },
  satisfaction: {
    from: sql`grant_evaluations ev join grants g on g.id = ev.grant_id join places fp on fp.id = g.place_id`,
    at: sql`ev.created_at`,
    atKind: "timestamptz",
    action: sql`g.action_type`,
    value: sql`coalesce(sum(ev.satisfaction), 0)`,
    denominator: sql`count(*)`,
    where: awarded,
  },
};

/** Bounds of the period as values comparable with the fact's column, keeping the column itself bare (indexable). */
function bound(day: string, atKind: FactSource["atKind"], nextDay = false): RawBuilder<unknown> {
  const d = nextDay ? sql`(${day}::date + 1)` : sql`${day}::date`;
  return atKind === "date" ? d : sql`(${d}::timestamp at time zone ${TIME_ZONE})`;
}

function monthOf(src: FactSource): RawBuilder<unknown> {
  return src.atKind === "date" ? sql`to_char(${src.at}, 'YYYY-MM')` : sql`to_char(${src.at} at time zone ${TIME_ZONE}, 'YYYY-MM')`;
}

async function cube(db: Executor, key: MetricKey, placePath: string, period: Period): Promise<CubeRow[]> {
  const src = SOURCES[key];
  const stock = METRICS[key].kind === "stock";
  const start = bound(period.from, src.atKind);
  const end = bound(period.to, src.atKind, true);
  // The place directly below the chosen one is the next id in the fact's path: "/1/5/" + "23/40/" → 23.
  const area = sql`nullif(split_part(substr(fp.path, ${placePath.length + 1}), '/', 1), '')::int`;
  const month = stock ? sql`case when ${src.at} < ${start} then null else ${monthOf(src)} end` : monthOf(src);
  const result = await sql<CubeRow>`
    select ${area} as area, ${src.action} as action, ${month} as month, ${src.value}::bigint as n, ${src.denominator ?? sql`0`}::bigint as d
    from ${src.from}
    where fp.path like ${`${placePath}%`}
      and ${src.at} < ${end}
      ${stock ? sql`` : sql`and ${src.at} >= ${start}`}
      ${src.where ? sql`and ${src.where}` : sql``}
    group by 1, 2, 3`.execute(db);
  return result.rows.map((r) => ({ ...r, n: Number(r.n), d: Number(r.d) }));
}

export async function placeForFigures(db: Executor, placeId: number) {
  const place = await db.selectFrom("places").select(["id", "name", "path", "level"]).where("id", "=", placeId).executeTakeFirst();
  if (!place) throw new DomainError("not_found", "地区不存在");
  return place;
}

/** The programme figures of a place (and everything below it) for a period. */
export async function programmeFigures(db: Executor, placeId: number, period: Period): Promise<Figures> {
  const place = await placeForFigures(db, placeId);
  const children = await db.selectFrom("places").select(["id", "name"]).where("parent_id", "=", place.id).orderBy("code").orderBy("id").execute();
  const allAreas: Area[] = [...children.map((c) => ({ key: String(c.id), placeId: c.id, name: c.name })), { key: SELF, placeId: place.id, name: `${place.name}（本级）` }];
  const months = monthsBetween(period.from, period.to);
  const cubes = await Promise.all(METRIC_KEYS.map((k) => cube(db, k, place.path, period)));
  const metrics = Object.fromEntries(METRIC_KEYS.map((k, i) => [k, foldCube(cubes[i], allAreas, months, METRICS[k].kind)])) as Record<MetricKey, MetricFigures>;
  const pools = await sql<{ name: string; source: string; place_name: string; fen: string }>`
    select fpool.name, fpool.source, fp.name as place_name, coalesce(sum(l.amount_fen), 0)::bigint as fen
    from funding_pools fpool
    join places fp on fp.id = fpool.place_id
    join ledger_entries l on l.pool_id = fpool.id and l.kind = 'topup'
    where fp.path like ${`${place.path}%`}
      and l.at >= ${bound(period.from, "timestamptz")} and l.at < ${bound(period.to, "timestamptz", true)}
    group by fpool.id, fpool.name, fpool.source, fp.name
    order by fen desc, fpool.name`.execute(db);
  const calls = await sql<{ title: string; place_name: string; action_type: ActionType; pool_name: string; pool_source: string; total_budget_fen: string; published_on: string; status: string }>`
    select c.title, fp.name as place_name, c.action_type, fpool.name as pool_name, fpool.source as pool_source, c.total_budget_fen,
           to_char(c.published_at at time zone ${TIME_ZONE}, 'YYYY-MM-DD') as published_on, c.status
    from calls c
    join places fp on fp.id = c.place_id
    join funding_pools fpool on fpool.id = c.pool_id
    where fp.path like ${`${place.path}%`}
      and c.published_at >= ${bound(period.from, "timestamptz")} and c.published_at < ${bound(period.to, "timestamptz", true)}
    order by c.published_at, c.id
    limit 500`.execute(db);
  const [projectStatus, awardedBySource, topProjects, stories] = await Promise.all([
    projectStatusOf(db, place.path, period),
    awardedBySourceOf(db, place.path, period),
    topProjectsOf(db, place.path, period),
    storiesOf(db, place.path, period),
  ]);
  const poolLines = pools.rows.map((p) => ({ name: p.name, source: p.source, placeName: p.place_name, fen: Number(p.fen) }));
  const bySource = new Map<string, number>();
  for (const p of poolLines) bySource.set(p.source, (bySource.get(p.source) ?? 0) + p.fen);
  return {
    place: { id: place.id, name: place.name, level: place.level },
    from: period.from,
    to: period.to,
    areas: areasWithData(allAreas, metrics),
    months,
    metrics,
    projectStatus,
    awardedBySource,
    topProjects,
    stories,
    poolsBySource: [...bySource].map(([source, fen]) => ({ source, fen })).sort((a, b) => b.fen - a.fen),
    pools: poolLines,
    calls: calls.rows.map((c) => ({
      title: c.title,
      placeName: c.place_name,
      actionType: c.action_type,
      poolName: c.pool_name,
      poolSource: c.pool_source,
      totalBudgetFen: Number(c.total_budget_fen),
      publishedAt: c.published_on,
      withdrawn: c.status === "withdrawn",
    })),
  };
}

const areaOf = (placePath: string) => sql`nullif(split_part(substr(fp.path, ${placePath.length + 1}), '/', 1), '')::int`;
const inPeriod = (col: RawBuilder<unknown>, period: Period) =>
  sql`${col} >= ${bound(period.from, "timestamptz")} and ${col} < ${bound(period.to, "timestamptz", true)}`;

/** Projects awarded by the end of the period, by their status now, per area below the place. */
async function projectStatusOf(db: Executor, placePath: string, period: Period): Promise<Figures["projectStatus"]> {
  const rows = await sql<{ area: number | null; status: GrantStatus; n: string }>`
    select ${areaOf(placePath)} as area, g.status, count(*)::bigint as n
    from grants g join places fp on fp.id = g.place_id
    where fp.path like ${`${placePath}%`} and g.awarded_at < ${bound(period.to, "timestamptz", true)} and ${awarded}
    group by 1, 2`.execute(db);
  const total: Partial<Record<GrantStatus, number>> = {};
  const byArea: Record<string, Partial<Record<GrantStatus, number>>> = {};
  for (const r of rows.rows) {
    const key = areaKey(r.area);
    total[r.status] = (total[r.status] ?? 0) + Number(r.n);
    byArea[key] ??= {};
    byArea[key][r.status] = (byArea[key][r.status] ?? 0) + Number(r.n);
  }
  return { total, byArea };
}

async function awardedBySourceOf(db: Executor, placePath: string, period: Period): Promise<Figures["awardedBySource"]> {
  const rows = await sql<{ source: string; fen: string }>`
    select fpool.source, sum(g.amount_fen)::bigint as fen
    from grants g join places fp on fp.id = g.place_id join funding_pools fpool on fpool.id = g.pool_id
    where fp.path like ${`${placePath}%`} and ${inPeriod(sql`g.awarded_at`, period)} and ${awarded}
    group by fpool.source order by fen desc, fpool.source`.execute(db);
  return rows.rows.map((r) => ({ source: r.source, fen: Number(r.fen) }));
}

/** The details of chosen projects, in the order of the ids given (one query, whatever their number). */
async function projectLines(db: Executor, ids: readonly string[]): Promise<Array<ProjectLine & { id: string; narrative: string }>> {
  if (ids.length === 0) return [];
  const rows = await sql<{
    id: string; project_name: string; organisation_name: string; place_name: string; action_type: ActionType; status: GrantStatus;
    amount_fen: string; leveraged_fen: string; beneficiaries: string; points: string; evaluations: string; narrative: string | null;
  }>`
    select g.id, g.project_name, o.name as organisation_name, fp.name as place_name, g.action_type, g.status, g.amount_fen,
           coalesce(lev.fen, 0)::bigint as leveraged_fen, coalesce(ben.n, 0)::bigint as beneficiaries,
           coalesce(ev.points, 0)::bigint as points, coalesce(ev.n, 0)::bigint as evaluations, last.narrative
    from grants g
    join organisations o on o.id = g.organisation_id
    join places fp on fp.id = g.place_id
    left join lateral (select sum(value_fen) as fen from bid_pledges where bid_id = g.bid_id) lev on true
    left join (select grant_id, sum(beneficiary_count) as n from milestone_reports where status = 'approved' and grant_id in (${sql.join(ids)}) group by grant_id) ben on ben.grant_id = g.id
    left join (select grant_id, sum(satisfaction) as points, count(*) as n from grant_evaluations where grant_id in (${sql.join(ids)}) group by grant_id) ev on ev.grant_id = g.id
    left join lateral (
      select r.narrative from milestone_reports r where r.grant_id = g.id and r.status = 'approved' order by r.position desc, r.officer_at desc limit 1
    ) last on true
    where g.id in (${sql.join(ids)})`.execute(db);
  const byId = new Map(rows.rows.map((r) => [r.id, r]));
  return ids.flatMap((id) => {
    const r = byId.get(id);
    if (!r) return [];
    return [{
      id,
      projectName: r.project_name,
      organisationName: r.organisation_name,
      placeName: r.place_name,
      actionType: r.action_type,
      status: r.status,
      amountFen: Number(r.amount_fen),
      leveragedFen: Number(r.leveraged_fen),
      beneficiaries: Number(r.beneficiaries),
      satisfaction: meanHundredths(Number(r.points), Number(r.evaluations)),
      evaluations: Number(r.evaluations),
      narrative: r.narrative ?? "",
    }];
  });
}

export const TOP_PROJECTS = 10;
export const STORIES = 5;

/** The largest projects awarded within the period (ties: the earlier award first). */
async function topProjectsOf(db: Executor, placePath: string, period: Period): Promise<ProjectLine[]> {
  const ids = await sql<{ id: string }>`
    select g.id from grants g join places fp on fp.id = g.place_id
    where fp.path like ${`${placePath}%`} and ${inPeriod(sql`g.awarded_at`, period)} and ${awarded}
    order by g.amount_fen desc, g.awarded_at, g.id limit ${TOP_PROJECTS}`.execute(db);
  return (await projectLines(db, ids.rows.map((r) => r.id))).map(({ id: _id, narrative: _n, ...line }) => line);
}

/** Stories: the projects with the best average satisfaction among evaluations made within the period (ties: more evaluations first). */
async function storiesOf(db: Executor, placePath: string, period: Period): Promise<StoryLine[]> {
  const ids = await sql<{ id: string }>`
    select g.id from grant_evaluations ev join grants g on g.id = ev.grant_id join places fp on fp.id = g.place_id
    where fp.path like ${`${placePath}%`} and ${inPeriod(sql`ev.created_at`, period)} and ${awarded}
    group by g.id
    order by avg(ev.satisfaction) desc, count(*) desc, g.id limit ${STORIES}`.execute(db);
  return (await projectLines(db, ids.rows.map((r) => r.id))).map(({ id: _id, ...line }) => line);
}

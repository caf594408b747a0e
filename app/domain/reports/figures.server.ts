import { sql, type RawBuilder } from "kysely";
import type { Executor } from "../../platform/db.server";
import { DomainError } from "../../platform/errors";
import { TIME_ZONE } from "../../lib/dates";
import type { ActionType } from "../vocabulary";
import {
  areasWithData,
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
  where?: RawBuilder<unknown>;
}

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
    select ${area} as area, ${src.action} as action, ${month} as month, ${src.value}::bigint as n
    from ${src.from}
    where fp.path like ${`${placePath}%`}
      and ${src.at} < ${end}
      ${stock ? sql`` : sql`and ${src.at} >= ${start}`}
      ${src.where ? sql`and ${src.where}` : sql``}
    group by 1, 2, 3`.execute(db);
  return result.rows.map((r) => ({ ...r, n: Number(r.n) }));
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

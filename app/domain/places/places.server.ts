import { sql, type ExpressionBuilder } from "kysely";
import type { Database, Place, PlaceLevel } from "../../../db/schema";
import type { Executor } from "../../platform/db.server";
import { DomainError } from "../../platform/errors";

export const LEVEL_LABELS: Record<PlaceLevel, string> = {
  province: "省",
  city: "市",
  district: "区/县",
  street: "街道/乡镇",
  community: "社区/村",
};

const CHILD_LEVEL: Record<PlaceLevel, PlaceLevel | null> = {
  province: "city",
  city: "district",
  district: "street",
  street: "community",
  community: null,
};

export type PlaceSummary = Pick<Place, "id" | "parent_id" | "level" | "name" | "code" | "path">;

const COLUMNS = ["id", "parent_id", "level", "name", "code", "path"] as const;

export async function createPlace(
  db: Executor,
  input: { parentId: number | null; level: PlaceLevel; name: string; code?: string | null },
): Promise<PlaceSummary> {
  let parentPath = "/";
  if (input.parentId != null) {
    const parent = await db.selectFrom("places").select(["path", "level"]).where("id", "=", input.parentId).executeTakeFirst();
    if (!parent) throw new DomainError("invalid", "上级地区不存在");
    if (CHILD_LEVEL[parent.level] !== input.level) throw new DomainError("invalid", `「${LEVEL_LABELS[parent.level]}」下不能直接设「${LEVEL_LABELS[input.level]}」`);
    parentPath = parent.path;
  }
  // The path holds the row's own id, known only after insert: insert with a placeholder, then set it.
  const row = await db
    .insertInto("places")
    .values({ parent_id: input.parentId, level: input.level, name: input.name, code: input.code ?? null, path: sql`'pending:' || gen_random_uuid()` })
    .returning("id")
    .executeTakeFirstOrThrow();
  return db
    .updateTable("places")
    .set({ path: `${parentPath}${row.id}/` })
    .where("id", "=", row.id)
    .returning(COLUMNS)
    .executeTakeFirstOrThrow();
}

export async function getPlace(db: Executor, id: number): Promise<PlaceSummary | undefined> {
  return db.selectFrom("places").select(COLUMNS).where("id", "=", id).executeTakeFirst();
}

export async function listChildren(db: Executor, parentId: number | null): Promise<PlaceSummary[]> {
  return db
    .selectFrom("places")
    .select(COLUMNS)
    .where("parent_id", parentId == null ? "is" : "=", parentId)
    .orderBy("code")
    .orderBy("id")
    .execute();
}

/** The place and its ancestors, root first: for breadcrumbs and "南昌市 · 西湖区 · 广南社区". */
export async function ancestry(db: Executor, place: Pick<Place, "path">): Promise<PlaceSummary[]> {
  const ids = pathIds(place.path);
  if (ids.length === 0) return [];
  const rows = await db.selectFrom("places").select(COLUMNS).where("id", "in", ids).execute();
  return ids.map((id) => rows.find((r) => r.id === id)).filter((r): r is PlaceSummary => r !== undefined);
}

/** Every place down to the given depth, ordered for a select box (parents before children). */
export async function placeOptions(db: Executor, opts: { maxLevel?: PlaceLevel; under?: string } = {}): Promise<Array<PlaceSummary & { depth: number }>> {
  const allowed = levelsDownTo(opts.maxLevel ?? "community");
  let q = db.selectFrom("places").select(COLUMNS).where("level", "in", allowed);
  if (opts.under) q = q.where("path", "like", `${opts.under}%`);
  return asTree(await q.execute());
}

const LEVELS: PlaceLevel[] = ["province", "city", "district", "street", "community"];

/** The levels from the top down to `maxLevel`. */
function levelsDownTo(maxLevel: PlaceLevel): PlaceLevel[] {
  return LEVELS.slice(0, LEVELS.indexOf(maxLevel) + 1);
}

/** The ids in a materialised path ("/1/5/9/" → [1, 5, 9]), root first. */
export function pathIds(path: string): number[] {
  return path.split("/").filter(Boolean).map(Number);
}

/** Places whose path lies under any of `paths` (a person's scopes). */
function underAny(eb: ExpressionBuilder<Database, "places">, paths: string[]) {
  return eb.or(paths.map((p) => eb("path", "like", `${p}%`)));
}

/** A place within any of `paths`. */
function withinAny(place: Pick<Place, "path">, paths: string[]): boolean {
  return paths.some((p) => place.path.startsWith(p));
}

/** A select box's options for places listed as a tree: indented by depth, with the level unless `withLevel` is false. */
export function placeSelectOptions(rows: Array<PlaceSummary & { depth: number }>, withLevel = true): Array<{ value: string; label: string }> {
  return rows.map((o) => ({ value: String(o.id), label: `${"　".repeat(o.depth)}${o.name}${withLevel ? `（${LEVEL_LABELS[o.level]}）` : ""}` }));
}

/** Up to this many places a public filter lists them all (a city's demo, a small install). */
export const ALL_PLACES_UP_TO = 1000;

/** More places than a select box should list: pickers then drill down (placeOptionsNear). */
export async function placesAreMany(db: Executor): Promise<boolean> {
  return (await db.selectFrom("places").select("id").offset(ALL_PLACES_UP_TO).limit(1).executeTakeFirst()) !== undefined;
}

/**
 * A bounded select box for public filters. A small install lists every place down to `maxLevel`;
 * a large one the levels down to 区/县 plus the chosen place's ancestors, siblings and children,
 * so one drills down to a street and a community. The chosen place is always on offer, below
 * `maxLevel` too (a drill-down link may lead there). Listing every community (20,000 in a
 * province) made each page megabytes, and every street a 1,600-option select (docs/performance.md).
 */
export async function placeOptionsNear(
  db: Executor,
  selected?: Pick<Place, "id" | "parent_id" | "path">,
  maxLevel: PlaceLevel = "community",
): Promise<Array<PlaceSummary & { depth: number }>> {
  const allowed = levelsDownTo(maxLevel);
  const large = await placesAreMany(db);
  const ancestors = selected ? pathIds(selected.path) : [];
  const rows = await db
    .selectFrom("places")
    .select(COLUMNS)
    .where((eb) => {
      const near = [large ? eb("level", "in", ["province", "city", "district"] as PlaceLevel[]) : eb.lit(true)];
      if (selected && large) {
        near.push(eb("id", "in", ancestors), eb("parent_id", "=", selected.id));
        if (selected.parent_id != null) near.push(eb("parent_id", "=", selected.parent_id));
      }
      const offered = eb.and([eb("level", "in", allowed), eb.or(near)]);
      return selected ? eb.or([eb("id", "=", selected.id), offered]) : offered;
    })
    .execute();
  return asTree(rows);
}

/**
 * The place of a public figures page: the one asked for (`unknown` when there is none such) or, by
 * default, the first city (else the first place); and its select's options, down to 街道, near it.
 */
export async function figuresPlaceChoice(
  db: Executor,
  requested: number | undefined,
): Promise<{ placeId: number | undefined; unknown: boolean; options: Array<PlaceSummary & { depth: number }> }> {
  const selected = requested ? await getPlace(db, requested) : undefined;
  if (requested && !selected) return { placeId: undefined, unknown: true, options: [] };
  const options = await placeOptionsNear(db, selected, "street");
  return { placeId: selected?.id ?? options.find((o) => o.level === "city")?.id ?? options[0]?.id, unknown: false, options };
}

/**
 * The place picker of a page scoped to someone's places (the dashboard): their scope roots, the
 * chosen place's ancestors, siblings and children, down to `maxLevel`, all within the scopes;
 * the chosen place itself whatever its level, so the select never shows another one.
 * One drills down from there; listing every street of a province's scope made a 1,600-option
 * select box on every dashboard page (docs/performance.md).
 */
export async function placeOptionsInScope(
  db: Executor,
  scopePaths: string[],
  selected: Pick<Place, "id" | "path">,
  maxLevel: PlaceLevel = "street",
): Promise<Array<PlaceSummary & { depth: number }>> {
  const allowed = levelsDownTo(maxLevel);
  const roots = scopePaths.map((p) => pathIds(p).at(-1)!);
  const parentId = pathIds(selected.path).at(-2);
  const rows = await db
    .selectFrom("places")
    .select(COLUMNS)
    .where((eb) => {
      const near = [eb("id", "in", [...roots, ...pathIds(selected.path)]), eb("parent_id", "=", selected.id)];
      if (parentId !== undefined) near.push(eb("parent_id", "=", parentId));
      // The chosen place is always on offer, below maxLevel too (a drill-down link may lead there).
      return eb.or([eb("id", "=", selected.id), eb.and([eb("level", "in", allowed), eb.or(near)])]);
    })
    .execute();
  return asTree(rows.filter((r) => withinAny(r, scopePaths)));
}

/**
 * Up to this many places a staff form's select box lists them all: communities (communityChoices;
 * with more, those of one 街道 or 区县 chosen first) or places down to 街道 (streetChoices; with
 * more, the streets of one 区县 chosen first).
 */
export const PLACES_LISTED_UP_TO = 300;

/**
 * The communities a staff form offers (a care target's community, a 结对's): every community of
 * the scopes when there are few; otherwise those under `at` (a 街道 or 区县 within the scopes), with
 * `drill`, the places to choose `at` from (placeOptionsInScope down to streets). A city officer's
 * scope holds ~1,800 communities at province scale.
 */
export async function communityChoices(
  db: Executor,
  scopePaths: string[],
  at?: PlaceSummary,
): Promise<{ communities: PlaceSummary[]; drill: Array<PlaceSummary & { depth: number }> | null }> {
  if (scopePaths.length === 0) return { communities: [], drill: null };
  const communitiesUnder = (paths: string[], limit: number) =>
    db
      .selectFrom("places")
      .select(COLUMNS)
      .where("level", "=", "community")
      .where((eb) => underAny(eb, paths))
      .orderBy("path")
      .limit(limit)
      .execute();
  const all = await communitiesUnder(scopePaths, PLACES_LISTED_UP_TO + 1);
  if (all.length <= PLACES_LISTED_UP_TO) return { communities: all, drill: null };
  const chosen = at && withinAny(at, scopePaths) ? at : undefined;
  const root = chosen ?? (await db.selectFrom("places").select(COLUMNS).where("path", "=", scopePaths[0]).executeTakeFirstOrThrow());
  const drill = await placeOptionsInScope(db, scopePaths, root, "street");
  // A 街道 lists all its communities; a 区县 with more than a select should list is narrowed to a 街道 first (the list stays empty).
  if (chosen?.level === "street") return { communities: await communitiesUnder([chosen.path], ALL_PLACES_UP_TO), drill };
  const under = chosen?.level === "district" ? await communitiesUnder([chosen.path], PLACES_LISTED_UP_TO + 1) : [];
  return { communities: under.length > PLACES_LISTED_UP_TO ? [] : under, drill };
}

/**
 * The places a staff form at 街道 granularity offers (the 总结报告's): every place of the scopes
 * down to 街道 when there are few; otherwise every place down to 区县 and the streets of the chosen
 * 区县 (or of the chosen street's 区县), with `drill` true so the page offers that choice. A province
 * officer's scope holds 1,632 streets; its 区县 and above are 132.
 */
export async function streetChoices(
  db: Executor,
  scopePaths: string[],
  chosen?: Pick<Place, "id" | "parent_id" | "level" | "path">,
): Promise<{ options: Array<PlaceSummary & { depth: number }>; drill: boolean }> {
  if (scopePaths.length === 0) return { options: [], drill: false };
  const all = await db
    .selectFrom("places")
    .select(COLUMNS)
    .where("level", "in", levelsDownTo("street"))
    .where((eb) => underAny(eb, scopePaths))
    .limit(PLACES_LISTED_UP_TO + 1)
    .execute();
  if (all.length <= PLACES_LISTED_UP_TO) return { options: asTree(all), drill: false };
  const district = chosen?.level === "district" ? chosen.id : chosen?.level === "street" ? chosen.parent_id : null;
  const rows = await db
    .selectFrom("places")
    .select(COLUMNS)
    // The scopes bound everything listed: a chosen place outside them adds nothing.
    .where((eb) => underAny(eb, scopePaths))
    .where((eb) => {
      // The scopes' own roots too: a street scope held beside a province one has no 区县 of its own to be chosen under.
      const offered = [eb("level", "in", levelsDownTo("district")), eb.and([eb("path", "in", scopePaths), eb("level", "=", "street")])];
      if (district != null) offered.push(eb.and([eb("level", "=", "street"), eb("parent_id", "=", district)]));
      return eb.or(offered);
    })
    .execute();
  return { options: asTree(rows), drill: true };
}

/** The breadcrumb trail of the chosen place within the scopes, root first, taken from placeOptionsInScope's rows (they hold its ancestors). */
export function trailAmong<T extends Pick<Place, "id">>(options: T[], selected: Pick<Place, "path">): T[] {
  const byId = new Map(options.map((o) => [o.id, o]));
  return pathIds(selected.path).flatMap((id) => byId.get(id) ?? []);
}

/** Parents before children, siblings by code, with each row's depth. */
function asTree(rows: PlaceSummary[]): Array<PlaceSummary & { depth: number }> {
  const ids = new Set(rows.map((r) => r.id));
  const byParent = new Map<number | null, PlaceSummary[]>();
  for (const r of rows) {
    const key = r.parent_id != null && ids.has(r.parent_id) ? r.parent_id : null;
    const list = byParent.get(key);
    if (list) list.push(r);
    else byParent.set(key, [r]);
  }
  const out: Array<PlaceSummary & { depth: number }> = [];
  const walk = (parent: number | null, depth: number) => {
    const children = (byParent.get(parent) ?? []).sort((a, b) => (a.code ?? "~").localeCompare(b.code ?? "~") || a.id - b.id);
    for (const c of children) {
      out.push({ ...c, depth });
      walk(c.id, depth + 1);
    }
  };
  walk(null, 0);
  return out;
}

export function isWithin(place: Pick<Place, "path">, ancestor: Pick<Place, "path">): boolean {
  return place.path.startsWith(ancestor.path);
}

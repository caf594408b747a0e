import { formatMoney } from "../../lib/money";
import type { Executor } from "../../platform/db.server";
import { pageFigures, viewFigures, type Figures, type PageFigures } from "./rules";
import { programmeFigures, type Period } from "./figures.server";

/**
 * The dashboard's figures, pre-aggregated per place and period in each app process
 * (docs/performance.md). A city's figures aggregate hundreds of thousands of rows (most of a
 * second at province scale); officers reloading the page, or many officers of one city, then
 * share one computation. Only computations slower than KEEP_WHEN_SLOWER_THAN_MS are kept, for at
 * most FIGURES_MAX_AGE_MS: a small install (every demo) stays exact on every request, a large
 * one is at most a minute stale, and the page says when its figures were computed. Requests that
 * arrive while a computation runs wait for it instead of starting their own.
 * Reports (saved figures) and open data still compute from the source tables.
 */
export const FIGURES_MAX_AGE_MS = 60_000;
export const KEEP_WHEN_SLOWER_THAN_MS = 150;
const MAX_ENTRIES = 500;

interface Entry {
  at: number;
  done: boolean;
  figures: Promise<Figures>;
}

const cache = new Map<string, Entry>();

export async function cachedProgrammeFigures(db: Executor, placeId: number, period: Period, now: () => number = Date.now): Promise<{ figures: Figures; computedAt: Date }> {
  const key = `${placeId}|${period.from}|${period.to}`;
  let entry = cache.get(key);
  if (!entry || (entry.done && now() - entry.at > FIGURES_MAX_AGE_MS)) {
    const started = now();
    const e: Entry = { at: started, done: false, figures: programmeFigures(db, placeId, period) };
    entry = e;
    cache.delete(key);
    cache.set(key, e);
    while (cache.size > MAX_ENTRIES) cache.delete(cache.keys().next().value!);
    e.figures.then(
      () => {
        e.done = true;
        // Fast enough to compute every time: keep it exact.
        if (now() - started < KEEP_WHEN_SLOWER_THAN_MS && cache.get(key) === e) cache.delete(key);
      },
      () => {
        if (cache.get(key) === e) cache.delete(key);
      },
    );
  }
  return { figures: await entry.figures, computedAt: new Date(entry.at) };
}

/** For tests: forget everything. */
export function clearFiguresCache(): void {
  cache.clear();
}

const views = new WeakMap<Figures, Map<boolean, PageFigures>>();

/**
 * The page's view of figures (every number formatted as money is on pages, care counts suppressed or not): made once
 * per shared figures object, since formatting a city's thousands of cells costs more than
 * rendering some of them. Lives exactly as long as the figures it was made from.
 */
export function cachedPageFigures(figures: Figures, suppressCare: boolean): PageFigures {
  let byMode = views.get(figures);
  if (!byMode) views.set(figures, (byMode = new Map()));
  let view = byMode.get(suppressCare);
  if (!view) byMode.set(suppressCare, (view = pageFigures(viewFigures(figures, { suppressCare, format: formatMoney }))));
  return view;
}

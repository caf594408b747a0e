import { formatMoney } from "../../lib/money";
import type { Executor } from "../../platform/db.server";
import { pageFigures, viewFigures, type Figures, type PageFigures } from "./rules";
import { programmeFigures, type Period } from "./figures.server";

/**
 * The dashboard's figures, pre-aggregated per place and period in each app process
 * (docs/performance.md). A city's figures aggregate hundreds of thousands of rows (most of a
 * second at province scale); officers reloading the page, or many officers of one city, then
 * share one computation. Only computations slower than KEEP_WHEN_SLOWER_THAN_MS are kept: a small
 * install (every demo) stays exact on every request. A kept computation is served as it is for
 * FIGURES_MAX_AGE_MS; then, up to FIGURES_STALE_LIMIT_MS, it is still served while one fresh
 * computation runs in the background (nobody waits for it: waiting made every officer's page
 * stall for the whole computation once a minute); older than that, requests wait for a fresh
 * one. So figures are at most two minutes old, and the page says when they were computed.
 * Requests that arrive while a computation runs share it instead of starting their own.
 * Reports (saved figures) and open data still compute from the source tables.
 */
export const FIGURES_MAX_AGE_MS = 60_000;
export const FIGURES_STALE_LIMIT_MS = 120_000;
export const KEEP_WHEN_SLOWER_THAN_MS = 150;
const MAX_ENTRIES = 500;

interface Entry {
  at: number;
  done: boolean;
  /** Slow enough to be worth keeping (known once done). */
  keep?: boolean;
  figures: Promise<Figures>;
  /** A fresh computation running in the background while this one is still served. */
  next?: Entry;
}

const cache = new Map<string, Entry>();

function compute(db: Executor, key: string, placeId: number, period: Period, now: () => number): Entry {
  const started = now();
  const e: Entry = { at: started, done: false, figures: programmeFigures(db, placeId, period) };
  e.figures.then(
    () => {
      e.done = true;
      e.keep = now() - started >= KEEP_WHEN_SLOWER_THAN_MS;
      // Fast enough to compute every time: keep it exact.
      if (!e.keep && cache.get(key) === e) cache.delete(key);
    },
    () => {
      if (cache.get(key) === e) cache.delete(key);
    },
  );
  return e;
}

function store(key: string, e: Entry) {
  cache.delete(key);
  cache.set(key, e);
  while (cache.size > MAX_ENTRIES) cache.delete(cache.keys().next().value!);
}

export async function cachedProgrammeFigures(db: Executor, placeId: number, period: Period, now: () => number = Date.now): Promise<{ figures: Figures; computedAt: Date }> {
  const key = `${placeId}|${period.from}|${period.to}`;
  let entry = cache.get(key);
  const age = entry?.done ? now() - entry.at : 0;
  if (entry && age > FIGURES_STALE_LIMIT_MS && entry.next) {
    // Too old to serve, and a fresh computation is already under way: wait for that one.
    entry = entry.next;
  } else if (!entry || age > FIGURES_STALE_LIMIT_MS) {
    entry = compute(db, key, placeId, period, now);
    store(key, entry);
  } else if (age > FIGURES_MAX_AGE_MS && !entry.next) {
    const stale = entry;
    const fresh = compute(db, key, placeId, period, now);
    stale.next = fresh;
    // Takes the old one's place once done; a failure leaves the old one, to be retried next time.
    fresh.figures.then(
      () => {
        if (cache.get(key) !== stale) return;
        if (fresh.keep) store(key, fresh);
        else cache.delete(key);
      },
      () => {
        stale.next = undefined;
      },
    );
  }
  return { figures: await entry.figures, computedAt: new Date(entry.at) };
}

/** For tests: waits for the background computations under way. */
export async function settleFiguresCache(): Promise<void> {
  // The refresh's own callbacks were registered first, so they have run when these settle.
  await Promise.all([...cache.values()].map((e) => e.next?.figures.catch(() => {})));
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

// Memory settings for the app's serving processes (docs/performance.md, "Memory"). Plain JS so
// that `npm start` (scripts/start.js) can use it before anything is compiled; server.ts applies
// it to its cluster workers and the bench to the server it starts.

/**
 * glibc: a fixed mmap threshold. Otherwise freeing one of argon2's 19 MiB blocks raises the
 * threshold, later blocks come from the per-thread arenas, and the process keeps them (log-in
 * peak 505–606 MB per process; with this alone, 360 MB at the same CPU per log-in).
 * @type {Record<string, string>}
 */
export const TUNED_ENV = { MALLOC_MMAP_THRESHOLD_: String(4 * 1024 * 1024) };

/**
 * V8, measured under the dashboard's load (docs/performance.md, "Memory"):
 * - let the heap grow to twice what survived the last full collection, not up to four times (the
 *   live heap is ~65 MB; the old space used to reach 260–275 MB before collecting): largest
 *   process 427 → 310 MB at the same CPU per page. A cap with --max-old-space-size instead also
 *   shrinks the young generation and cost 7–20 % more CPU;
 * - a 32 MB semi-space (16 by default): fewer scavenges, 12.1 → 11.3 ms of CPU per dashboard
 *   page for ~45 MB more per process (64 MB was slower again).
 */
export const TUNED_NODE_FLAGS = ["--heap-growing-percent=100", "--max-semi-space-size=32"];

// Any heap-sizing flag means the operator chose: none of ours is added then.
const HEAP_FLAG =
  /^--(max[-_]old[-_]space[-_]size|max[-_]heap[-_]size|heap[-_]growing[-_]percent|(max|min)[-_]semi[-_]space[-_]size|max[-_]young[-_]generation[-_]size|initial[-_](old[-_]space|heap)[-_]size|semi[-_]space[-_]growth[-_]factor)\b/;

/**
 * The environment for a serving process: the tuned settings unless the operator set them.
 * @template {Record<string, string | undefined>} E
 * @param {E} env
 * @returns {E & typeof TUNED_ENV}
 */
export function tunedEnv(env) {
  return { ...TUNED_ENV, ...env };
}

/**
 * Removes the tuned settings from an environment before it is handed to a process that does not
 * serve pages (the embedded PostgreSQL inherits the primary's environment); an operator's own
 * different value stays.
 * @param {Record<string, string | undefined>} env
 */
export function dropTunedEnv(env) {
  for (const [k, v] of Object.entries(TUNED_ENV)) if (env[k] === v) delete env[k];
}

/**
 * Node's arguments for a serving process: the tuned flags unless the operator chose a heap
 * setting, in the arguments or in NODE_OPTIONS.
 * @param {string[]} execArgv
 * @param {string | undefined} nodeOptions
 * @returns {string[]}
 */
export function tunedExecArgv(execArgv, nodeOptions) {
  const given = [...execArgv, ...(nodeOptions ?? "").split(/\s+/)];
  return given.some((a) => HEAP_FLAG.test(a)) ? execArgv : [...TUNED_NODE_FLAGS, ...execArgv];
}

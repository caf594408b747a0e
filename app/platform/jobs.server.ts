import PgBoss from "pg-boss";

/**
 * Scheduled jobs, kept in PostgreSQL by pg-boss so they survive restarts and are shared by every
 * app server. Each app server starts a runner; pg-boss's clock puts at most one job per schedule
 * and minute in the queue (a singleton key per minute, whichever server's clock fires first) and
 * hands each job to exactly one worker (SELECT … FOR UPDATE SKIP LOCKED). The job functions are
 * themselves safe to run twice at once (they claim rows with SKIP LOCKED), so a retried or
 * duplicated run changes nothing twice.
 */

export interface ScheduledJob {
  /** Queue name: letters, digits, dashes. */
  name: string;
  /** Cron expression, evaluated in Asia/Shanghai. */
  cron: string;
  run(): Promise<unknown>;
}

export interface JobRunner {
  boss: PgBoss;
  stop(): Promise<void>;
}

type Log = (level: "info" | "warn" | "error", msg: string, extra?: Record<string, unknown>) => void;

export async function startJobRunner(
  connectionString: string,
  jobs: readonly ScheduledJob[],
  log: Log,
  options: { pollingIntervalSeconds?: number; schedule?: boolean } = {},
): Promise<JobRunner> {
  const boss = new PgBoss({ connectionString, schema: "pgboss", max: 2, schedule: options.schedule ?? true });
  boss.on("error", (e) => log("error", "job runner error", { error: String(e) }));
  await boss.start();
  for (const job of jobs) {
    // A tick that is still running when the next is due expires after 5 minutes; no retries pile up.
    await boss.createQueue(job.name, { name: job.name, policy: "short", retryLimit: 0, expireInSeconds: 300 });
    if (options.schedule ?? true) await boss.schedule(job.name, job.cron, {}, { tz: "Asia/Shanghai" });
    await boss.work(job.name, { pollingIntervalSeconds: options.pollingIntervalSeconds ?? 2 }, async () => {
      const started = Date.now();
      const result = await job.run();
      log("info", "job done", { job: job.name, ms: Date.now() - started, result: result ?? null });
    });
  }
  return { boss, stop: () => boss.stop({ graceful: true, wait: true, timeout: 10_000 }) };
}

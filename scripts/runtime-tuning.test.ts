import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { dropTunedEnv, TUNED_ENV, TUNED_NODE_FLAGS, tunedEnv, tunedExecArgv } from "./runtime-tuning.js";

describe("runtime tuning of the serving processes", () => {
  it("adds the heap flag and the malloc threshold by default", () => {
    expect(tunedExecArgv(["--import", "tsx"], undefined)).toEqual([...TUNED_NODE_FLAGS, "--import", "tsx"]);
    expect(tunedEnv({ PORT: "3000" })).toEqual({ PORT: "3000", MALLOC_MMAP_THRESHOLD_: "4194304" });
  });

  it("leaves the operator's own choices alone", () => {
    expect(tunedExecArgv(["--max-old-space-size=512"], undefined)).toEqual(["--max-old-space-size=512"]);
    expect(tunedExecArgv([], "--enable-source-maps --max-heap-size=800")).toEqual([]);
    expect(tunedExecArgv(["--heap-growing-percent=0"], "")).toEqual(["--heap-growing-percent=0"]);
    expect(tunedExecArgv([], "--max_semi_space_size=8")).toEqual([]);
    expect(tunedExecArgv(["--max-young-generation-size=64"], undefined)).toEqual(["--max-young-generation-size=64"]);
    expect(tunedExecArgv(["--enable-source-maps"], "--inspect")).toEqual([...TUNED_NODE_FLAGS, "--enable-source-maps"]);
    expect(tunedEnv({ MALLOC_MMAP_THRESHOLD_: "131072" }).MALLOC_MMAP_THRESHOLD_).toBe("131072");
  });

  it("takes its own malloc setting out of an environment handed to PostgreSQL, not the operator's", () => {
    const ours: Record<string, string | undefined> = tunedEnv({ PORT: "1" });
    dropTunedEnv(ours);
    expect(ours).toEqual({ PORT: "1" });
    const theirs: Record<string, string | undefined> = { MALLOC_MMAP_THRESHOLD_: "131072" };
    dropTunedEnv(theirs);
    expect(theirs).toEqual({ MALLOC_MMAP_THRESHOLD_: "131072" });
  });

  it("uses flags this Node accepts (an unknown V8 flag would stop the server from starting)", () => {
    const r = spawnSync(process.execPath, [...TUNED_NODE_FLAGS, "-e", "process.stdout.write(String(require('v8').getHeapStatistics().heap_size_limit > 0))"], {
      env: { ...process.env, ...TUNED_ENV },
      encoding: "utf8",
    });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toBe("true");
  });
});

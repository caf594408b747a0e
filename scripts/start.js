// `npm start`: build the site, then run the server (which boots the database).
import { spawnSync, spawn } from "node:child_process";
import { tunedEnv, tunedExecArgv } from "./runtime-tuning.js";

const env = { ...process.env, NODE_ENV: process.env.NODE_ENV ?? "production" };
const build = spawnSync("npx", ["remix", "build"], { stdio: "inherit", env });
if (build.status !== 0) process.exit(build.status ?? 1);
const server = spawn(process.execPath, [...tunedExecArgv([], env.NODE_OPTIONS), "--import", "tsx", "server.ts"], { stdio: "inherit", env: tunedEnv(env) });
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => server.kill(sig));
server.on("exit", (code) => process.exit(code ?? 0));

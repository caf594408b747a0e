// The "near-physical limit" for two pages: a bare node:http server that runs the same domain
// queries as the app's loaders (listIssues, getIssue: the same SQL through the same Kysely pool)
// and returns their data as JSON, without Remix, React or express. Started by bench/run.ts.
import http from "node:http";
import { getIssue, listIssues } from "../app/domain/issues/issues.server";
import { issueListQuerySchema } from "../app/domain/issues/schema";
import { getPlace } from "../app/domain/places/places.server";
import { getDb } from "../app/platform/db.server";

const port = Number(process.env.BARE_PORT ?? 3299);

const server = http.createServer((req, res) => {
  void (async () => {
    const url = new URL(req.url ?? "/", "http://bare");
    const db = getDb();
    let body: unknown;
    if (url.pathname === "/issues") {
      const query = issueListQuerySchema.parse(Object.fromEntries(url.searchParams));
      const place = query.place ? await getPlace(db, query.place) : undefined;
      body = await listIssues(db, { ...query, placePath: place?.path, communityId: place?.level === "community" ? place.id : undefined, viewerId: null });
    } else if (url.pathname.startsWith("/issues/")) {
      body = await getIssue(db, url.pathname.slice("/issues/".length), { userId: null, isStaff: false });
    }
    if (!body) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "content-type": "application/json; charset=utf-8" }).end(JSON.stringify(body));
  })().catch((e: unknown) => {
    res.writeHead(500).end(String(e));
  });
});
server.listen(port, "127.0.0.1", () => process.stdout.write(`bare listening ${port}\n`));
process.on("SIGTERM", () => server.close(() => process.exit(0)));

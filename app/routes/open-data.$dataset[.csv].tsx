import type { LoaderFunctionArgs } from "@remix-run/node";
import { todayOf } from "../domain/care/care.server";
import { datasetRows, isDataset } from "../domain/reports/opendata.server";
import { periodFrom } from "../domain/reports/rules";
import { figuresQuerySchema, MAX_PERIOD_DAYS } from "../domain/reports/schema";
import { toCsv } from "../lib/csv";
import { systemClock } from "../platform/clock";
import { getDb } from "../platform/db.server";
import { notFound, throwAsResponse } from "../platform/http.server";

/** Public CSV downloads (documented on /open-data). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const name = params.dataset ?? "";
  if (!isDataset(name)) notFound("数据集不存在");
  const db = getDb();
  const query = figuresQuerySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const placeId = query.place ?? (await db.selectFrom("places").select("id").where("level", "=", "city").orderBy("id").executeTakeFirst())?.id;
  if (!placeId) notFound("尚无地区数据");
  try {
    const rows = await datasetRows(db, name, { placeId, period: periodFrom(query, todayOf(systemClock), MAX_PERIOD_DAYS) });
    return new Response(toCsv(rows), {
      headers: {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": `attachment; filename="${name}.csv"`,
        "Cache-Control": "public, max-age=300",
      },
    });
  } catch (e) {
    throwAsResponse(e);
  }
}

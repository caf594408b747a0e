import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { careActor } from "../domain/care/access.server";
import { exportTargets } from "../domain/care/care.server";
import { getPlace } from "../domain/places/places.server";
import { toCsv } from "../lib/csv";
import { requirePermission } from "../platform/auth.server";
import { getDb } from "../platform/db.server";
import { throwAsResponse } from "../platform/http.server";

const schema = z.object({ placeId: z.coerce.number().int().positive() });

/** POST only: an export is a read of many records and is audit-logged, so a link must not trigger it. */
export async function action({ request, context }: ActionFunctionArgs) {
  const parsed = schema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) throw new Response("请选择要导出的地区", { status: 400 });
  const place = await getPlace(getDb(), parsed.data.placeId);
  const { actor, audit } = await requirePermission(request, context, "care.export", { placePath: place?.path ?? null });
  try {
    const result = await getDb()
      .transaction()
      .execute((trx) => exportTargets(trx, careActor(actor), audit, parsed.data.placeId));
    const name = `关爱对象-${place!.name}-${new Date().toISOString().slice(0, 10)}.csv`;
    return new Response(toCsv(result.rows), {
      headers: {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": `attachment; filename="care-export.csv"; filename*=UTF-8''${encodeURIComponent(name)}`,
        "Cache-Control": "no-store",
      },
    });
  } catch (e) {
    throwAsResponse(e);
  }
}

import type { LoaderFunctionArgs } from "@remix-run/node";
import { getReport, recordDownload } from "../domain/reports/reports.server";
import { reportWorkbook } from "../domain/reports/xlsx.server";
import { requirePermission } from "../platform/auth.server";
import { getDb } from "../platform/db.server";
import { notFound } from "../platform/http.server";

/** A kept 总结报告 as XLSX, built from the figures saved with it; every download is audit-logged. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const report = await getReport(getDb(), params.id ?? "");
  if (!report) notFound("报告不存在");
  const { audit } = await requirePermission(request, context, "report.read", { placePath: report.placePath });
  await recordDownload(getDb(), audit, report);
  const body = await reportWorkbook(report);
  const name = `总结报告_${report.placeName}_${report.from}_${report.to}.xlsx`;
  return new Response(new Uint8Array(body), {
    headers: {
      "Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      "Content-Disposition": `attachment; filename="report.xlsx"; filename*=UTF-8''${encodeURIComponent(name)}`,
      "Cache-Control": "private, no-store",
    },
  });
}

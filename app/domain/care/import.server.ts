import { decodeCsv, parseCsv, type CsvRow } from "../../lib/csv";
import { validateIdCard } from "../../lib/idcard";
import { isOle2, isZip, readFirstSheet, type SheetRow } from "../../lib/xlsx.server";
import { audit, type AuditContext } from "../../platform/audit.server";
import type { Clock } from "../../platform/clock";
import { blindIndex } from "../../platform/crypto.server";
import type { Executor } from "../../platform/db.server";
import { DomainError } from "../../platform/errors";
import { grantingRole } from "../../platform/permissions";
import type { CareActor } from "./access.server";
import { prepareTarget, todayOf, type PreparedTarget } from "./care.server";
import { CARE_SOURCE_LABELS, CONSENT_METHOD_LABELS, IMPORT_COLUMNS, targetSchema, type TargetInput } from "./schema";

/**
 * Batch import of the 数字民政 list (CSV in UTF-8 or GB18030, or XLSX: its first worksheet,
 * recognised by its bytes, not its name). Both become the same rows of text and go through the
 * same checks below. Step 1 checks every row and stores the good ones, already encrypted, in
 * care_import_batches with the list of problems; nothing reaches care_targets. Step 2, on the officer's confirmation, writes all good rows in one
 * transaction. Keeping the preview in the database lets any app server take the second request.
 */

type Column = keyof typeof IMPORT_COLUMNS;
const REQUIRED: Column[] = ["name", "idNumber", "community", "groups", "consentMethod"];

export const MAX_IMPORT_ROWS = 5000;
export const MAX_IMPORT_BYTES = 5 * 1024 * 1024;
/** A preview older than this must be uploaded again. */
export const PREVIEW_HOURS = 24;

export interface ImportProblem {
  line: number;
  field: string;
  reason: string;
}

type StoredRow = PreparedTarget & { line: number };

const byLabel = <T extends string>(labels: Record<T, string>) => new Map(Object.entries(labels).map(([k, v]) => [v as string, k as T]));
const SOURCE_BY_LABEL = byLabel(CARE_SOURCE_LABELS);
const CONSENT_BY_LABEL = byLabel(CONSENT_METHOD_LABELS);
const SOURCE_WORDS: Record<string, keyof typeof CARE_SOURCE_LABELS> = { 数字民政: "referral", 转介: "referral", 走访: "community_visit", 社区走访: "community_visit", 自主求助: "self_referral", 本人申请: "self_referral" };
const CONSENT_WORDS: Record<string, keyof typeof CONSENT_METHOD_LABELS> = { 书面: "written", 口头: "verbal", 电子: "electronic" };

/** "2026/3/5", "2026-03-05", "2026.3.5" → "2026-03-05"; anything else is left for the schema to refuse. */
function normaliseDate(v: string): string {
  const m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(v.trim());
  return m ? `${m[1]}-${m[2].padStart(2, "0")}-${m[3].padStart(2, "0")}` : v.trim();
}

const FIELD_LABELS: Record<string, string> = { ...IMPORT_COLUMNS, placeId: IMPORT_COLUMNS.community };

export const ID_AS_NUMBER = "身份证号码被 Excel 存成了数字，请将该列设为文本格式后重新导出";

const SHEET_REFUSALS = {
  unreadable: "无法读取该 XLSX 文件，请在 Excel 中重新保存为 .xlsx 或另存为 CSV 后再上传",
  too_large: "XLSX 文件解压后过大，请检查文件或分批导入",
  no_sheet: "文件中没有工作表，请上传 Excel 表格（.xlsx）或 CSV 文件",
} as const;

/** The rows of the file, header first: XLSX by its ZIP signature, anything else as CSV text. */
async function readTable(bytes: Uint8Array): Promise<Array<CsvRow & { numeric?: SheetRow["numeric"] }>> {
  if (isOle2(bytes)) throw new DomainError("invalid", "这是旧版 .xls 或设了密码的 Excel 文件，请另存为 .xlsx（不设密码）或 CSV 后再上传", { file: "文件格式不支持" });
  if (!isZip(bytes)) return parseCsv(decodeCsv(bytes));
  const sheet = await readFirstSheet(bytes);
  if (!sheet.ok) throw new DomainError("invalid", SHEET_REFUSALS[sheet.reason], { file: SHEET_REFUSALS[sheet.reason] });
  return sheet.rows;
}

/** Checks a file; stores the preview (good rows encrypted, every problem listed). Writes no target. */
export async function previewImport(
  db: Executor,
  actor: CareActor,
  ctx: AuditContext,
  clock: Clock,
  input: { fileName: string; bytes: Uint8Array; placeId: number },
): Promise<{ batchId: string; totalRows: number; goodRows: number; problems: ImportProblem[] }> {
  const scope = await db.selectFrom("places").select(["id", "path"]).where("id", "=", input.placeId).executeTakeFirst();
  if (!scope) throw new DomainError("invalid", "地区不存在");
  const role = grantingRole(actor, "care.import", { placePath: scope.path });
  if (!role) throw new DomainError("forbidden", "您没有权限导入该地区的关爱对象");
  if (input.bytes.length === 0) throw new DomainError("invalid", "请选择要导入的 CSV 或 XLSX 文件", { file: "请选择文件" });
  if (input.bytes.length > MAX_IMPORT_BYTES) throw new DomainError("invalid", "文件超过 5 MB，请分批导入", { file: "文件过大" });

  const [header, ...records] = await readTable(input.bytes);
  if (!header) throw new DomainError("invalid", "文件是空的", { file: "文件是空的" });
  const index = new Map(header.cells.map((h, i) => [h.trim(), i]));
  const missing = REQUIRED.filter((c) => !index.has(IMPORT_COLUMNS[c]));
  if (missing.length) throw new DomainError("invalid", `缺少必需的列：${missing.map((c) => IMPORT_COLUMNS[c]).join("、")}`, { file: "表头不符合模板" });
  if (records.length > MAX_IMPORT_ROWS) throw new DomainError("invalid", `一次最多导入 ${MAX_IMPORT_ROWS} 行，请分批导入`, { file: "行数过多" });

  const communities = await db.selectFrom("places").select(["id", "name"]).where("level", "=", "community").where("path", "like", `${scope.path}%`).execute();
  const communityByName = new Map<string, number | "ambiguous">();
  for (const c of communities) communityByName.set(c.name, communityByName.has(c.name) ? "ambiguous" : c.id);

  const today = todayOf(clock);
  const problems: ImportProblem[] = [];
  const good: StoredRow[] = [];
  const firstLineOfHash = new Map<string, number>();
  for (const { line, cells, numeric } of records) {
    const cell = (c: Column) => {
      const i = index.get(IMPORT_COLUMNS[c]);
      return i === undefined ? "" : (cells[i] ?? "").trim();
    };
    const rowProblems: ImportProblem[] = [];
    const add = (field: string, reason: string) => rowProblems.push({ line, field, reason });
    // 18 digits do not survive as an Excel number (15 significant digits): report it, never guess.
    const idStoredAsNumber = numeric?.has(index.get(IMPORT_COLUMNS.idNumber) ?? -1) ?? false;
    if (idStoredAsNumber) add(IMPORT_COLUMNS.idNumber, ID_AS_NUMBER);

    const community = communityByName.get(cell("community"));
    if (community === undefined) add(IMPORT_COLUMNS.community, cell("community") ? `未知社区：${cell("community")}` : "未填写社区");
    else if (community === "ambiguous") add(IMPORT_COLUMNS.community, `社区名称不唯一：${cell("community")}`);

    const sourceText = cell("source");
    const source = sourceText ? (SOURCE_BY_LABEL.get(sourceText) ?? Object.entries(SOURCE_WORDS).find(([w]) => sourceText.includes(w))?.[1]) : "referral";
    const consentText = cell("consentMethod");
    const consentMethod = CONSENT_BY_LABEL.get(consentText) ?? Object.entries(CONSENT_WORDS).find(([w]) => consentText.includes(w))?.[1];
    const raw: Record<keyof TargetInput, unknown> = {
      name: cell("name"),
      idNumber: idStoredAsNumber ? "" : cell("idNumber"),
      phone: cell("phone") || undefined,
      placeId: typeof community === "number" ? community : 1,
      address: cell("address") || undefined,
      groups: cell("groups")
        .split(/[、;；,，/]/)
        .map((g) => g.trim())
        .filter(Boolean),
      needs: cell("needs") || undefined,
      guardianName: cell("guardianName") || undefined,
      guardianRelation: cell("guardianRelation") || undefined,
      guardianPhone: cell("guardianPhone") || undefined,
      source: source ?? sourceText,
      consentBy: cell("consentBy") || cell("guardianName") || cell("name"),
      consentOn: normaliseDate(cell("consentOn") || today),
      consentMethod: consentMethod ?? consentText,
      consentPhotos: cell("consentPhotos") === "是" ? "on" : undefined,
      referredOn: normaliseDate(cell("referredOn") || today),
    };
    const parsed = targetSchema.safeParse(raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const key = String(issue.path[0] ?? "");
        if (key === "placeId") continue;
        const reason = key === "source" ? `未知来源：${sourceText}` : key === "consentMethod" ? (consentText ? `未知同意方式：${consentText}` : "未填写同意方式") : issue.message;
        if (!rowProblems.some((p) => p.field === FIELD_LABELS[key])) add(FIELD_LABELS[key] ?? key, reason);
      }
    }
    if (parsed.success && typeof community === "number") {
      const prepared = prepareTarget(parsed.data, community, today);
      if (!prepared.ok) for (const p of prepared.problems) add(FIELD_LABELS[p.field] ?? p.field, p.reason);
      else {
        const first = firstLineOfHash.get(prepared.row.id_number_hash);
        if (first !== undefined) add(IMPORT_COLUMNS.idNumber, `文件内重复：与第 ${first} 行身份证号码相同`);
        else {
          firstLineOfHash.set(prepared.row.id_number_hash, line);
          good.push({ ...prepared.row, line });
        }
      }
    } else if (!rowProblems.some((p) => p.field === IMPORT_COLUMNS.idNumber)) {
      // A row refused for another field still claims its ID number, so a later copy is reported too.
      const id = validateIdCard(cell("idNumber"));
      if (id.ok && !firstLineOfHash.has(blindIndex(id.value))) firstLineOfHash.set(blindIndex(id.value), line);
    }
    problems.push(...rowProblems);
  }

  // Duplicates of records already in the portal: one query over the keyed hashes.
  const hashes = good.map((g) => g.id_number_hash);
  const existing = new Set<string>();
  for (let i = 0; i < hashes.length; i += 1000) {
    const rows = await db.selectFrom("care_targets").select("id_number_hash").where("id_number_hash", "in", hashes.slice(i, i + 1000)).execute();
    for (const r of rows) existing.add(r.id_number_hash);
  }
  const kept = good.filter((g) => {
    if (!existing.has(g.id_number_hash)) return true;
    problems.push({ line: g.line, field: IMPORT_COLUMNS.idNumber, reason: "与已有记录重复" });
    return false;
  });
  problems.sort((a, b) => a.line - b.line);

  const batch = await db
    .insertInto("care_import_batches")
    .values({
      place_id: scope.id,
      created_by: actor.userId,
      file_name: input.fileName.slice(0, 200),
      total_rows: records.length,
      good_rows: kept.length,
      errors: JSON.stringify(problems),
      rows: JSON.stringify(kept),
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await audit(db, { ...ctx, role: role.role }, {
    action: "care.import_preview",
    entityType: "care_import_batch",
    entityId: batch.id,
    placeId: scope.id,
    summary: { totalRows: records.length, goodRows: kept.length, badRows: new Set(problems.map((p) => p.line)).size },
  });
  return { batchId: batch.id, totalRows: records.length, goodRows: kept.length, problems };
}

export interface ImportBatchView {
  id: string;
  fileName: string;
  status: "preview" | "confirmed" | "discarded";
  createdAt: Date;
  totalRows: number;
  goodRows: number;
  badLines: number;
  problems: ImportProblem[];
  expired: boolean;
}

async function loadBatch(db: Executor, actor: CareActor, batchId: string, forUpdate = false) {
  if (!/^[0-9a-f-]{36}$/i.test(batchId)) throw new DomainError("not_found", "导入批次不存在");
  let q = db.selectFrom("care_import_batches").selectAll().where("id", "=", batchId).where("created_by", "=", actor.userId);
  if (forUpdate) q = q.forUpdate();
  const batch = await q.executeTakeFirst();
  if (!batch) throw new DomainError("not_found", "导入批次不存在");
  return batch;
}

function isExpired(createdAt: Date, clock: Clock) {
  return clock.now().getTime() - createdAt.getTime() > PREVIEW_HOURS * 3600_000;
}

/** The preview of one's own batch. */
export async function getImportBatch(db: Executor, actor: CareActor, clock: Clock, batchId: string): Promise<ImportBatchView> {
  const b = await loadBatch(db, actor, batchId);
  return {
    id: b.id,
    fileName: b.file_name,
    status: b.status,
    createdAt: b.created_at,
    totalRows: b.total_rows,
    goodRows: b.good_rows,
    badLines: new Set(b.errors.map((e) => e.line)).size,
    problems: b.errors,
    expired: isExpired(b.created_at, clock),
  };
}

/** Writes every good row of the preview in the caller's transaction; all or nothing. */
export async function confirmImport(db: Executor, actor: CareActor, ctx: AuditContext, clock: Clock, batchId: string): Promise<{ imported: number }> {
  const b = await loadBatch(db, actor, batchId, true);
  if (b.status !== "preview") throw new DomainError("conflict", b.status === "confirmed" ? "该批次已经导入" : "该批次已放弃");
  if (isExpired(b.created_at, clock)) throw new DomainError("conflict", `预览已超过 ${PREVIEW_HOURS} 小时，请重新上传文件`);
  const place = await db.selectFrom("places").select("path").where("id", "=", b.place_id).executeTakeFirstOrThrow();
  const role = grantingRole(actor, "care.import", { placePath: place.path });
  if (!role) throw new DomainError("forbidden", "您没有权限导入该地区的关爱对象");
  const rows = b.rows as StoredRow[];
  for (let i = 0; i < rows.length; i += 500) {
    const chunk = rows.slice(i, i + 500).map(({ line: _line, ...r }) => ({ ...r, import_batch_id: b.id, created_by: actor.userId }));
    const inserted = await db
      .insertInto("care_targets")
      .values(chunk)
      .onConflict((oc) => oc.column("id_number_hash").doNothing())
      .returning("id")
      .execute();
    // Someone added one of these people after the preview: refuse the whole batch (the transaction rolls back).
    if (inserted.length !== chunk.length) throw new DomainError("conflict", "预览之后已有相同身份证号码的记录被录入，请重新上传文件核对");
  }
  await db.updateTable("care_import_batches").set({ status: "confirmed", rows: "[]", decided_at: clock.now() }).where("id", "=", b.id).execute();
  await audit(db, { ...ctx, role: role.role }, { action: "care.import", entityType: "care_import_batch", entityId: b.id, placeId: b.place_id, summary: { imported: rows.length } });
  return { imported: rows.length };
}

export async function discardImport(db: Executor, actor: CareActor, ctx: AuditContext, clock: Clock, batchId: string): Promise<void> {
  const b = await loadBatch(db, actor, batchId, true);
  if (b.status !== "preview") throw new DomainError("conflict", "该批次已处理");
  await db.updateTable("care_import_batches").set({ status: "discarded", rows: "[]", decided_at: clock.now() }).where("id", "=", b.id).execute();
  await audit(db, ctx, { action: "care.import_discard", entityType: "care_import_batch", entityId: b.id, placeId: b.place_id });
}

import { inflateRawSync } from "node:zlib";
import ExcelJS from "exceljs";
import type { CsvRow } from "./csv";

/**
 * The first worksheet of an XLSX file as rows of text, the shape parseCsv gives, so an Excel
 * export goes through the same checks as a CSV one. Cells become the text a person sees: dates
 * as YYYY-MM-DD, TRUE/FALSE as 是/否, a formula as its cached result, rich text joined.
 */

export interface SheetRow extends CsvRow {
  /** Columns (0-based) whose cell Excel stored as a number: a long number (an ID) may be rounded. */
  numeric: ReadonlySet<number>;
}

export type SheetResult = { ok: true; rows: SheetRow[] } | { ok: false; reason: "unreadable" | "too_large" | "no_sheet" };

/** XLSX (like any OOXML file) is a ZIP archive: "PK\x03\x04". */
export function isZip(b: Uint8Array): boolean {
  return b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04;
}

/** An OLE2 compound file: the old .xls format, and also any password-protected Office file. */
export function isOle2(b: Uint8Array): boolean {
  return b.length >= 8 && [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1].every((v, i) => b[i] === v);
}

/** Everything inflated together may not exceed this (a 5 MB upload of real data unpacks to far less). */
export const MAX_UNZIPPED_BYTES = 64 * 1024 * 1024;

export async function readFirstSheet(bytes: Uint8Array): Promise<SheetResult> {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const zip = checkZip(buffer);
  if (zip !== "ok") return { ok: false, reason: zip };
  const workbook = new ExcelJS.Workbook();
  try {
    // exceljs's types want its own Buffer flavour; a Node Buffer is what it reads.
    await workbook.xlsx.load(buffer as unknown as ExcelJS.Buffer);
  } catch {
    return { ok: false, reason: "unreadable" };
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) return { ok: false, reason: "no_sheet" };
  const rows: SheetRow[] = [];
  sheet.eachRow((row, line) => {
    const values = Array.isArray(row.values) ? row.values.slice(1) : [];
    const numeric = new Set<number>();
    const cells = Array.from(values, (v, i) => {
      const { text, isNumber } = cellText(v);
      if (isNumber) numeric.add(i);
      return text;
    });
    if (cells.some((c) => c.trim() !== "")) rows.push({ line, cells, numeric });
  });
  return { ok: true, rows };
}

function cellText(v: ExcelJS.CellValue): { text: string; isNumber: boolean } {
  if (v === null || v === undefined) return { text: "", isNumber: false };
  if (typeof v === "number") return { text: String(v), isNumber: true };
  if (typeof v === "string") return { text: v, isNumber: false };
  if (typeof v === "boolean") return { text: v ? "是" : "否", isNumber: false };
  // exceljs turns Excel's day numbers into Dates at UTC midnight.
  if (v instanceof Date) return { text: Number.isNaN(v.getTime()) ? "" : v.toISOString().slice(0, 10), isNumber: false };
  if ("richText" in v) return { text: v.richText.map((r) => r.text).join(""), isNumber: false };
  if ("hyperlink" in v) return cellText(v.text as ExcelJS.CellValue);
  if ("error" in v) return { text: v.error, isNumber: false };
  if ("result" in v || "formula" in v || "sharedFormula" in v) return cellText(v.result);
  return { text: "", isNumber: false };
}

/**
 * Walks the ZIP's central directory and inflates every entry with its declared size as the
 * ceiling, before exceljs (which inflates everything into memory) sees it: a zip bomb, or an entry
 * lying about its size, is refused here. ZIP64 archives are refused (an export of this list is
 * nowhere near 4 GB).
 */
function checkZip(b: Buffer): "ok" | "unreadable" | "too_large" {
  let eocd = -1;
  for (let i = b.length - 22; i >= Math.max(0, b.length - 22 - 0xffff); i--) {
    if (b.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return "unreadable";
  const entries = b.readUInt16LE(eocd + 10);
  let p = b.readUInt32LE(eocd + 16);
  let total = 0;
  try {
    for (let n = 0; n < entries; n++) {
      if (p + 46 > b.length || b.readUInt32LE(p) !== 0x02014b50) return "unreadable";
      const method = b.readUInt16LE(p + 10);
      const compressed = b.readUInt32LE(p + 20);
      const size = b.readUInt32LE(p + 24);
      const local = b.readUInt32LE(p + 42);
      if (size === 0xffffffff || compressed === 0xffffffff) return "too_large";
      total += size;
      if (total > MAX_UNZIPPED_BYTES) return "too_large";
      if (local + 30 > b.length || b.readUInt32LE(local) !== 0x04034b50) return "unreadable";
      const start = local + 30 + b.readUInt16LE(local + 26) + b.readUInt16LE(local + 28);
      if (start + compressed > b.length) return "unreadable";
      if (method === 8) {
        const out = inflateRawSync(b.subarray(start, start + compressed), { maxOutputLength: Math.max(size, 1) });
        if (out.length !== size) return "unreadable";
      } else if (method !== 0 || compressed !== size) return "unreadable";
      p += 46 + b.readUInt16LE(p + 28) + b.readUInt16LE(p + 30) + b.readUInt16LE(p + 32);
    }
  } catch (e) {
    return e instanceof RangeError ? "too_large" : "unreadable";
  }
  return "ok";
}

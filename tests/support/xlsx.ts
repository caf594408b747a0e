import { crc32, deflateRawSync } from "node:zlib";
import ExcelJS from "exceljs";

/** An .xlsx as Excel would save it: one sheet (plus an optional second one), cells as given (string, number, Date, boolean…). */
export async function xlsxFile(rows: ExcelJS.CellValue[][], opts: { sheetName?: string; secondSheet?: ExcelJS.CellValue[][] } = {}): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  workbook.addWorksheet(opts.sheetName ?? "名单").addRows(rows);
  if (opts.secondSheet) workbook.addWorksheet("说明").addRows(opts.secondSheet);
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}

/**
 * A ZIP archive of deflated entries written by hand, so a test can make one whose entries claim
 * a size other than what they inflate to (declaredSize), or that inflates to far too much.
 */
export function zipOf(entries: Array<{ name: string; data: Buffer; declaredSize?: number }>): Uint8Array {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, "utf8");
    const packed = deflateRawSync(e.data);
    const size = e.declaredSize ?? e.data.length;
    const crc = crc32(e.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(packed.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, packed);
    centrals.push(central, name);
    offset += 30 + name.length + packed.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return new Uint8Array(Buffer.concat([...locals, directory, end]));
}

import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import { toCsv } from "../../lib/csv";
import { makeIdCard } from "../../lib/idcard";
import { fixedClock } from "../../platform/clock";
import { getDb } from "../../platform/db.server";
import { DomainError } from "../../platform/errors";
import { createUser, placeTree, scoped } from "../../../tests/support/factories";
import { insertTarget } from "../../../tests/support/care-factories";
import { xlsxFile } from "../../../tests/support/xlsx";
import type { CareActor } from "./access.server";
import { confirmImport, discardImport, getImportBatch, ID_AS_NUMBER, previewImport } from "./import.server";

const clock = fixedClock("2026-06-01T10:00:00+08:00");
const HEADER = ["姓名", "身份证号码", "联系电话", "社区", "地址", "群体", "需求与情况", "监护人", "来源", "同意方式"];

let tree: Awaited<ReturnType<typeof placeTree>>;
let officer: CareActor;

beforeAll(async () => {
  const db = getDb();
  tree = await placeTree(db);
  const o = await createUser(db, { roles: [{ role: "officer", place: tree.city }] });
  officer = { userId: o.id, roles: [scoped("officer", tree.city)] };
});

const countTargets = async () => Number((await getDb().selectFrom("care_targets").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n);

/** A valid number per i, unique across the file (birth dates 1940–1999, sequence from i). */
function idFor(i: number): string {
  const year = 1940 + (i % 60);
  const month = String(1 + (i % 12)).padStart(2, "0");
  const day = String(1 + (i % 28)).padStart(2, "0");
  return makeIdCard("360103", `${year}${month}${day}`, String(i % 1000).padStart(3, "0"));
}

describe("batch import from the 数字民政 list", () => {
  it("a 1,000-row file with 37 bad rows reports exactly those 37 lines, writes nothing, then imports the rest in one go", async () => {
    const db = getDb();
    const existing = [];
    for (let k = 0; k < 8; k++) existing.push(await insertTarget(db, tree.communityA1));
    const rows: string[][] = [];
    const bad = new Map<number, string>(); // line → the reason we expect to see
    for (let i = 0; i < 1000; i++) {
      const line = i + 2;
      let id = idFor(i);
      let community = i % 2 ? "甲一社区" : "乙一社区";
      let groups = i % 3 ? "空巢老人" : "低保对象、残疾人";
      let guardian = "";
      const kind = i % 27 === 5 && bad.size < 37 ? Math.floor(i / 27) % 7 : -1;
      if (kind === 0) {
        id = id.slice(0, 17) + (id[17] === "0" ? "1" : "0");
        bad.set(line, "校验码错误");
      } else if (kind === 1) {
        id = makeIdCard("360103", "19990231", "123");
        bad.set(line, "出生日期无效");
      } else if (kind === 2) {
        community = "不存在社区";
        bad.set(line, "未知社区");
      } else if (kind === 3) {
        id = existing[bad.size % existing.length].idNumber;
        bad.set(line, "与已有记录重复");
      } else if (kind === 4) {
        id = idFor(i - 1);
        bad.set(line, "文件内重复");
      } else if (kind === 5) {
        id = id.slice(0, 17);
        bad.set(line, "应为18位");
      } else if (kind === 6) {
        id = makeIdCard("360103", "20150101", String(i % 1000).padStart(3, "0"));
        bad.set(line, "未成年人须填写监护人");
      }
      if (i === 999 && bad.size < 37) throw new Error(`generator made only ${bad.size} bad rows`);
      if (i % 250 === 1) id = id.toLowerCase(); // lowercase x is fine
      rows.push([`对象${i}`, id, i % 5 ? `137${String(i).padStart(8, "0")}` : "", community, `测试路 ${i} 号`, groups, "需要定期探访", guardian, i % 4 ? "数字民政" : "社区走访", "书面"]);
      guardian = "";
      groups = "";
    }
    expect(bad.size).toBe(37);
    const bytes = new TextEncoder().encode(toCsv([HEADER, ...rows]));

    const started = performance.now();
    const preview = await db.transaction().execute((trx) => previewImport(trx, officer, { userId: officer.userId }, clock, { fileName: "数字民政名单.csv", bytes, placeId: tree.city.id }));
    const previewMs = performance.now() - started;
    const badLines = [...new Set(preview.problems.map((p) => p.line))].sort((a, b) => a - b);
    expect(badLines).toEqual([...bad.keys()].sort((a, b) => a - b));
    for (const p of preview.problems) expect(p.reason).toContain(bad.get(p.line));
    expect(preview).toMatchObject({ totalRows: 1000, goodRows: 963 });
    expect(await countTargets()).toBe(existing.length);

    // The stored preview holds no plain ID number either.
    const stored = await sql<{ t: string }>`select rows::text as t from care_import_batches where id = ${preview.batchId}`.execute(db);
    expect(stored.rows[0].t).not.toContain(idFor(2));

    const view = await getImportBatch(db, officer, clock, preview.batchId);
    expect(view).toMatchObject({ status: "preview", badLines: 37, goodRows: 963 });

    const confirmStarted = performance.now();
    const done = await db.transaction().execute((trx) => confirmImport(trx, officer, { userId: officer.userId }, clock, preview.batchId));
    const confirmMs = performance.now() - confirmStarted;
    expect(done.imported).toBe(963);
    expect(await countTargets()).toBe(existing.length + 963);
    const cleared = await db.selectFrom("care_import_batches").select(["status", "rows"]).where("id", "=", preview.batchId).executeTakeFirstOrThrow();
    expect(cleared).toEqual({ status: "confirmed", rows: [] });
    await expect(db.transaction().execute((trx) => confirmImport(trx, officer, { userId: officer.userId }, clock, preview.batchId))).rejects.toThrow("该批次已经导入");
    console.warn(`import 1,000 rows: preview ${previewMs.toFixed(0)} ms, confirm ${confirmMs.toFixed(0)} ms`);
  });

  it("writes nothing when a duplicate appears between preview and confirmation (all or nothing)", async () => {
    const db = getDb();
    const ids = [makeIdCard("360104", "19700101", "011"), makeIdCard("360104", "19700102", "011")];
    const bytes = new TextEncoder().encode(toCsv([HEADER, ...ids.map((id, i) => [`张${i}`, id, "", "甲二社区", "", "特困人员", "", "", "", "口头"])]));
    const preview = await previewImport(db, officer, { userId: officer.userId }, clock, { fileName: "a.csv", bytes, placeId: tree.city.id });
    expect(preview.goodRows).toBe(2);
    await insertTarget(db, tree.communityA2, { idNumber: ids[1] });
    const before = await countTargets();
    const e = await db
      .transaction()
      .execute((trx) => confirmImport(trx, officer, { userId: officer.userId }, clock, preview.batchId))
      .catch((err: unknown) => err);
    expect(e).toBeInstanceOf(DomainError);
    expect(await countTargets()).toBe(before);
    expect((await getImportBatch(db, officer, clock, preview.batchId)).status).toBe("preview");
    await discardImport(db, officer, { userId: officer.userId }, clock, preview.batchId);
    expect((await getImportBatch(db, officer, clock, preview.batchId)).status).toBe("discarded");
  });

  it("refuses a file without the required columns, an import outside one's places, and someone else's batch", async () => {
    const db = getDb();
    const bytes = new TextEncoder().encode("姓名,电话\n张三,13700000000\n");
    await expect(previewImport(db, officer, { userId: officer.userId }, clock, { fileName: "x.csv", bytes, placeId: tree.city.id })).rejects.toThrow("缺少必需的列：身份证号码、社区、群体、同意方式");
    const districtOfficer = { userId: officer.userId, roles: [scoped("officer", tree.districtB)] };
    await expect(previewImport(db, districtOfficer, { userId: officer.userId }, clock, { fileName: "x.csv", bytes, placeId: tree.districtA.id })).rejects.toThrow("没有权限");
    const ok = new TextEncoder().encode(toCsv([HEADER, ["李四", makeIdCard("360104", "19800101", "013"), "", "乙一社区", "", "残疾人", "", "", "", "书面"]]));
    const p = await previewImport(db, officer, { userId: officer.userId }, clock, { fileName: "y.csv", bytes: ok, placeId: tree.city.id });
    const stranger = await createUser(db);
    await expect(getImportBatch(db, { userId: stranger.id, roles: [scoped("officer", tree.city)] }, clock, p.batchId)).rejects.toThrow("导入批次不存在");
    // Communities are only found within the importing officer's place.
    const inB = await previewImport(db, districtOfficer, { userId: officer.userId }, clock, { fileName: "z.csv", bytes: new TextEncoder().encode(toCsv([HEADER, ["王五", makeIdCard("360104", "19800102", "013"), "", "甲一社区", "", "残疾人", "", "", "", "书面"]])), placeId: tree.districtB.id });
    expect(inB.problems).toEqual([{ line: 2, field: "社区", reason: "未知社区：甲一社区" }]);
  });

  it("an XLSX export (first sheet, dates as Excel dates) gives the same preview as the same rows in CSV, whatever the file is called", async () => {
    const db = getDb();
    const header = [...HEADER, "同意日期", "同意拍照"];
    const good = makeIdCard("360104", "19520304", "021");
    const wrongCheck = (() => {
      const id = makeIdCard("360104", "19600101", "021");
      return id.slice(0, 17) + (id[17] === "1" ? "2" : "1");
    })();
    const child = makeIdCard("360104", "20180101", "021");
    const rows = [
      ["孙一", good, "13712345678", "甲一社区", "幸福路 1 号", "空巢老人、残疾人", "独居", "", "数字民政", "书面", "2026-03-05", "是"],
      ["孙二", wrongCheck, "", "甲一社区", "", "低保对象", "", "", "社区走访", "口头", "2026-03-06", ""],
      ["孙三", makeIdCard("360104", "19700101", "021"), "", "不存在社区", "", "特困人员", "", "", "", "书面", "", ""],
      ["孙四", child, "", "乙一社区", "", "困境儿童", "", "", "", "书面", "", ""],
      ["孙五", good, "", "乙一社区", "", "空巢老人", "", "", "", "电子", "", ""],
      ["孙六", makeIdCard("360104", "19700102", "021"), "", "乙一社区", "", "空巢老人", "", "", "", "电子", "2026-13-01", ""],
    ];
    const csv = await previewImport(db, officer, { userId: officer.userId }, clock, { fileName: "名单.csv", bytes: new TextEncoder().encode(toCsv([header, ...rows])), placeId: tree.city.id });
    // In the workbook the dates are real Excel dates and 同意拍照 a checkbox-like TRUE; a stray second sheet is ignored.
    const asExcel = rows.map((r) => r.map((v, c) => (header[c] === "同意日期" && /^\d{4}-\d{2}-\d{2}$/.test(v) && v !== "2026-13-01" ? new Date(`${v}T00:00:00Z`) : header[c] === "同意拍照" && v === "是" ? true : v)));
    const bytes = await xlsxFile([header, ...asExcel], { secondSheet: [["说明：请勿修改表头"]] });
    const xlsx = await previewImport(db, officer, { userId: officer.userId }, clock, { fileName: "数字民政名单.csv", bytes, placeId: tree.city.id });

    expect(xlsx.problems).toEqual(csv.problems);
    expect([xlsx.totalRows, xlsx.goodRows]).toEqual([csv.totalRows, csv.goodRows]);
    expect([xlsx.totalRows, xlsx.goodRows]).toEqual([6, 1]);
    expect(new Set(xlsx.problems.map((p) => p.line))).toEqual(new Set([3, 4, 5, 6, 7]));
    expect(xlsx.problems.find((p) => p.line === 3)?.reason).toContain("校验码错误");
    expect(xlsx.problems.find((p) => p.line === 6)?.reason).toContain("文件内重复");
    expect(xlsx.problems.find((p) => p.line === 7)?.field).toBe("同意日期");
    // The stored good row is the same (but for the random IV of its ciphertexts): consent date from the Excel date, photos consented.
    const stored = await db.selectFrom("care_import_batches").select("rows").where("id", "in", [csv.batchId, xlsx.batchId]).execute();
    const strip = (r: unknown) => (r as Array<Record<string, unknown>>).map(({ id_number_enc: _id, phone_enc: _phone, ...rest }) => rest);
    expect(strip(stored[0].rows)).toEqual(strip(stored[1].rows));
    expect(stored[1].rows).toMatchObject([{ name: "孙一", consent_on: "2026-03-05", consent_photos: true }]);
  });

  it("reports an ID number Excel stored as a number instead of guessing its lost digits", async () => {
    const db = getDb();
    const id = makeIdCard("360104", "19520305", "031");
    const other = makeIdCard("360104", "19520306", "031");
    const bytes = await xlsxFile([HEADER, ["周一", Number(id.replace(/x$/i, "0")), "", "甲一社区", "", "空巢老人", "", "", "", "书面"], ["周二", other, "", "甲一社区", "", "空巢老人", "", "", "", "书面"]]);
    const p = await previewImport(db, officer, { userId: officer.userId }, clock, { fileName: "名单.xlsx", bytes, placeId: tree.city.id });
    expect(p.problems).toEqual([{ line: 2, field: "身份证号码", reason: ID_AS_NUMBER }]);
    expect(ID_AS_NUMBER).toBe("身份证号码被 Excel 存成了数字，请将该列设为文本格式后重新导出");
    expect([p.totalRows, p.goodRows]).toEqual([2, 1]);
  });

  it("refuses an old .xls (or password-protected) workbook and a ZIP that is not one, with what to do", async () => {
    const db = getDb();
    const ole2 = Uint8Array.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, ...new Array(504).fill(0)]);
    await expect(previewImport(db, officer, { userId: officer.userId }, clock, { fileName: "名单.xls", bytes: ole2, placeId: tree.city.id })).rejects.toThrow("请另存为 .xlsx（不设密码）或 CSV");
    const truncated = (await xlsxFile([HEADER])).subarray(0, 200);
    await expect(previewImport(db, officer, { userId: officer.userId }, clock, { fileName: "名单.xlsx", bytes: truncated, placeId: tree.city.id })).rejects.toThrow("无法读取该 XLSX 文件");
  });

  it("reads a GB18030 file as Excel saves it", async () => {
    const db = getDb();
    // "姓名,身份证号码,社区,群体,同意方式" and one row, encoded in GB18030 by hand-picked bytes is impractical: use the decoder's inverse.
    const text = toCsv([["姓名", "身份证号码", "社区", "群体", "同意方式"], ["赵六", makeIdCard("360104", "19800103", "013"), "乙一社区", "空巢老人", "电子"]]).slice(1);
    const gbk = encodeGb18030(text);
    const p = await previewImport(db, officer, { userId: officer.userId }, clock, { fileName: "gbk.csv", bytes: gbk, placeId: tree.city.id });
    expect(p).toMatchObject({ totalRows: 1, goodRows: 1, problems: [] });
  });
});

/** GB18030 encoding of the few characters this test uses (Node has a decoder, not an encoder). */
function encodeGb18030(text: string): Uint8Array {
  const table = new Map<string, number[]>();
  const decoder = new TextDecoder("gb18030");
  for (let hi = 0x81; hi <= 0xfe; hi++)
    for (let lo = 0x40; lo <= 0xfe; lo++) {
      if (lo === 0x7f) continue;
      const ch = decoder.decode(new Uint8Array([hi, lo]));
      if (ch.length === 1 && !table.has(ch)) table.set(ch, [hi, lo]);
    }
  const out: number[] = [];
  for (const ch of text) {
    if (ch.charCodeAt(0) < 0x80) out.push(ch.charCodeAt(0));
    else {
      const bytes = table.get(ch);
      if (!bytes) throw new Error(`no GB18030 code for ${ch}`);
      out.push(...bytes);
    }
  }
  return new Uint8Array(out);
}

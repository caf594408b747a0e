import { makeIdCard } from "../../app/lib/idcard";
import type { PlaceSummary } from "../../app/domain/places/places.server";
import { prepareTarget } from "../../app/domain/care/care.server";
import type { TargetInput } from "../../app/domain/care/schema";
import type { DB } from "../../app/platform/db.server";

let seq = 0;

/** A valid ID number no other call in this process returns (region 360102, born 1950–1999). */
export function uniqueIdCard(birth?: string): string {
  seq++;
  const b = birth ?? `19${50 + (seq % 50)}0${1 + (seq % 9)}1${seq % 10}`;
  return makeIdCard("360102", b, String(100 + ((seq * 7 + Math.floor(Math.random() * 100)) % 900)).padStart(3, "0"));
}

export function targetInput(place: PlaceSummary, overrides: Partial<TargetInput> = {}): TargetInput {
  return {
    name: "测试对象",
    idNumber: uniqueIdCard(),
    phone: "13700001234",
    placeId: place.id,
    address: "测试路 1 号",
    groups: ["空巢老人"],
    needs: "独居，需要定期探访",
    source: "referral",
    consentBy: "本人",
    consentOn: "2026-01-05",
    consentMethod: "written",
    consentPhotos: false,
    referredOn: "2026-01-05",
    ...overrides,
  };
}

/** Inserts a target directly (no permission check), for tests that need many. */
export async function insertTarget(db: DB, place: PlaceSummary, overrides: Partial<TargetInput> = {}): Promise<{ id: string; idNumber: string }> {
  const input = targetInput(place, overrides);
  const prepared = prepareTarget(input, place.id, "2026-06-01");
  if (!prepared.ok) throw new Error(JSON.stringify(prepared.problems));
  const row = await db.insertInto("care_targets").values(prepared.row).returning("id").executeTakeFirstOrThrow();
  return { id: row.id, idNumber: input.idNumber };
}

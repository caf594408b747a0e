import { randomInt } from "node:crypto";
import type { OrganisationInput } from "../../app/domain/organisations/schema";
import { makeUscc } from "../../app/lib/uscc";
import { mobile } from "./factories";

/** A valid 统一社会信用代码 no other test uses (random organisation code body). */
export function uscc(): string {
  const body = Array.from({ length: 8 }, () => "0123456789ABCDEFGHJKLMNPQRTUWXY"[randomInt(0, 31)]).join("");
  return makeUscc(`51360104${body}`);
}

/** A complete, valid registration for a district. */
export function organisationInput(placeId: number, over: Partial<OrganisationInput> = {}): OrganisationInput {
  return {
    name: `测试社区服务中心${randomInt(0, 1_000_000)}`,
    uscc: uscc(),
    type: "生活服务类",
    registeringBureau: "测试区民政局",
    placeId,
    address: "测试路 1 号",
    contactPerson: "王老师",
    contactPhone: mobile(),
    serviceAreas: ["养老", "扶弱"],
    introduction: "我们为社区老年人和困难家庭提供上门探访、助餐和陪伴服务。",
    ...over,
  };
}

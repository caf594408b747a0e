import { z } from "zod";

/** Mainland mobile numbers: 11 digits starting 13–19. */
export const MOBILE_RE = /^1[3-9]\d{9}$/;

export function normalisePhone(input: string): string {
  return input.replace(/[\s-]/g, "").replace(/^\+?86/, "");
}

export const zMobile = z
  .string({ error: "请输入手机号码" })
  .transform(normalisePhone)
  .pipe(z.string().regex(MOBILE_RE, "请输入正确的11位手机号码（以13–19开头）"));

/** 13812345678 → 138****5678 */
export function maskPhone(phone: string): string {
  return phone.length === 11 ? `${phone.slice(0, 3)}****${phone.slice(7)}` : "***";
}

export type DomainErrorCode = "invalid" | "unauthenticated" | "forbidden" | "not_found" | "conflict" | "rate_limited";

/** A refusal by a rule of the programme, with a message a person can read (Chinese). */
export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly fieldErrors?: Record<string, string>,
  ) {
    super(message);
    this.name = "DomainError";
  }
}

export const httpStatusOf: Record<DomainErrorCode, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  rate_limited: 429,
};

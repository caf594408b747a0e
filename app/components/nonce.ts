import { createContext, useContext } from "react";

/** The per-response CSP nonce, so Remix's and Mantine's own inline scripts may run and no others. */
export const NonceContext = createContext<string>("");

export function useNonce(): string {
  return useContext(NonceContext);
}

import { NatsterError, type ErrorCode } from "@natster/protocol";
import { expect } from "vitest";

/** `p` must reject with a NatsterError carrying `code`. */
export async function expectCode(p: Promise<unknown>, code: ErrorCode): Promise<void> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err, `expected ${code}`).toBeInstanceOf(NatsterError);
  expect((err as NatsterError).code).toBe(code);
}

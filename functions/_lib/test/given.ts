import { expect } from "vitest";
import { Rejection } from "../src/rejection.ts";
import type { ErrorCode } from "@natster/protocol";

/** Runs `when` and returns the Rejection it throws; fails the test if it returns or throws anything else. */
export function rejectionOf(when: () => unknown): Rejection {
  try {
    when();
  } catch (e) {
    if (e instanceof Rejection) return e;
    throw e;
  }
  throw new Error("expected a Rejection, but it succeeded");
}

/** `then` for a refusal: the stable code, and optionally part of the message. */
export function thenRejects(when: () => unknown, code: ErrorCode, message?: RegExp): void {
  const rejection = rejectionOf(when);
  expect(rejection.code).toBe(code);
  if (message) expect(rejection.message).toMatch(message);
}

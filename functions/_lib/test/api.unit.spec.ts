import { MAX_GLOBAL_PAYLOAD } from "@natster/protocol";
import { describe, expect, it } from "vitest";
import { defineApi } from "../src/api.ts";
import { reject } from "../src/rejection.ts";
import { newAccount } from "./keys.ts";

const caller = newAccount();
const handler = defineApi({
  echo: ({ caller: who, payload }) => ({ who, size: payload.length }),
  refuse: () => reject("DUPLICATE", "already there"),
  crash: () => {
    // eslint-disable-next-line @typescript-eslint/only-throw-error -- the Nex host throws bare strings
    throw "Error: failed to get value for key (500)";
  },
  toString: () => "inherited names are not verbs unless defined",
});
const call = (subject: string, size = 0) =>
  JSON.parse(JSON.stringify(handler(subject, new Uint8Array(size)))) as unknown;

describe("defineApi", () => {
  it("given a verb, when called, then the caller is the subject's account token (natster.global.<caller>) and the reply an ok envelope", () => {
    expect(call(`natster.global.${caller}.echo`, 3)).toEqual({ code: 200, data: { who: caller, size: 3 } });
  });

  it("given a Rejection, when called, then its status and stable code", () => {
    expect(call(`natster.global.${caller}.refuse`)).toEqual({
      code: 409,
      data: null,
      error: "already there",
      error_code: "DUPLICATE",
    });
  });

  it("given a host failure, when called, then a 500 INTERNAL envelope, not a throw", () => {
    expect(call(`natster.global.${caller}.crash`)).toEqual({
      code: 500,
      data: null,
      error: "internal error: failed to get value for key",
      error_code: "INTERNAL",
    });
  });

  it.each(["nope", "constructor", "__proto__", "hasOwnProperty", ""])(
    "given the unknown verb %j, when called, then 404 UNKNOWN_VERB",
    (verb) => {
      expect(call(`natster.global.${caller}.${verb}`)).toMatchObject({ code: 404, error_code: "UNKNOWN_VERB" });
    },
  );

  it("given a verb defined on the routes even if Object.prototype has it, when called, then it is served", () => {
    expect(call(`natster.global.${caller}.toString`)).toMatchObject({ code: 200 });
  });

  it("given upstream's shape <caller>.natster.global.<op>, when called, then the caller is token 1", () => {
    expect(call(`${caller}.natster.global.echo`)).toEqual({ code: 200, data: { who: caller, size: 0 } });
  });

  it.each([
    "natster.global.echo",
    "natster.global.AXYZ.echo",
    "AXYZ.natster.global.echo",
    "natster.natster.global.echo",
    "",
  ])("given the subject %j without an account in the caller token, when called, then 403 FORBIDDEN", (subject) => {
    expect(call(subject)).toMatchObject({ code: 403, error_code: "FORBIDDEN" });
  });

  it("given a payload over the limit, when called, then 413 PAYLOAD_TOO_LARGE (and exactly at the limit it is served)", () => {
    expect(call(`natster.global.${caller}.echo`, MAX_GLOBAL_PAYLOAD + 1)).toMatchObject({
      code: 413,
      error_code: "PAYLOAD_TOO_LARGE",
    });
    expect(call(`natster.global.${caller}.echo`, MAX_GLOBAL_PAYLOAD)).toMatchObject({ code: 200 });
  });
});

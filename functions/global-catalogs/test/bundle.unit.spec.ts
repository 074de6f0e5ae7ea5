import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { Stack, loadBundles, newAccount, type FunctionName } from "../../_lib/test/stack.ts";

let bundles: Map<FunctionName, string>;
let stack: Stack;
const me = newAccount();
const owner = newAccount();

beforeAll(
  async () =>
    void (bundles = await loadBundles(["global-catalogs", "global-events", "project-account", "project-catalog"])),
);
beforeEach(() => {
  stack = new Stack(bundles);
  stack.api(owner, "events.put", { event_type: "natster_initialized" });
  stack.api(owner, "events.put", { event_type: "catalog_shared", catalog: "movies", target: newAccount() });
  stack.project();
});

const validate = (body: string | Uint8Array, caller = me) =>
  stack.api(caller, "catalogs.validatename", typeof body === "string" ? new TextEncoder().encode(body) : body);

describe("global-catalogs bundle (catalogs.validatename)", () => {
  it("given a free name as raw bytes, when validated, then valid", () => {
    expect(validate("books")).toEqual({ code: 200, data: { valid: true, message: "" } });
  });

  it("given a name another account shares, in any case or as a JSON string, when validated, then upstream's refusal", () => {
    const refusal = {
      code: 200,
      data: { valid: false, message: "Another account has already shared a catalog with this name" },
    };
    expect(validate("Movies")).toEqual(refusal);
    expect(validate('"movies"')).toEqual(refusal);
  });

  it("given the owner, when it validates its own name, then valid", () => {
    expect(validate("movies", owner)).toEqual({ code: 200, data: { valid: true, message: "" } });
  });

  it.each([
    ["an invalid name", 400, "BAD_CATALOG_NAME", "my_movies"],
    ["a wildcard", 400, "BAD_CATALOG_NAME", "*"],
    ["an empty body", 400, "BAD_CATALOG_NAME", ""],
    ["a broken JSON string", 400, "BAD_JSON", '"movies'],
    ["an oversize body", 413, "PAYLOAD_TOO_LARGE", "a".repeat(17_000)],
  ] as const)("given %s, when validated, then %i %s", (_why, code, errorCode, body) => {
    expect(validate(body)).toMatchObject({ code, data: null, error_code: errorCode });
  });

  it("given an unknown verb, when called, then 404", () => {
    expect(stack.api(me, "catalogs.list", "")).toMatchObject({ code: 404, error_code: "UNKNOWN_VERB" });
  });
});

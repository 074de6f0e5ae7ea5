import { describe, expect, it } from "vitest";
import { parsePutEvent } from "../src/core.ts";
import { thenRejects } from "../../_lib/test/given.ts";
import { newAccount } from "../../_lib/test/keys.ts";

const me = newAccount();
const other = newAccount();
const badChecksum = other.slice(0, -1) + (other.endsWith("A") ? "B" : "A");

describe("events.put validation", () => {
  it("given a share, when validated, then the catalog is normalized and the caller is the subject's", () => {
    expect(parsePutEvent(me, { catalog: "MyMovies", target: other, event_type: "catalog_shared", data: null })).toEqual(
      {
        caller: me,
        event_type: "catalog_shared",
        catalog: "mymovies",
        target: other,
        data: null,
      },
    );
  });

  it("given natster_initialized with none tokens or none at all, when validated, then catalog and target are none and data is kept", () => {
    const data = { account_key: me, account_name: "Émile" };
    expect(
      parsePutEvent(me, { catalog: "none", target: "none", event_type: "natster_initialized", data }),
    ).toMatchObject({ catalog: "none", target: "none", data });
    expect(parsePutEvent(me, { event_type: "natster_initialized" })).toMatchObject({
      catalog: "none",
      target: "none",
      data: null,
    });
  });

  it("given context_bound from a caller, when validated, then 403 FORBIDDEN (upstream bug 24)", () => {
    thenRejects(
      () =>
        parsePutEvent(me, { catalog: "none", target: "none", event_type: "context_bound", data: { oauth_id: "x" } }),
      "FORBIDDEN",
    );
  });

  it.each([
    ["a non-object", [], "BAD_REQUEST", /must be a JSON object/],
    ["null", null, "BAD_REQUEST", /must be a JSON object/],
    ["no event_type", { catalog: "a", target: other }, "BAD_REQUEST", /event_type is required/],
    ["a numeric event_type", { event_type: 3 }, "BAD_REQUEST", /event_type must be a string/],
    ["an unknown event_type", { event_type: "catalog_exploded" }, "BAD_REQUEST", /unknown event type catalog_exploded/],
    ["no catalog", { event_type: "catalog_shared", target: other }, "BAD_REQUEST", /catalog is required/],
    [
      "a numeric catalog",
      { event_type: "catalog_shared", catalog: 1, target: other },
      "BAD_REQUEST",
      /catalog must be a string/,
    ],
    ["no target", { event_type: "catalog_unshared", catalog: "a" }, "BAD_REQUEST", /target is required/],
    [
      "a bad catalog name",
      { event_type: "catalog_shared", catalog: "my_movies", target: other },
      "BAD_CATALOG_NAME",
      /letters and digits/,
    ],
    [
      "the none catalog",
      { event_type: "catalog_imported", catalog: "none", target: other },
      "BAD_CATALOG_NAME",
      /reserved/,
    ],
    [
      "a target with a bad checksum",
      { event_type: "catalog_shared", catalog: "a", target: badChecksum },
      "BAD_ACCOUNT_KEY",
      /not an account public key/,
    ],
    [
      "a user key as target",
      { event_type: "catalog_shared", catalog: "a", target: "U" + other.slice(1) },
      "BAD_ACCOUNT_KEY",
      /not an account/,
    ],
    [
      "none as target of a share",
      { event_type: "catalog_shared", catalog: "a", target: "none" },
      "BAD_ACCOUNT_KEY",
      /not an account/,
    ],
    [
      "init with a catalog",
      { event_type: "natster_initialized", catalog: "movies" },
      "BAD_REQUEST",
      /takes catalog 'none'/,
    ],
  ] as const)("given %s, when validated, then %s", (_why, body, code, message) => {
    thenRejects(() => parsePutEvent(me, body), code, message);
  });
});

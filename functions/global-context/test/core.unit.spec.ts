import { describe, expect, it } from "vitest";
import { contextReply } from "../src/core.ts";
import { thenRejects } from "../../_lib/test/given.ts";

const account = { out_shares: [], in_shares: [], initialized_at: 1710000000, applied_seq: 3 };

describe("context.get", () => {
  it("given an initialized, unbound account, when asked, then its key and init time only", () => {
    expect(contextReply("ME", 1710000000, account)).toEqual({ account_key: "ME", initialized_at: 1710000000 });
  });

  it("given a bound account, when asked, then the binding too", () => {
    expect(contextReply("ME", 1710000000, { ...account, bound_context: { bound_at: 1710000500 } })).toEqual({
      account_key: "ME",
      initialized_at: 1710000000,
      bound_context: { bound_at: 1710000500 },
    });
  });

  it("given a never-initialized account, when asked, then 404 NOT_FOUND", () => {
    thenRejects(() => contextReply("ME", 0, undefined), "NOT_FOUND", /not initialized/);
  });
});

import { describe, expect, it } from "vitest";
import { statsReply, whoamiReply } from "../src/core.ts";
import { thenRejects } from "../../_lib/test/given.ts";

const account = { out_shares: [], in_shares: [], initialized_at: 1710000000, applied_seq: 3 };

describe("stats", () => {
  it("given projected stats and online keys, when asked, then the counts come from them", () => {
    expect(statsReply({ total_initialized: 4, share_count: 9, applied_seq: 12 }, 2)).toEqual({
      total_initialized: 4,
      running_catalogs: 2,
      share_count: 9,
    });
  });

  it("given an empty stack, when asked, then zeros", () => {
    expect(statsReply(undefined, 0)).toEqual({ total_initialized: 0, running_catalogs: 0, share_count: 0 });
  });
});

describe("whoami", () => {
  it("given an initialized account, when asked, then key, init time and binding", () => {
    expect(whoamiReply("ME", 1710000000, account)).toEqual({
      account_key: "ME",
      initialized: 1710000000,
      bound: false,
    });
    expect(whoamiReply("ME", 1710000000, { ...account, bound_context: { bound_at: 1710000100 } })).toMatchObject({
      bound: true,
    });
  });

  it("given a never-initialized account, when asked, then 404 NOT_FOUND (upstream)", () => {
    thenRejects(() => whoamiReply("ME", 0, undefined), "NOT_FOUND", /not initialized/);
    thenRejects(() => whoamiReply("ME", 0, { ...account, initialized_at: 0 }), "NOT_FOUND");
  });
});

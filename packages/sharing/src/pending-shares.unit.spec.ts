import type { CatalogShareSummary } from "@natster/protocol";
import { describe, expect, it } from "vitest";
import { isSharedWith, pendingShares } from "./pending-shares.ts";

const ME = "A-ME";
const share = (from: string, to: string, catalog: string): CatalogShareSummary => ({
  from_account: from,
  to_account: to,
  catalog,
  catalog_online: false,
  revision: 0,
});

describe("pending shares", () => {
  it("given in-shares, out-shares and imports, then only in-shares not imported yet are pending", () => {
    const shares = [share("A-FRIEND", ME, "pics"), share("A-OTHER", ME, "Music"), share(ME, "A-FRIEND", "movies")];
    expect(pendingShares(shares, [{ catalog: "music", from: "A-OTHER" }], ME)).toEqual([shares[0]]);
  });

  it("given no imports, then every in-share is pending", () => {
    expect(pendingShares([share("A-FRIEND", ME, "pics")], [], ME)).toHaveLength(1);
  });

  it("given two senders share catalogs of the same name and one is imported, then the other is still pending", () => {
    const fromFriend = share("A-FRIEND", ME, "pics");
    const fromOther = share("A-OTHER", ME, "pics");
    expect(pendingShares([fromFriend, fromOther], [{ catalog: "pics", from: "A-FRIEND" }], ME)).toEqual([fromOther]);
  });

  it("given an import whose name differs only in case, then that share is imported", () => {
    expect(
      pendingShares([share("A-FRIEND", ME, "strangerstuff")], [{ catalog: "StrangerStuff", from: "A-FRIEND" }], ME),
    ).toEqual([]);
  });

  it("given a share from myself to myself, then it is not pending", () => {
    expect(pendingShares([share(ME, ME, "pics")], [], ME)).toEqual([]);
  });
});

describe("is an import shared with me", () => {
  it("given a share of the catalog from its sender to me (names in any case), then the import is shared", () => {
    expect(isSharedWith([share("A-FRIEND", ME, "Pics")], { catalog: "pics", from: "A-FRIEND" }, ME)).toBe(true);
  });

  it("given only a share of that name from another sender, or from the sender to someone else, then it is not", () => {
    const shares = [share("A-OTHER", ME, "pics"), share("A-FRIEND", "A-THIRD", "pics")];
    expect(isSharedWith(shares, { catalog: "pics", from: "A-FRIEND" }, ME)).toBe(false);
  });
});

import type { CatalogShareSummary } from "@natster/protocol";
import { describe, expect, it } from "vitest";
import { createShareAuthorizer } from "./authorizer.ts";

const OWNER = "A-OWNER";
const share = (to: string, catalog = "movies", from = OWNER): CatalogShareSummary => ({
  from_account: from,
  to_account: to,
  catalog,
  catalog_online: true,
  revision: 0,
});

/** `readableAfterPauses`: the list the global service answers with once the re-check paused three times. */
function given(
  shares: CatalogShareSummary[] | Error,
  recheck: { recheckPatienceMs?: number; readableAfterPauses?: CatalogShareSummary[] } = {},
) {
  const clock = { now: 1000 };
  const calls = { count: 0 };
  const pauses: number[] = [];
  let current = shares;
  const authorizer = createShareAuthorizer({
    owner: OWNER,
    catalog: "movies",
    cacheMs: 3000,
    now: () => clock.now,
    fetchShares: () => {
      calls.count++;
      return current instanceof Error ? Promise.reject(current) : Promise.resolve(current);
    },
    ...(recheck.recheckPatienceMs === undefined ? {} : { recheckPatienceMs: recheck.recheckPatienceMs }),
    pause: (ms) => {
      pauses.push(ms);
      clock.now += ms;
      if (pauses.length === 3 && recheck.readableAfterPauses) current = recheck.readableAfterPauses;
      return Promise.resolve();
    },
  });
  return { authorizer, clock, calls, pauses, setShares: (s: CatalogShareSummary[] | Error) => (current = s) };
}

describe("share authorization", () => {
  it("given an out-share of this catalog to the requester, then it is allowed (names compare case-insensitively)", async () => {
    const { authorizer } = given([share("A-FRIEND", "Movies")]);
    expect(await authorizer.isAllowed("A-FRIEND")).toBe(true);
  });

  it("given shares of another catalog, to another account, or from someone else, then it is denied", async () => {
    const { authorizer } = given([
      share("A-FRIEND", "music"),
      share("A-OTHER"),
      share("A-FRIEND", "movies", "A-SOMEONE"),
    ]);
    expect(await authorizer.isAllowed("A-FRIEND")).toBe(false);
  });

  it("given a cached list, when the share is revoked, then it is refused only once the cache window passed", async () => {
    const { authorizer, clock, calls, setShares } = given([share("A-FRIEND")]);
    expect(await authorizer.isAllowed("A-FRIEND")).toBe(true);
    setShares([]);
    clock.now += 2999;
    expect(await authorizer.isAllowed("A-FRIEND")).toBe(true);
    clock.now += 1;
    expect(await authorizer.isAllowed("A-FRIEND")).toBe(false);
    expect(calls.count).toBe(2);
  });

  it("given the global service fails, then it denies and asks again next time", async () => {
    const { authorizer, calls, setShares } = given(new Error("timeout"));
    expect(await authorizer.isAllowed("A-FRIEND")).toBe(false);
    setShares([share("A-FRIEND")]);
    expect(await authorizer.isAllowed("A-FRIEND")).toBe(true);
    expect(calls.count).toBe(2);
  });

  it("given a transfer in flight, when the share list cannot be read for a moment (a fail-over), then the re-check waits for it instead of refusing", async () => {
    const { authorizer, calls, setShares, pauses } = given(new Error("no responders"), {
      recheckPatienceMs: 5000,
      readableAfterPauses: [share("A-FRIEND")],
    });
    expect(await authorizer.recheck("A-FRIEND")).toBe(true);
    expect(pauses.length).toBe(3);
    expect(calls.count).toBe(4);
    setShares([]);
    authorizer.invalidate();
    expect(await authorizer.recheck("A-FRIEND")).toBe(false);
  });

  it("given a transfer in flight, when the share list stays unreadable past the patience, then the re-check fails with TIMEOUT (not a revocation)", async () => {
    const { authorizer } = given(new Error("no responders"), { recheckPatienceMs: 2000 });
    await expect(authorizer.recheck("A-FRIEND")).rejects.toMatchObject({ code: "TIMEOUT" });
  });

  it("given concurrent requests with a cold cache, then one share lookup serves them all", async () => {
    const { authorizer, calls } = given([share("A-FRIEND")]);
    const answers = await Promise.all(["A-FRIEND", "A-FRIEND", "A-OTHER"].map((a) => authorizer.isAllowed(a)));
    expect(answers).toEqual([true, true, false]);
    expect(calls.count).toBe(1);
  });

  it("given a cached list, when invalidated after an unshare, then the very next check is refused", async () => {
    const { authorizer, calls, setShares } = given([share("A-FRIEND")]);
    expect(await authorizer.isAllowed("A-FRIEND")).toBe(true);
    setShares([]);
    authorizer.invalidate();
    expect(await authorizer.isAllowed("A-FRIEND")).toBe(false);
    expect(calls.count).toBe(2);
  });

  it("given a lookup in flight when invalidated, then its (older) answer is not used after the invalidation", async () => {
    let release: (s: CatalogShareSummary[]) => void = () => undefined;
    const lists = [
      new Promise<CatalogShareSummary[]>((resolve) => (release = resolve)),
      Promise.resolve([] as CatalogShareSummary[]),
    ];
    const authorizer = createShareAuthorizer({
      owner: OWNER,
      catalog: "movies",
      fetchShares: () => lists.shift() ?? Promise.resolve([]),
    });
    const before = authorizer.isAllowed("A-FRIEND");
    authorizer.invalidate();
    const after = authorizer.isAllowed("A-FRIEND");
    release([share("A-FRIEND")]);
    expect(await before).toBe(true);
    expect(await after).toBe(false);
  });
});

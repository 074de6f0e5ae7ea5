import type { CatalogProjection, EventType } from "@natster/protocol";
import { describe, expect, it } from "vitest";
import type { ProjectedEvent } from "../../_lib/src/triggered-event.ts";
import { prng } from "@natster/test-kit";
import { concernsCatalogs, planCatalogBatch, planCatalogWrite } from "../src/core.ts";

const ev = (seq: number, type: EventType, from = "A", to = "B", catalog = "movies"): ProjectedEvent => ({
  seq,
  from,
  to,
  catalog,
  type,
  time: 1_710_000_000,
});

function replay(events: ProjectedEvent[]): Record<string, CatalogProjection> {
  const catalogs: Record<string, CatalogProjection> = {};
  for (const e of events) {
    const next = planCatalogWrite(e, catalogs[e.catalog]);
    if (next) catalogs[e.catalog] = next;
  }
  return catalogs;
}

describe("catalog projection", () => {
  it("given nothing, when a catalog is shared, then its first sharer owns it", () => {
    expect(planCatalogWrite(ev(3, "catalog_shared"), undefined)).toEqual({
      catalog_name: "movies",
      owner: "A",
      shared_with: ["B"],
      applied_seq: 3,
    });
  });

  it("given an owner, when it shares with more accounts and repeats one, then each appears once", () => {
    expect(
      replay([ev(1, "catalog_shared"), ev(2, "catalog_shared", "A", "C"), ev(3, "catalog_shared")]).movies,
    ).toEqual({
      catalog_name: "movies",
      owner: "A",
      shared_with: ["B", "C"],
      applied_seq: 2,
    });
  });

  it("given shares, when one is unshared, then it is really removed (upstream bug 12) and the owner keeps the name", () => {
    expect(replay([ev(1, "catalog_shared"), ev(2, "catalog_unshared")]).movies).toEqual({
      catalog_name: "movies",
      owner: "A",
      shared_with: [],
      applied_seq: 2,
    });
  });

  it("given an owner, when another account's share of the same name reaches the log, then it changes nothing", () => {
    expect(
      replay([ev(1, "catalog_shared"), ev(2, "catalog_shared", "X", "Y"), ev(3, "catalog_unshared", "X", "B")]).movies
        ?.shared_with,
    ).toEqual(["B"]);
  });

  it("given an applied event, when redelivered, then nothing is written", () => {
    const current = planCatalogWrite(ev(4, "catalog_shared"), undefined);
    expect(planCatalogWrite(ev(4, "catalog_shared"), current)).toBeUndefined();
    expect(planCatalogWrite(ev(3, "catalog_unshared"), current)).toBeUndefined();
  });

  it.each(["natster_initialized", "catalog_imported", "context_bound"] as const)(
    "given %s, when projected, then it is ignored",
    (type) => {
      expect(concernsCatalogs(ev(1, type))).toBe(false);
      expect(planCatalogWrite(ev(1, type), undefined)).toBeUndefined();
    },
  );

  it("given a self-share, when projected, then it is ignored", () => {
    expect(planCatalogWrite(ev(1, "catalog_shared", "A", "A"), undefined)).toBeUndefined();
  });

  it("given random shares and unshares (owners, non-owners, redeliveries), when applied in batches, then every catalog equals applying them one by one", () => {
    const rand = prng(13);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)] as T;
    const accounts = ["A", "B", "C", "D", "E"];
    const events: ProjectedEvent[] = [];
    for (let seq = 1; seq <= 600; seq++) {
      const type = pick(["catalog_shared", "catalog_shared", "catalog_unshared", "catalog_imported"] as const);
      events.push(ev(seq, type, pick(accounts), pick(accounts), pick(["c1", "c2", "c3"])));
    }
    const expected = replay(events);
    const stored: Record<string, CatalogProjection> = {};
    for (let i = 0; i < events.length; ) {
      const size = 1 + Math.floor(rand() * 90);
      // Every batch starts a little before the previous one ended: a redelivery must change nothing.
      const from = Math.max(0, i - Math.floor(rand() * 5));
      for (const value of planCatalogBatch(events.slice(from, i + size), (name) => stored[name]))
        stored[value.catalog_name] = value;
      i += size;
    }
    // Byte for byte, as a rebuild must be: key order and list order included.
    for (const name of Object.keys(expected)) expect(JSON.stringify(stored[name])).toBe(JSON.stringify(expected[name]));
    expect(stored).toEqual(expected);
    expect(Object.keys(expected).length).toBe(3);
  });
});

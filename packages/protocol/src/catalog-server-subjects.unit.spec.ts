import { describe, expect, it } from "vitest";
import {
  catalogRequesterOf,
  catalogServerSubjects,
  localServiceSubject,
  localServiceVerb,
} from "./catalog-server-subjects.ts";

describe("catalog server subjects", () => {
  it("given subjects, then the requester is local for natster.* and token 1 otherwise", () => {
    expect(catalogRequesterOf("natster.catalog.movies.get")).toEqual({ kind: "local" });
    expect(catalogRequesterOf("AFRIEND.natster.catalog.movies.get")).toEqual({ kind: "remote", account: "AFRIEND" });
  });

  it("given a catalog, then importers reach it through token 1 and the owner without it", () => {
    const s = catalogServerSubjects("movies");
    expect(s.remoteGet).toBe("*.natster.catalog.movies.get");
    expect(s.localDownload).toBe("natster.catalog.movies.download");
    expect(s.sharesChanged).toBe("natster.catalog.movies.shares-changed");
  });

  it("given a local service subject, then its verb comes back; any other subject has none", () => {
    expect(localServiceVerb(localServiceSubject("inbox"))).toBe("inbox");
    expect(localServiceVerb("natster.catalog.movies.get")).toBe("");
  });
});

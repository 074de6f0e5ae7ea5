import { describe, expect, it } from "vitest";
import { SERVED_WINDOW_MS, ServedCatalogs } from "./served-catalogs.ts";

const ME = "AME";

describe("the local agent's served catalogs", () => {
  it("given heartbeats of my servers and of another account, then only mine are listed, by name, with their last revision", () => {
    const served = new ServedCatalogs(ME);
    served.heartbeat({ catalog: "films", account_key: ME, revision: 1 }, 0);
    served.heartbeat({ catalog: "Films", account_key: ME, revision: 2 }, 10);
    served.heartbeat({ catalog: "books", account_key: ME, revision: 5 }, 10);
    served.heartbeat({ catalog: "theirs", account_key: "AOTHER", revision: 1 }, 10);
    expect(served.list(20)).toEqual([
      { catalog: "books", revision: 5 },
      { catalog: "Films", revision: 2 },
    ]);
  });

  it("given an offline notice or silence past the window, then the catalog is no longer listed", () => {
    const served = new ServedCatalogs(ME);
    served.heartbeat({ catalog: "films", account_key: ME, revision: 1 }, 0);
    served.heartbeat({ catalog: "books", account_key: ME, revision: 1 }, 0);
    served.offline({ catalog: "films", account_key: ME });
    expect(served.list(SERVED_WINDOW_MS)).toEqual([{ catalog: "books", revision: 1 }]);
    expect(served.list(SERVED_WINDOW_MS + 1)).toEqual([]);
  });

  it("given malformed beats, then nothing is listed", () => {
    const served = new ServedCatalogs(ME);
    served.heartbeat({ account_key: ME }, 0);
    served.heartbeat({ catalog: "", account_key: ME }, 0);
    expect(served.list(0)).toEqual([]);
  });
});

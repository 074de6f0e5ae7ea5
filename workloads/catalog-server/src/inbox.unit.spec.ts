import type { CatalogShareSummary } from "@natster/protocol";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readContextImports, unimportedShares } from "./inbox.ts";

const ME = "A-ME";
const share = (from: string, to: string, catalog: string): CatalogShareSummary => ({ from_account: from, to_account: to, catalog, catalog_online: false, revision: 0 });

describe("inbox", () => {
  it("given in-shares, out-shares and imports, then only in-shares whose catalog is not imported are listed", () => {
    const shares = [share("A-FRIEND", ME, "pics"), share("A-OTHER", ME, "Music"), share(ME, "A-FRIEND", "movies")];
    expect(unimportedShares(shares, [{ catalog: "music", from: "A-OTHER" }], ME)).toEqual([shares[0]]);
  });

  it("given no imports, then every in-share is listed", () => {
    expect(unimportedShares([share("A-FRIEND", ME, "pics")], [], ME)).toHaveLength(1);
  });

  it("given a missing, broken or import-less context file, then there are no imports", async () => {
    const home = mkdtempSync(join(tmpdir(), "natster-inbox-"));
    try {
      expect(await readContextImports(home, "default")).toEqual([]);
      writeFileSync(join(home, "broken.context"), "{");
      expect(await readContextImports(home, "broken")).toEqual([]);
      writeFileSync(join(home, "old.context"), JSON.stringify({ account_public_key: ME }));
      expect(await readContextImports(home, "old")).toEqual([]);
      writeFileSync(join(home, "new.context"), JSON.stringify({ imports: [{ catalog: "pics", from: "A-FRIEND" }, { catalog: 5 }] }));
      expect(await readContextImports(home, "new")).toEqual([{ catalog: "pics", from: "A-FRIEND" }]);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});
